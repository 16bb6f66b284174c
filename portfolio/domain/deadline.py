"""The closing moment: last stage day + 2 calendar days, 23:59:59 Europe/Brussels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from portfolio.clock import BRUSSELS
from portfolio.models import Placement, PlacementStatus

CLOSING_GRACE_DAYS = 2


def closing_moment(last_day: date) -> datetime:
    """Return when a portfolio closes for a given last stage day (as UTC)."""
    closing_day = last_day + timedelta(days=CLOSING_GRACE_DAYS)
    return datetime.combine(closing_day, time(23, 59, 59), tzinfo=BRUSSELS).astimezone(UTC)


def closes_at(placement: Placement) -> datetime:
    """Return the placement's effective closing moment, extensions included."""
    return placement.closes_at_override or closing_moment(placement.last_day)


def is_closed(placement: Placement, moment: datetime) -> bool:
    """Return whether the student can no longer change the portfolio at this moment."""
    return placement.status == PlacementStatus.STOPPED or moment > closes_at(placement)


@dataclass(frozen=True)
class Countdown:
    days: int
    hours: int
    minutes: int
    is_over: bool

    @property
    def text(self) -> str:
        """Say the time left in Dutch, for the page and for screen readers."""
        if self.is_over:
            return "Je portfolio is afgesloten."
        parts = []
        if self.days:
            parts.append(f"{self.days} {'dag' if self.days == 1 else 'dagen'}")
        if self.hours or self.days:
            parts.append(f"{self.hours} uur")
        parts.append(f"{self.minutes} {'minuut' if self.minutes == 1 else 'minuten'}")
        return "Nog " + ", ".join(parts[:-1]) + (" en " if len(parts) > 1 else "") + parts[-1]


def countdown(deadline: datetime, moment: datetime) -> Countdown:
    """Return the time left until the deadline, rounded down to whole minutes."""
    left = deadline - moment
    if left.total_seconds() <= 0:
        return Countdown(0, 0, 0, True)
    minutes_total = int(left.total_seconds() // 60)
    days, rest = divmod(minutes_total, 24 * 60)
    hours, minutes = divmod(rest, 60)
    return Countdown(days, hours, minutes, False)
