"""Mails about 1-op-1 talks: a request or cancellation to the fixed supervisor, answers to the
student. A failing mail never costs the talk: it is logged and the user gets a Dutch notice."""

from __future__ import annotations

import logging

from flask import flash, render_template
from sqlmodel import Session

from portfolio.domain import guidance
from portfolio.mail import public_url, send_mail
from portfolio.models import GuidanceMoment, GuidanceStatus, Placement, User

log = logging.getLogger(__name__)


def _send(to: User, subject: str, template: str, *, notice: str, **context) -> bool:
    """Send one mail; on failure log it and flash `notice` (the change itself is kept)."""
    body = render_template(template, recipient=to, **context)
    try:
        send_mail(to.email, subject, body)
    except Exception:  # any failure of the mail server or the message: keep the request
        log.exception("Guidance mail to %s failed", to.email)
        flash(notice, "error")
        return False
    return True


def to_supervisor(session: Session, talk: GuidanceMoment, placement: Placement) -> bool:
    """Tell the fixed supervisor a student requested (or cancelled) a 1-op-1 talk."""
    supervisor = session.get(User, placement.supervisor_id) if placement.supervisor_id else None
    if supervisor is None:
        return False
    student = session.get(User, placement.student_id)
    cancelled = talk.status == GuidanceStatus.CANCELLED
    what = "geannuleerd" if cancelled else "aangevraagd"
    return _send(
        supervisor,
        f"1-op-1 gesprek {what} door {student.name}",
        "guidance/mail/to_supervisor.txt",
        notice=(
            f"Je gesprek is {what}, maar de mail aan je stagebegeleider kon niet vertrekken. "
            "Laat het je begeleider zelf weten."
        ),
        talk=talk,
        student=student,
        cancelled=cancelled,
        url=public_url("guidance.moment", moment_id=talk.id),
    )


def to_student(session: Session, talk: GuidanceMoment, placement: Placement) -> bool:
    """Tell the student their 1-op-1 talk was confirmed or cancelled by the supervisor."""
    student = session.get(User, placement.student_id)
    what = guidance.STATUS_LABELS[talk.status].lower()
    if talk.status == GuidanceStatus.PLANNED:
        what = "bevestigd"
    return _send(
        student,
        f"Je 1-op-1 gesprek is {what}",
        "guidance/mail/to_student.txt",
        notice=(
            f"Het gesprek is {what}, maar de mail aan de student kon niet vertrekken. "
            "Laat het de student zelf weten."
        ),
        talk=talk,
        what=what,
        url=public_url("guidance.placement", placement_id=placement.id),
    )
