"""The stage calendar: generated from semester defaults, then edited per student."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from portfolio.domain.errors import DomainError
from portfolio.models import DayKind

MAX_OPR_DAYS = 6
DEFAULT_WEEKDAYS = {1: (0, 1, 2), 2: (3, 4)}  # semester 1: Mon-Wed; semester 2: Thu-Fri
WEEKDAY_NAMES = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def parse_weekdays(text: str) -> tuple[int, ...]:
    """Parse '0,1,2' into weekday numbers (0 = Monday), refusing nonsense."""
    try:
        days = tuple(sorted({int(part) for part in text.split(",") if part.strip()}))
    except ValueError:
        raise DomainError("Kies de stagedagen als weekdagen.") from None
    if not days or any(d < 0 or d > 6 for d in days):
        raise DomainError("Kies minstens één weekdag.")
    return days


def generate_stage_days(
    first_day: date, last_day: date, weekdays: Iterable[int], holidays: Iterable[date] = ()
) -> list[date]:
    """Return every date from first to last day that falls on a stage weekday and no holiday."""
    if last_day < first_day:
        raise DomainError("De laatste stagedag ligt vóór de eerste stagedag.")
    if (last_day - first_day).days > 366:
        raise DomainError("Een stage duurt hoogstens een jaar; controleer de data.")
    wanted = set(weekdays)
    skip = set(holidays)
    days = []
    day = first_day
    while day <= last_day:
        if day.weekday() in wanted and day not in skip:
            days.append(day)
        day += timedelta(days=1)
    return days


def default_kinds(days: list[date]) -> list[tuple[date, str]]:
    """Mark the first stage days OPR (up to the maximum) and the rest R."""
    return [(d, DayKind.OPR if i < MAX_OPR_DAYS else DayKind.R) for i, d in enumerate(days)]


def check_opr_limit(kinds: Iterable[str]) -> None:
    """Refuse a calendar with more OPR days than the handbook allows."""
    count = sum(1 for kind in kinds if kind == DayKind.OPR)
    if count > MAX_OPR_DAYS:
        raise DomainError(
            f"Een stage heeft hoogstens {MAX_OPR_DAYS} OPR-dagen (observeren, participeren, "
            f"actief deelnemen). Maak van deze dag een R-dag of zet eerst een andere OPR-dag om.",
            title="Te veel OPR-dagen",
        )
