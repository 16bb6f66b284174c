"""Small guards for raw form input, shared by every route.

- `whole_number` reads an id or count typed as ASCII digits only: `str.isdigit()` also accepts
  '²' or '٣', `int()` refuses more than 4300 digits, and PostgreSQL refuses a value above an
  INTEGER column's range even in a WHERE clause (DataError): each of these would be a 500.
- `brussels_moment` turns a date and hour typed in Brussels time into UTC, refusing an hour
  that does not exist (the spring-forward gap) and years outside 2000-2100.
- `refuse_nul_bytes` is an app-wide `before_request` hook (see create_app): PostgreSQL refuses a
  NUL character in text (DataError, a 500 after the fact), so such input gets a Dutch 422 before
  any view runs.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from flask import request

from portfolio.clock import BRUSSELS
from portfolio.domain.errors import DomainError
from portfolio.models.base import MAX_ID


def whole_number(text: str | None) -> int | None:
    """Return the number written in ASCII digits (up to an INTEGER's range), or None."""
    text = (text or "").strip()
    if not text or len(text) > 10 or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


def refuse_nul_bytes() -> None:
    """Refuse a request whose form or query values (or keys) contain a NUL character."""
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                raise DomainError(
                    "Je invoer bevat een ongeldig teken (een nul-teken). "
                    "Verwijder het en probeer opnieuw."
                )


def brussels_moment(day: date, clock: time) -> datetime:
    """Return the UTC moment of a Brussels wall-clock time; a DomainError (422) otherwise.

    In the autumn fold (an hour that occurs twice) the first occurrence is meant (summer time).
    """
    if not 2000 <= day.year <= 2100:
        raise DomainError("Kies een datum tussen 2000 en 2100.")
    local = datetime.combine(day, clock, tzinfo=BRUSSELS)
    moment = local.astimezone(UTC)
    if moment.astimezone(BRUSSELS).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise DomainError(
            "Dit uur bestaat niet in Brussel: de klok springt die nacht van 2 naar 3 uur. "
            "Kies een ander uur."
        )
    return moment
