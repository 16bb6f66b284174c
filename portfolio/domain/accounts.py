"""Passwords set through a mailed link: activation of new accounts and "wachtwoord vergeten".

The link carries a random token; only its SHA-256 is stored (as for mentor links). A token is
single use, expires (1 hour for a reset, 14 days for an activation), and issuing a new one
revokes every earlier unused token of that user. Mentors never get a password.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import update
from sqlmodel import Session, select

from portfolio.auth import hash_password
from portfolio.domain import audit, sessions
from portfolio.domain.errors import DomainError, FieldError
from portfolio.domain.mentor_links import hash_token
from portfolio.domain.people import MIN_PASSWORD, find_user_by_email
from portfolio.models import PasswordToken, Role, User

PASSWORD_MAX = 200


class Purpose(StrEnum):
    ACTIVATION = "activatie"
    RESET = "reset"
    UNLOCK = "ontgrendelen"  # sent when failed sign-ins locked the account


VALIDITY = {
    Purpose.ACTIVATION: timedelta(days=14),
    Purpose.RESET: timedelta(hours=1),
    Purpose.UNLOCK: timedelta(hours=1),
}


def may_have_password(user: User) -> bool:
    return user.active and user.role != Role.MENTOR


def _unused(condition):
    """An UPDATE of the tokens matching `condition` that are neither used nor revoked."""
    return update(PasswordToken).where(
        condition, PasswordToken.used_at.is_(None), PasswordToken.revoked_at.is_(None)
    )


def issue_token(
    session: Session, user: User, *, purpose: Purpose, moment: datetime, actor: User | None
) -> tuple[PasswordToken, str]:
    """Create a link token for a user, revoking their earlier unused ones; returns the row and
    the token (mailed once, never stored)."""
    if user.role == Role.MENTOR:
        raise DomainError(
            "Mentoren krijgen geen wachtwoord: ze melden aan met hun persoonlijke link."
        )
    if not user.active:
        raise DomainError("Deze gebruiker is niet actief.")
    session.execute(_unused(PasswordToken.user_id == user.id).values(revoked_at=moment))
    token = secrets.token_urlsafe(32)
    row = PasswordToken(
        user_id=user.id,
        token_hash=hash_token(token),
        purpose=purpose,
        created_at=moment,
        expires_at=moment + VALIDITY[purpose],
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=f"password_token.{purpose}",
        user_id=user.id,
        token_id=row.id,
    )
    return row, token


def request_reset(
    session: Session, email: str, *, moment: datetime, purpose: Purpose = Purpose.RESET
):
    """Return (user, token) for a reset link, or None when nobody may get one for this address.

    The caller answers the same in both cases, so the address's existence is not revealed.
    """
    user = find_user_by_email(session, (email or "").strip())
    if user is None or not may_have_password(user):
        return None
    _row, token = issue_token(session, user, purpose=purpose, moment=moment, actor=None)
    return user, token


def activate(session: Session, user: User, *, moment: datetime, actor: User) -> str:
    """Issue an activation token for a user who has no password yet; returns the token."""
    if user.role != Role.MENTOR and user.password_hash:
        raise DomainError(
            f"{user.name} heeft al een wachtwoord. Bij een vergeten wachtwoord gebruikt "
            "die persoon 'Wachtwoord vergeten?' op de aanmeldpagina."
        )
    _row, token = issue_token(session, user, purpose=Purpose.ACTIVATION, moment=moment, actor=actor)
    return token


def users_without_password(session: Session) -> list[User]:
    """Return the active users who may have a password but have none yet, by name."""
    return list(
        session.exec(
            select(User)
            .where(
                User.password_hash.is_(None),
                User.active.is_(True),
                User.role != Role.MENTOR,
            )
            .order_by(User.name, User.id)
        )
    )


def resolve_token(session: Session, token: str, *, moment: datetime) -> PasswordToken | None:
    """Return the valid token row, or None if unknown, used, revoked, expired or not allowed."""
    if not token or len(token) > 200:
        return None
    row = session.exec(
        select(PasswordToken).where(PasswordToken.token_hash == hash_token(token))
    ).first()
    if row is None or row.used_at or row.revoked_at or row.expires_at <= moment:
        return None
    user = session.get(User, row.user_id)
    if user is None or not may_have_password(user):
        return None
    return row


def check_new_password(password: str | None, confirmation: str | None) -> str:
    """Refuse a too short, too long or mistyped new password with a Dutch message."""
    password = password or ""
    if len(password) < MIN_PASSWORD:
        raise FieldError(f"Een wachtwoord heeft minstens {MIN_PASSWORD} tekens.", field="password")
    if len(password) > PASSWORD_MAX:
        raise FieldError(f"Een wachtwoord heeft hoogstens {PASSWORD_MAX} tekens.", field="password")
    if password != (confirmation or ""):
        raise FieldError("De twee wachtwoorden zijn niet gelijk.", field="confirmation")
    return password


def set_password(
    session: Session,
    row: PasswordToken,
    *,
    password: str | None,
    confirmation: str | None,
    moment: datetime,
) -> User | None:
    """Use a token to set the user's password; None when the token was used meanwhile."""
    password = check_new_password(password, confirmation)
    # Claim the token with a conditional update, so two submits at once cannot both use it.
    claimed = session.execute(_unused(PasswordToken.id == row.id).values(used_at=moment))
    if claimed.rowcount != 1:
        return None
    user = session.get(User, row.user_id)
    user.password_hash = hash_password(password)
    session.add(user)
    session.flush()
    # Whoever knew the old password is signed out everywhere.
    sessions.end_all_sessions(session, user.id, moment=moment)
    audit.record(
        session,
        actor=user,
        action="password.set",
        user_id=user.id,
        purpose=row.purpose,
        token_id=row.id,
    )
    return user
