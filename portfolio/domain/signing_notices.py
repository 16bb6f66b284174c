"""Who is told what about signatures: requested, voided, complete (notice + mail).

Each takes the request's session, so the notices and their mails are part of the change.
Only the document's own parties are told (the student always hears it is complete).
"""

from __future__ import annotations

from sqlmodel import Session

from portfolio.domain.placement_documents import Document, parties_text
from portfolio.mail import public_url
from portfolio.models import Placement, Role, User
from portfolio.notices import notify_from_template

KIND = "handtekening"


def _tell(
    session: Session, placement: Placement, doc: Document, roles, people: list[User], template
):
    student = session.get(User, placement.student_id)
    url = public_url("portfolio.part", placement_id=placement.id, slug=doc.slug)
    for person in people:
        notify_from_template(
            session,
            recipient=person,
            kind=KIND,
            template=template,
            url=url,
            student=student,
            placement=placement,
            doc=doc,
            parties=parties_text(roles),
            party_count=len(roles),
        )


def _party_ids(placement: Placement, roles) -> list[int | None]:
    by_role = {
        Role.STUDENT: placement.student_id,
        Role.MENTOR: placement.mentor_id,
        Role.SUPERVISOR: placement.supervisor_id,
    }
    return [by_role[role] for role in roles]


def _people(session: Session, ids, actor: User) -> list[User]:
    return [
        person
        for person in (session.get(User, i) for i in dict.fromkeys(ids) if i and i != actor.id)
        if person is not None
    ]


def signatures_requested(
    session: Session, placement: Placement, doc: Document, roles, *, actor: User
) -> None:
    """Ask the other parties to sign the document the student offered."""
    people = _people(session, _party_ids(placement, roles), actor)
    _tell(session, placement, doc, roles, people, "signing_requested")


def signatures_voided(
    session: Session, placement: Placement, doc: Document, roles, *, actor: User
) -> None:
    """Tell the other parties the student reopened the document: their signatures lapsed."""
    people = _people(session, _party_ids(placement, roles), actor)
    _tell(session, placement, doc, roles, people, "signing_voided")


def signing_complete(
    session: Session, placement: Placement, doc: Document, roles, *, actor: User
) -> None:
    """Tell every party, the last signer and the student too, that all parties signed."""
    ids = [placement.student_id, *_party_ids(placement, roles)]
    _tell(
        session, placement, doc, roles, _people(session, ids, actor) + [actor], "signing_complete"
    )
