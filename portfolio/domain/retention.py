"""How long rows are kept that only matter for a while: ended login sessions and sent mails."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session

from portfolio.models import LoginSession, OutboxMail

KEEP = timedelta(days=90)


@dataclass(frozen=True)
class Pruned:
    sessions: int
    mails: int


def prune(session: Session, *, moment: datetime, keep: timedelta = KEEP) -> Pruned:
    """Delete login sessions that ended, and mails that were sent, longer than `keep` ago.

    Open sessions stay (an idle one is ended when it is next used), and so does every mail not
    sent yet: a failing one is still retried and shown under Beheer → Uitgaande mail.
    """
    cutoff = moment - keep
    sessions = session.execute(
        delete(LoginSession).where(
            LoginSession.ended_at.is_not(None), LoginSession.ended_at < cutoff
        )
    ).rowcount
    mails = session.execute(
        delete(OutboxMail).where(OutboxMail.sent_at.is_not(None), OutboxMail.sent_at < cutoff)
    ).rowcount
    return Pruned(sessions=sessions, mails=mails)
