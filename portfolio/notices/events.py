"""Who is told what when something happens to a placement: one function per event.

Each takes the request's session, so the notices and their mails are part of the change.
"""

from __future__ import annotations

from sqlmodel import Session

from portfolio.mail import public_url
from portfolio.models import DeadlineExtension, Placement, Synthesis, User, Warning
from portfolio.notices import notify_from_template


def _people(session: Session, *ids: int | None) -> list[User]:
    """The users with these ids, skipping None and duplicates, in the order given."""
    seen, found = set(), []
    for user_id in ids:
        if user_id is not None and user_id not in seen:
            seen.add(user_id)
            user = session.get(User, user_id)
            if user is not None:
                found.append(user)
    return found


def warning_given(session: Session, placement: Placement, warning: Warning) -> None:
    """Tell the student a formal warning was recorded."""
    from portfolio.domain.warnings import STOPPING_WARNING

    notify_from_template(
        session,
        recipient=session.get(User, placement.student_id),
        kind="waarschuwing",
        template="warning",
        url=public_url("evaluation.warnings", placement_id=placement.id),
        warning=warning,
        author=session.get(User, warning.author_id),
        stopping=STOPPING_WARNING,
    )


def _tell(
    session: Session,
    placement: Placement,
    people: list[User],
    *,
    kind: str,
    template: str,
    url: str,
    **context,
) -> None:
    """Give each person a notice about the placement from one template."""
    student = session.get(User, placement.student_id)
    for person in people:
        notify_from_template(
            session,
            recipient=person,
            kind=kind,
            template=template,
            # Mentors do not see warnings or the synthesis: they get the portfolio instead.
            url=public_url("portfolio.overview", placement_id=placement.id)
            if person.is_mentor
            else url,
            student=student,
            placement=placement,
            **context,
        )


def placement_stopped(session: Session, placement: Placement) -> None:
    """Tell student, mentor and fixed supervisor that the placement was stopped."""
    people = _people(session, placement.student_id, placement.mentor_id, placement.supervisor_id)
    url = public_url("evaluation.warnings", placement_id=placement.id)
    _tell(session, placement, people, kind="stopzetting", template="stop", url=url)


# What only the student and the fixed supervisor are told (the mentor is not): the mail
# template, then the notice's kind and the page it links to.
STUDENT_AND_SUPERVISOR = {
    "extension": ("verlenging", "portfolio.overview"),
    "decision": ("beslissing", "evaluation.synthesis"),
}


def _tell_student_and_supervisor(
    session: Session, placement: Placement, template: str, **context
) -> None:
    """Tell the student and the fixed supervisor about the placement from one template."""
    kind, endpoint = STUDENT_AND_SUPERVISOR[template]
    people = _people(session, placement.student_id, placement.supervisor_id)
    url = public_url(endpoint, placement_id=placement.id)
    _tell(session, placement, people, kind=kind, template=template, url=url, **context)


def extension_granted(session: Session, placement: Placement, extension: DeadlineExtension) -> None:
    """Tell student and fixed supervisor the portfolio closes later."""
    _tell_student_and_supervisor(
        session, placement, "extension", closes_at=extension.closes_at, reason=extension.reason
    )


def board_decided(session: Session, placement: Placement, synthesis: Synthesis) -> None:
    """Tell student and fixed supervisor what the exam board decided."""
    _tell_student_and_supervisor(session, placement, "decision", synthesis=synthesis)
