"""A person's secret calendar feed URL (iCal); only the token's SHA-256 is stored."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from portfolio.models.base import moment_field


class CalendarFeed(SQLModel, table=True):
    """One issued feed token; renewing revokes the previous one, a revoked token gives 404."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = moment_field(default_now=True)
    revoked_at: datetime | None = moment_field(nullable=True)
