"""Who is told what about signatures: requested, voided, complete (notice + mail).

Each takes the request's session, so the notices and their mails are part of the change.
"""

from __future__ import annotations

from sqlmodel import Session

from portfolio.mail import public_url
from portfolio.models import Placement, User
from portfolio.notices import notify_from_template

KIND = "handtekening"


def _tell(session: Session, placement: Placement, people: list[User], template: str, **context):
    student = session.get(User, placement.student_id)
    url = public_url("portfolio.part", placement_id=placement.id, slug="stagepakket")
    for person in people:
        notify_from_template(
            session,
            recipient=person,
            kind=KIND,
            template=template,
            url=url,
            student=student,
            placement=placement,
            **context,
        )


def _others(session: Session, placement: Placement, actor: User) -> list[User]:
    ids = (placement.student_id, placement.mentor_id, placement.supervisor_id)
    return [
        person
        for person in (session.get(User, i) for i in dict.fromkeys(ids) if i and i != actor.id)
        if person is not None
    ]


def signatures_requested(session: Session, placement: Placement, *, actor: User) -> None:
    """Ask mentor and fixed supervisor to sign the package the student offered."""
    _tell(session, placement, _others(session, placement, actor), "signing_requested")


def signatures_voided(session: Session, placement: Placement, *, actor: User) -> None:
    """Tell the other parties the student reopened the package: their signatures lapsed."""
    _tell(session, placement, _others(session, placement, actor), "signing_voided")


def signing_complete(session: Session, placement: Placement, *, actor: User) -> None:
    """Tell everyone, the last signer too, that all parties signed."""
    everyone = _others(session, placement, actor) + [actor]
    _tell(session, placement, everyone, "signing_complete")
