"""Personal sign-in links for mentors: a random token, only its SHA-256 stored.

A link lasts until the mentor's last portfolio closes plus a margin, so it covers the whole
placement; a mentor has one link at a time (a new one revokes the old), and a link that ends
ends the sessions opened with it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, select

from portfolio.domain import audit, sessions
from portfolio.domain.deadline import closes_at
from portfolio.domain.errors import DomainError
from portfolio.models import MentorLink, Placement, Role, User

# Used when the mentor has no running placement yet (a link issued ahead of time).
LINK_DAYS = 30
MARGIN_DAYS = 14


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_expiry(
    session: Session, mentor: User, *, moment: datetime, margin_days: int = MARGIN_DAYS
) -> datetime | None:
    """When a new link should end: the last close of the mentor's placements plus the margin.

    None when every placement of the mentor closed longer than the margin ago (no link needed).
    Without any placement, LINK_DAYS from now.
    """
    placements = session.exec(select(Placement).where(Placement.mentor_id == mentor.id)).all()
    if not placements:
        return moment + timedelta(days=LINK_DAYS)
    until = max(closes_at(p) for p in placements) + timedelta(days=margin_days)
    return until if until > moment else None


def issue_link(
    session: Session,
    mentor: User,
    *,
    moment: datetime,
    actor: User | None,
    margin_days: int = MARGIN_DAYS,
    token: str | None = None,
) -> tuple[MentorLink, str]:
    """Create a link for a mentor, revoking their earlier ones; returns the row and the token
    (shown or mailed once). The token is random unless given (the local demo's link)."""
    if mentor.role != Role.MENTOR:
        raise DomainError("Alleen mentoren krijgen een persoonlijke link.")
    expires_at = link_expiry(session, mentor, moment=moment, margin_days=margin_days)
    if expires_at is None:
        raise DomainError("De portfolio's van deze mentor zijn al lang afgesloten.")
    for old in session.exec(
        select(MentorLink).where(
            MentorLink.mentor_id == mentor.id,
            MentorLink.revoked_at.is_(None),
            MentorLink.expires_at > moment,
        )
    ):
        revoke_link(session, old, moment=moment, actor=actor)
    token = token or secrets.token_urlsafe(32)
    link = MentorLink(
        mentor_id=mentor.id,
        token_hash=hash_token(token),
        created_at=moment,
        expires_at=expires_at,
    )
    session.add(link)
    session.flush()
    audit.record(
        session, actor=actor, action="mentor_link.issued", mentor_id=mentor.id, link_id=link.id
    )
    return link, token


def resolve_link(
    session: Session, token: str, *, moment: datetime
) -> tuple[MentorLink, User] | None:
    """Return the link and mentor a token belongs to, or None if unknown, expired or revoked."""
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
    return link, mentor


def revoke_link(
    session: Session, link: MentorLink, *, moment: datetime, actor: User | None
) -> None:
    """Revoke a link so it no longer signs anyone in, and end the sessions opened with it."""
    if link.revoked_at is None:
        link.revoked_at = moment
        session.add(link)
        audit.record(session, actor=actor, action="mentor_link.revoked", link_id=link.id)
    sessions.end_link_sessions(session, link.id, moment=moment)


def mentor_for_new_link(session: Session, email: str, *, moment: datetime) -> User | None:
    """The mentor who may get a fresh link mailed on request, or None (unknown, inactive, or no
    placement that still needs one). The caller answers the same either way."""
    mentor = session.exec(
        select(User).where(User.email == (email or "").strip().lower()[:254])
    ).first()
    if mentor is None or mentor.role != Role.MENTOR or not mentor.active:
        return None
    has_placement = session.exec(
        select(Placement.id).where(Placement.mentor_id == mentor.id).limit(1)
    ).first()
    if has_placement is None or link_expiry(session, mentor, moment=moment) is None:
        return None
    return mentor
