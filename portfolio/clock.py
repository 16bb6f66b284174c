"""The one place the app asks for the time, so tests and demos can pin it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

BRUSSELS = ZoneInfo("Europe/Brussels")


def now() -> datetime:
    """Return the current moment as an aware UTC datetime (or the pinned one)."""
    if has_app_context():
        frozen = current_app.config.get("FROZEN_NOW")
        if frozen is not None:
            return frozen.astimezone(UTC)
    return datetime.now(UTC)


def today_in_brussels(moment: datetime | None = None) -> date:
    """Return the calendar date in Brussels at the given moment (default: now)."""
    return (moment or now()).astimezone(BRUSSELS).date()


@lru_cache(maxsize=4096)
def start_of_day(day: date) -> datetime:
    """Return 00:00 Europe/Brussels of the given date, as UTC (remembered: the overview asks
    for every R-day of a page of placements, and the zone conversion is the slow part)."""
    return datetime.combine(day, time.min, tzinfo=BRUSSELS).astimezone(UTC)
