"""Login sessions: start one, check it on every request, end one or all of a person's.

A session cookie alone proves nothing once the session has ended: it names a row here, and the
row decides. Plain functions; the Flask glue (cookie, Flask-Login) lives in portfolio/auth.py.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import bindparam, update
from sqlmodel import Session, select

from portfolio.models import LoginSession, MentorLink, Role, User

# A busy page saves every second; the last-seen time only needs to be roughly right.
TOUCH_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class IdlePolicy:
    """How long a session may sit unused before it ends."""

    idle: timedelta = timedelta(hours=8)
    remembered: timedelta = timedelta(days=30)

    def limit_for(self, row: LoginSession) -> timedelta:
        return self.remembered if row.remember else self.idle


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def may_remember(user: User) -> bool:
    """Only students stay signed in on their own phone; staff sessions end when idle."""
    return user.role == Role.STUDENT


def start_session(
    session: Session,
    user: User,
    *,
    moment: datetime,
    remember: bool = False,
    mentor_link: MentorLink | None = None,
    user_agent: str = "",
) -> tuple[LoginSession, str]:
    """Open a session for a user; returns the row and the token for the cookie (never stored)."""
    token = secrets.token_urlsafe(32)
    row = LoginSession(
        user_id=user.id,
        token_hash=_hash(token),
        mentor_link_id=mentor_link.id if mentor_link is not None else None,
        remember=remember and may_remember(user),
        user_agent=(user_agent or "")[:200],
        created_at=moment,
        last_seen_at=moment,
    )
    session.add(row)
    session.flush()
    return row, token


def _link_holds(link: MentorLink | None, moment: datetime) -> bool:
    return link is not None and link.revoked_at is None and link.expires_at > moment


# Built once (every request runs it): building the statement cost about as much as running it.
_BY_TOKEN = (
    select(LoginSession, User, MentorLink)
    .join(User, User.id == LoginSession.user_id)
    .outerjoin(MentorLink, MentorLink.id == LoginSession.mentor_link_id)
    .where(LoginSession.token_hash == bindparam("token_hash"))
)


def resolve_session(
    session: Session,
    token: str | None,
    *,
    moment: datetime,
    policy: IdlePolicy,
    also: tuple = (),
) -> tuple | None:
    """Return (user, row, *also) for the cookie's token, or None when it no longer holds.

    One query. `also` are scalar subqueries about the user (correlated on User.id) that the
    request needs anyway: they ride along instead of costing a round trip of their own. A
    session idle for too long is ended here, so it stays ended.
    """
    if not token or len(token) > 200:
        return None
    found = session.exec(_by_token(also), params={"token_hash": _hash(token)}).first()
    if found is None:
        return None
    row, user, link, *extra = found
    if row.ended_at is not None or not user.active:
        return None
    if row.mentor_link_id is not None and not _link_holds(link, moment):
        return None
    if moment - row.last_seen_at >= policy.limit_for(row):
        row.ended_at = moment
        session.add(row)
        return None
    if moment - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = moment
        session.add(row)
    return (user, row, *extra)


@lru_cache(maxsize=8)
def _by_token(also: tuple):
    """The session query, with the extra columns (built once per set of them)."""
    return _BY_TOKEN.add_columns(*also) if also else _BY_TOKEN


def end_session(session: Session, token: str | None, *, moment: datetime) -> None:
    """End the session a token stands for (sign out in this browser)."""
    if token:
        _end(session, LoginSession.token_hash == _hash(token), moment=moment)


def end_all_sessions(session: Session, user_id: int, *, moment: datetime) -> int:
    """End every session of a person (password reset, role change, deactivation, 'overal')."""
    return _end(session, LoginSession.user_id == user_id, moment=moment)


def end_link_sessions(session: Session, link_id: int, *, moment: datetime) -> int:
    """End the sessions opened with a mentor link (the link was revoked or replaced)."""
    return _end(session, LoginSession.mentor_link_id == link_id, moment=moment)


def _end(session: Session, condition, *, moment: datetime) -> int:
    result = session.execute(
        update(LoginSession)
        .where(condition, LoginSession.ended_at.is_(None))
        .values(ended_at=moment)
    )
    return result.rowcount


def open_sessions(
    session: Session, user_id: int, *, moment: datetime, policy: IdlePolicy
) -> list[LoginSession]:
    """A person's sessions that still hold, most recently used first."""
    rows = session.exec(
        select(LoginSession)
        .where(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None))
        .order_by(LoginSession.last_seen_at.desc())
        .limit(50)
    ).all()
    return [row for row in rows if moment - row.last_seen_at < policy.limit_for(row)]
