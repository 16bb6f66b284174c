"""Column types and helpers shared by every table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field

from portfolio.clock import now

# Every id (and version) column is an INTEGER: PostgreSQL refuses a wider value even in a WHERE.
MAX_ID = 2**31 - 1


class UTCDateTime(TypeDecorator):
    """Store aware datetimes as UTC and always hand back aware UTC datetimes.

    SQLite drops the offset, PostgreSQL keeps it; this makes both behave the same.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use portfolio.clock.now()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def moment_field(*, nullable: bool = False, index: bool = False, default_now: bool = False) -> Any:
    """Return a Field for an aware timestamp column (names end in `_at`)."""
    if default_now:
        return Field(default_factory=now, sa_type=UTCDateTime, nullable=nullable, index=index)
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable, index=index)


def json_field() -> Any:
    """Return a Field for a JSON dict column (item content, audit details)."""
    return Field(default_factory=dict, sa_type=JSON, nullable=False)
