"""Notices about 1-op-1 talks: a request or cancellation to the fixed supervisor, answers to the
student. Each is a notice in the app with a mail, queued with the change itself."""

from __future__ import annotations

from sqlmodel import Session

from portfolio.domain import guidance
from portfolio.domain.guidance_hours import format_minutes
from portfolio.mail import public_url
from portfolio.models import GuidanceMoment, GuidanceStatus, Notice, Placement, User
from portfolio.notices import notify_from_template


def to_supervisor(session: Session, talk: GuidanceMoment, placement: Placement) -> Notice | None:
    """Tell the fixed supervisor a student requested (or cancelled) a 1-op-1 talk."""
    supervisor = session.get(User, placement.supervisor_id) if placement.supervisor_id else None
    return notify_from_template(
        session,
        recipient=supervisor,
        kind="gesprek",
        template="talk_to_supervisor",
        url=public_url("guidance.moment", moment_id=talk.id),
        talk=talk,
        student=session.get(User, placement.student_id),
        cancelled=talk.status == GuidanceStatus.CANCELLED,
        duration=format_minutes(talk.duration_minutes),
    )


def to_student(session: Session, talk: GuidanceMoment, placement: Placement) -> Notice | None:
    """Tell the student their 1-op-1 talk was confirmed or cancelled by the supervisor."""
    what = guidance.STATUS_LABELS[talk.status].lower()
    if talk.status == GuidanceStatus.PLANNED:
        what = "bevestigd"
    return notify_from_template(
        session,
        recipient=session.get(User, placement.student_id),
        kind="gesprek",
        template="talk_to_student",
        url=public_url("guidance.placement", placement_id=placement.id),
        talk=talk,
        what=what,
    )
