"""Reading notices and the outbox page by page, marking notices read, mail settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, delete, func, update
from sqlmodel import Session, select

from portfolio.models import MailOptOut, Notice, OutboxMail, User
from portfolio.notices import NOTICE_KINDS, REMINDER_KINDS

PER_PAGE = 20


@dataclass
class Page:
    rows: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _page(session: Session, statement, number: int, per_page: int = PER_PAGE) -> Page:
    """One page of a statement's rows; one row more is read to know whether a next page exists."""
    number = max(number, 1)
    rows = list(session.exec(statement.offset((number - 1) * per_page).limit(per_page + 1)))
    return Page(rows=rows[:per_page], number=number, has_next=len(rows) > per_page)


def notices_page(session: Session, user: User, number: int) -> Page:
    """A person's notices: unread first, then the newest."""
    unread_first = case((Notice.read_at.is_(None), 0), else_=1)
    statement = (
        select(Notice)
        .where(Notice.recipient_id == user.id)
        .order_by(unread_first, Notice.created_at.desc(), Notice.id.desc())
    )
    return _page(session, statement, number)


def mark_read(session: Session, user: User, *, moment: datetime, notice_id: int | None = None):
    """Mark one notice (or, without an id, all) of this person read; others' are untouched."""
    statement = (
        update(Notice)
        .where(Notice.recipient_id == user.id, Notice.read_at.is_(None))
        .values(read_at=moment)
    )
    if notice_id is not None:
        statement = statement.where(Notice.id == notice_id)
    return session.exec(statement).rowcount


def own_notice(session: Session, user: User, notice_id: int) -> Notice | None:
    """The notice if it is this person's; None for another person's or an unknown id."""
    notice = session.get(Notice, notice_id)
    return notice if notice is not None and notice.recipient_id == user.id else None


def outbox_page(session: Session, number: int) -> Page:
    """The outbox for the coordinator: waiting mails first (failures among them), then sent."""
    waiting_first = case((OutboxMail.sent_at.is_(None), 0), else_=1)
    statement = select(OutboxMail).order_by(
        waiting_first, OutboxMail.sent_at.desc(), OutboxMail.id.desc()
    )
    return _page(session, statement, number)


def outbox_counts(session: Session) -> dict[str, int]:
    """How many mails wait, and how many of those failed at least once."""
    waiting = OutboxMail.sent_at.is_(None)
    failed = case((OutboxMail.attempts > 0, 1), else_=0)
    row = session.exec(
        select(func.count(OutboxMail.id), func.coalesce(func.sum(failed), 0)).where(waiting)
    ).one()
    return {"waiting": row[0], "failed": row[1]}


def settable_kinds() -> dict[str, str]:
    """Every kind of mail a person may turn off, with its label."""
    kinds = {key: kind.label for key, kind in NOTICE_KINDS.items() if kind.optional}
    return {**REMINDER_KINDS, **kinds}


def save_opt_outs(session: Session, user: User, *, wanted: set[str]) -> None:
    """Keep the mails of the `wanted` kinds; turn every other settable kind off."""
    off = set(settable_kinds()) - wanted
    session.exec(delete(MailOptOut).where(MailOptOut.user_id == user.id))
    for kind in sorted(off):
        session.add(MailOptOut(user_id=user.id, kind=kind))
