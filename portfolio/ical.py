"""Render calendar feed events as an iCalendar file (RFC 5545) with the icalendar library."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from portfolio.domain.calendar_feed import FeedEvent

BRUSSELS = ZoneInfo("Europe/Brussels")


def to_ical(events: Iterable[FeedEvent], *, name: str, host: str, stamp: datetime) -> bytes:
    """One VCALENDAR in Brussels time, its VTIMEZONE included, one VEVENT per event."""
    calendar = Calendar()
    calendar.add("prodid", "-//Thomas More//Keuzestage portfolio//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Brussels")
    for item in events:
        event = Event()
        event.add("uid", f"{item.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("summary", item.title)
        event.add("dtstart", _local(item.starts))
        event.add("dtend", _local(item.ends))
        if item.location:
            event.add("location", item.location)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _local(value):
    """Times in Brussels (with TZID), so a calendar shows 14:00 in winter and in summer."""
    return value.astimezone(BRUSSELS) if isinstance(value, datetime) else value
