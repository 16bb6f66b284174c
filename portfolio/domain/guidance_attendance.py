"""Attendance at mandatory guidance sessions, the student's own note, the absence flag.

Not to be confused with domain/attendance_card.py: the mentor's presence per stage day.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, ScalarSelect, func
from sqlmodel import Session, select

from portfolio.clock import now
from portfolio.domain import audit
from portfolio.domain.errors import DomainError
from portfolio.domain.guidance import belongs_to
from portfolio.models import (
    Attendance,
    AttendanceStatus,
    GuidanceMoment,
    GuidanceStatus,
    Placement,
    User,
)

ATTENDANCE_LABELS = {
    AttendanceStatus.PRESENT: "Aanwezig",
    AttendanceStatus.LEGITIMATE: "Gewettigd afwezig",
    AttendanceStatus.ILLEGITIMATE: "Ongewettigd afwezig",
}
ILLEGITIMATE_ABSENCES_ALLOWED = 1
SECOND_ABSENCE_FLAG = (
    "Tweede ongewettigde afwezigheid: een ongewettigde afwezigheid kan maar één keer per stage."
)


def find_attendance(
    session: Session, moment: GuidanceMoment, placement: Placement
) -> Attendance | None:
    """Return the attendance recorded for this placement at this moment, if any."""
    return session.exec(
        select(Attendance).where(
            Attendance.moment_id == moment.id, Attendance.placement_id == placement.id
        )
    ).first()


def record_attendance(
    session: Session, moment: GuidanceMoment, placement: Placement, *, status: str, actor: User
) -> Attendance:
    """Record a student's presence at a mandatory session (a later record replaces the status).

    An illegitimate absence is allowed once per placement; a second is recorded anyway and
    flagged (see absence_flag), because the supervisor decides what follows.
    """
    if status not in ATTENDANCE_LABELS:
        raise DomainError("Kies aanwezig, gewettigd afwezig of ongewettigd afwezig.")
    if not moment.is_mandatory:
        raise DomainError("Aanwezigheden houd je bij voor verplichte sessies.")
    if moment.status == GuidanceStatus.CANCELLED:
        raise DomainError("Dit moment is geannuleerd.")
    if not belongs_to(moment, placement):
        raise DomainError("Deze student hoort niet bij dit begeleidingsmoment.")
    attendance = find_attendance(session, moment, placement)
    old = attendance.status if attendance else None
    if attendance is None:
        attendance = Attendance(
            moment_id=moment.id, placement_id=placement.id, status=status, recorded_by_id=actor.id
        )
    attendance.status = status
    attendance.recorded_by_id = actor.id
    attendance.recorded_at = now()
    session.add(attendance)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="begeleiding.aanwezigheid",
        placement_id=placement.id,
        moment_id=moment.id,
        old=old,
        new=status,
    )
    return attendance


def add_absence_note(
    session: Session, moment: GuidanceMoment, placement: Placement, *, note: str, actor: User
) -> Attendance:
    """Let the student write their own note (eigen briefje) for a recorded absence."""
    attendance = find_attendance(session, moment, placement)
    if attendance is None or attendance.status == AttendanceStatus.PRESENT:
        raise DomainError("Een briefje schrijf je bij een afwezigheid die je begeleider noteerde.")
    note = note.strip()
    if not note:
        raise DomainError("Schrijf waarom je er niet was en hoe je mee bent met de sessie.")
    attendance.note = note[:4000]
    session.add(attendance)
    audit.record(
        session,
        actor=actor,
        action="begeleiding.afwezigheidsbriefje",
        placement_id=placement.id,
        moment_id=moment.id,
    )
    return attendance


def illegitimate_absences(session: Session, placement: Placement) -> list[Attendance]:
    """Return the placement's illegitimate absences, oldest session first."""
    return list(
        session.exec(
            select(Attendance)
            .join(GuidanceMoment, GuidanceMoment.id == Attendance.moment_id)
            .where(
                Attendance.placement_id == placement.id,
                Attendance.status == AttendanceStatus.ILLEGITIMATE,
            )
            .order_by(GuidanceMoment.starts_at, Attendance.id)
        ).all()
    )


def illegitimate_absences_of(placement_id: ColumnElement[int]) -> ScalarSelect[int]:
    """The number of illegitimate absences of the placement in `placement_id` (a column): a
    correlated subquery, so a list reads it with its other counts in one query."""
    return (
        select(func.count(Attendance.id))
        .where(
            Attendance.placement_id == placement_id,
            Attendance.status == AttendanceStatus.ILLEGITIMATE,
        )
        .scalar_subquery()
    )


def absence_flag(count: int) -> str | None:
    """Return the warning text once the allowed illegitimate absence is used up."""
    return SECOND_ABSENCE_FLAG if count > ILLEGITIMATE_ABSENCES_ALLOWED else None


def placement_absence_flag(session: Session, placement: Placement) -> str | None:
    return absence_flag(len(illegitimate_absences(session, placement)))
