"""A stage day moved or added onto a weekend or a holiday: asked to confirm, not refused.

**rule**: the calendar warns and lets the coordinator go on after confirming. Stage days are
moved "in samenspraak met de stageplaats", and a non-school site (youth work, a museum, a
hospital school) may well work on a Saturday or in a school holiday, so a refusal would block a
real agreement; a silent acceptance would let a slip of the date picker (Christmas, a Sunday)
through unnoticed. The confirmed choice is in the audit log with the day's name.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from portfolio.domain.errors import DomainError
from portfolio.models import Holiday

WEEKEND = {5: "een zaterdag", 6: "een zondag"}


class DayOffNeedsConfirmation(DomainError):
    """The chosen date is a weekend day or a holiday: the coordinator confirms it first."""

    title = "Bevestiging nodig"

    def __init__(self, message: str, *, day: date, reason: str):
        super().__init__(message)
        self.day = day
        self.reason = reason


def day_off_reason(session: Session, day: date) -> str | None:
    """Return why `day` is normally free ("een zaterdag", "een vrije dag: Kerstmis"), or None."""
    holiday = session.exec(select(Holiday).where(Holiday.day == day)).first()
    if holiday is not None:
        return f"een vrije dag: {holiday.name}" if holiday.name else "een vrije dag"
    return WEEKEND.get(day.weekday())


def check_day_off(session: Session, day: date, *, confirmed: bool) -> str | None:
    """Ask for confirmation before a stage day lands on a day off; return the reason if any."""
    reason = day_off_reason(session, day)
    if reason is not None and not confirmed:
        raise DayOffNeedsConfirmation(
            f"Let op: {day.strftime('%d/%m/%Y')} is {reason}. Is dat zo afgesproken met de "
            "stageplaats? Vink dan 'Toch op deze dag' aan en bevestig.",
            day=day,
            reason=reason,
        )
    return reason
