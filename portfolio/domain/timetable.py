"""Step 3's timetable: offers in time order, shown one week at a time."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

ALL_WEEKS = "alle"
_CLOCK = re.compile(r"(\d{1,2})(?:[.:hu](\d{2}))?")


def time_key(text: str | None) -> tuple[int, int]:
    """Sort key for a free-text time such as "9.00 - 9.45" or "13u30": its first clock time.

    Offers without a readable time go last.
    """
    match = _CLOCK.search(text or "")
    if match is None or int(match.group(1)) > 23:
        return (24, 0)
    return (int(match.group(1)), int(match.group(2) or 0))


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks_of(days: Iterable[date]) -> list[date]:
    """The Mondays of the weeks that hold stage days, in order."""
    return sorted({monday_of(day) for day in days})


def pick_week(weeks: list[date], today: date, requested: str | None) -> date | None:
    """The week to show: the requested one, else the current one (clamped to the placement).

    None means every week ("alle").
    """
    if requested == ALL_WEEKS or not weeks:
        return None
    if requested:
        try:
            wanted = monday_of(date.fromisoformat(requested))
        except ValueError:
            wanted = None
        if wanted in weeks:
            return wanted
    current = monday_of(today)
    if current <= weeks[0]:
        return weeks[0]
    if current >= weeks[-1]:
        return weeks[-1]
    # Between two weeks with stage days (a holiday): the next week with stage days.
    return next(week for week in weeks if week >= current)
