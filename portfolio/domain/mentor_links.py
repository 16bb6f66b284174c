"""Personal sign-in links for mentors: a random token, only its SHA-256 stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, select

from portfolio.domain import audit
from portfolio.domain.errors import DomainError
from portfolio.models import MentorLink, Role, User

LINK_DAYS = 30


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_link(
    session: Session, mentor: User, *, moment: datetime, actor: User | None, days: int = LINK_DAYS
) -> tuple[MentorLink, str]:
    """Create a link for a mentor; returns the row and the token (shown or mailed once)."""
    if mentor.role != Role.MENTOR:
        raise DomainError("Alleen mentoren krijgen een persoonlijke link.")
    token = secrets.token_urlsafe(32)
    link = MentorLink(
        mentor_id=mentor.id,
        token_hash=hash_token(token),
        created_at=moment,
        expires_at=moment + timedelta(days=days),
    )
    session.add(link)
    session.flush()
    audit.record(
        session, actor=actor, action="mentor_link.issued", mentor_id=mentor.id, link_id=link.id
    )
    return link, token


def resolve_link(session: Session, token: str, *, moment: datetime) -> User | None:
    """Return the mentor a token belongs to, or None if unknown, expired or revoked."""
    if not token or len(token) > 200:
        return None
    link = session.exec(
        select(MentorLink).where(MentorLink.token_hash == hash_token(token))
    ).first()
    if link is None or link.revoked_at is not None or link.expires_at <= moment:
        return None
    mentor = session.get(User, link.mentor_id)
    if mentor is None or not mentor.active or mentor.role != Role.MENTOR:
        return None
    link.last_used_at = moment
    session.add(link)
    return mentor


def revoke_link(session: Session, link: MentorLink, *, moment: datetime, actor: User) -> None:
    """Revoke a link so it no longer signs anyone in."""
    if link.revoked_at is None:
        link.revoked_at = moment
        session.add(link)
        audit.record(session, actor=actor, action="mentor_link.revoked", link_id=link.id)
