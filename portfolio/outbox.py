"""The sender: claim due outbox rows, send them, record the outcome; failures retry with backoff.

Two senders at once (cron and an after-response delivery) never send a row twice: a sender first
claims rows for a lease (PostgreSQL skips rows another sender has locked; on SQLite the
conditional UPDATE is atomic because SQLite serialises writers), then sends only what it holds.
A row stays until it is sent.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import or_, update
from sqlmodel import Session, select

from portfolio.clock import now as clock_now
from portfolio.db import get_engine
from portfolio.models import OutboxMail

log = logging.getLogger(__name__)

BATCH = 50
LEASE = timedelta(minutes=10)  # longer than a batch can take with SMTP's 15 s timeout
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0


def retry_delay(attempts: int) -> timedelta:
    """Wait 1, 2, 4, ... minutes after each failed attempt, at most 6 hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def _claimable(moment: datetime):
    return (
        OutboxMail.sent_at.is_(None),
        OutboxMail.next_attempt_at <= moment,
        or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < moment),
    )


def claim(session: Session, *, moment: datetime, limit: int = BATCH) -> list[OutboxMail]:
    """Claim up to `limit` due rows for this sender and commit the claim; return them."""
    token = uuid.uuid4().hex
    due = (
        select(OutboxMail.id)
        .where(*_claimable(moment))
        .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite ignores it
    )
    ids = list(session.exec(due))
    if ids:
        # The conditions are repeated: on SQLite another sender may have claimed in between.
        session.exec(
            update(OutboxMail)
            .where(OutboxMail.id.in_(ids), *_claimable(moment))
            .values(claimed_by=token, claimed_until=moment + LEASE)
        )
    session.commit()
    if not ids:
        return []
    return list(
        session.exec(
            select(OutboxMail).where(OutboxMail.claimed_by == token).order_by(OutboxMail.id)
        )
    )


def build_message(mail: OutboxMail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message.set_content(mail.body)
    return message


class SmtpTransport:
    """One SMTP connection for a batch, opened on first use and reopened after a failure."""

    def __init__(self, config):
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        smtp = smtplib.SMTP(config["MAIL_SERVER"], config.get("MAIL_PORT") or 587, timeout=15)
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        return smtp

    def send(self, message: EmailMessage) -> None:
        if self.smtp is None:
            self.smtp = self._connect()
        try:
            self.smtp.send_message(message)
        except Exception:
            self.close()  # a broken connection is not reused for the next mail
            raise

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except Exception:  # already gone: nothing to close politely
                log.debug("SMTP quit failed", exc_info=True)
            self.smtp = None


class LogTransport:
    """The local default without MAIL_SERVER: show the mail to the developer."""

    def send(self, message: EmailMessage) -> None:
        log.info(
            "Mail (niet verstuurd, geen MAIL_SERVER) aan %s: %s\n%s",
            message["To"],
            message["Subject"],
            message.get_content(),
        )

    def close(self) -> None:
        pass


@contextmanager
def transport_for(config):
    transport = SmtpTransport(config) if config.get("MAIL_SERVER") else LogTransport()
    try:
        yield transport
    finally:
        transport.close()


def _record(session: Session, mail: OutboxMail, *, moment: datetime, error: str | None) -> None:
    values = {"attempts": OutboxMail.attempts + 1, "claimed_by": None, "claimed_until": None}
    if error is None:
        values["sent_at"] = moment
        values["last_error"] = None
        # A sent mail's text may hold a single-use link (password, mentor): it is not kept.
        values["body"] = ""
    else:
        values["last_error"] = error[:1000]
        values["next_attempt_at"] = moment + retry_delay(mail.attempts + 1)
    session.exec(
        update(OutboxMail)
        .where(OutboxMail.id == mail.id, OutboxMail.claimed_by == mail.claimed_by)
        .values(**values)
    )
    session.commit()


def deliver_due(*, limit: int = BATCH, moment: datetime | None = None) -> DeliveryResult:
    """Send what is due now (one batch); each outcome is committed as soon as it is known."""
    moment = moment or clock_now()
    config = current_app.config
    sender = config.get("MAIL_DEFAULT_SENDER") or "keuzestage@localhost"
    result = DeliveryResult()
    with Session(get_engine(), expire_on_commit=False) as session:
        claimed = claim(session, moment=moment, limit=limit)
        if not claimed:
            return result
        with transport_for(config) as transport:
            for mail in claimed:
                try:
                    transport.send(build_message(mail, sender))
                except Exception as error:  # any SMTP or network failure: retry later
                    log.warning("Mail %s to %s failed: %s", mail.id, mail.to_address, error)
                    _record(session, mail, moment=moment, error=f"{type(error).__name__}: {error}")
                    result.failed += 1
                else:
                    _record(session, mail, moment=moment, error=None)
                    result.sent += 1
    return result


def deliver_all(*, moment: datetime | None = None) -> DeliveryResult:
    """Send batches until nothing due is left (what `flask send-mail` runs)."""
    total = DeliveryResult()
    while True:
        batch = deliver_due(moment=moment)
        total.sent += batch.sent
        total.failed += batch.failed
        if batch.sent + batch.failed < BATCH:
            return total
