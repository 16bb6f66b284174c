"""Signed-in browsers: the session cookie names a row here, so a session can really end."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from portfolio.models.base import moment_field


class LoginSession(SQLModel, table=True):
    """One signed-in browser; the cookie carries a random token, only its SHA-256 is stored.

    Every request checks the row: an ended row (logout, password reset, deactivation, a revoked
    mentor link) or one idle for too long no longer signs anyone in.
    """

    __tablename__ = "login_session"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    # Set when a mentor came in through a personal link: the link's end ends the session.
    mentor_link_id: int | None = Field(default=None, foreign_key="mentorlink.id", index=True)
    remember: bool = Field(default=False)
    user_agent: str = Field(default="", max_length=200)
    created_at: datetime = moment_field(default_now=True)
    last_seen_at: datetime = moment_field(default_now=True)
    ended_at: datetime | None = moment_field(nullable=True)
