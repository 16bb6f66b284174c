"""Reaching out: the mail outbox, in-app notices, sent reminders and who turned what off."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from portfolio.models.base import moment_field


class OutboxMail(SQLModel, table=True):
    """A mail waiting to be sent (or sent): written in the transaction of the change that causes
    it, delivered after the commit by a sender that claims the row first."""

    id: int | None = Field(default=None, primary_key=True)
    to_address: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    body: str
    created_at: datetime = moment_field(default_now=True)
    # Due rows are those without sent_at whose next_attempt_at has come.
    next_attempt_at: datetime = moment_field(default_now=True, index=True)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=1000)
    # A sender's claim: another sender skips the row until claimed_until has passed.
    claimed_by: str | None = Field(default=None, max_length=40)
    claimed_until: datetime | None = moment_field(nullable=True)
    sent_at: datetime | None = moment_field(nullable=True, index=True)


class Notice(SQLModel, table=True):
    """A message in a person's "Meldingen" list; read_at is set when they mark it read."""

    id: int | None = Field(default=None, primary_key=True)
    recipient_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=40)
    subject: str = Field(max_length=300)
    body: str = Field(max_length=4000)
    url: str | None = Field(default=None, max_length=1000)
    created_at: datetime = moment_field(default_now=True)
    read_at: datetime | None = moment_field(nullable=True)


class ReminderSent(SQLModel, table=True):
    """One reminder given once: the key names the person, the kind and what it was about."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    recipient_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=40)
    sent_at: datetime = moment_field(default_now=True)


class MailOptOut(SQLModel, table=True):
    """A kind of mail (a reminder or a notice) a person turned off in "Instellingen"."""

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    kind: str = Field(max_length=40, primary_key=True)
