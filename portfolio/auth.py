"""Password hashing, the password-link mail, signing in and out, and the Flask-Login loader."""

from __future__ import annotations

from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app, request
from flask import session as cookie_session
from flask_login import login_user, logout_user
from werkzeug.security import check_password_hash

from portfolio import navigation
from portfolio.clock import now
from portfolio.db import get_session
from portfolio.domain import sessions
from portfolio.errors import is_htmx
from portfolio.extensions import login_manager
from portfolio.mail import public_url, render_mail, send_mail
from portfolio.models import MentorLink, User

# Argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane). It replaced werkzeug's
# scrypt default (n=2^15, r=8, p=1: below OWASP's scrypt minimum of n=2^17), and costs a
# quarter of its CPU (28 ms instead of 111 ms a sign-in on the 2-core reference machine), the
# largest single cost in the load benchmark's mix. Older scrypt hashes still verify and are
# replaced at the next sign-in (rehash_if_outdated).
HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
# A hash to compare against when the e-mail is unknown, so timing does not tell.
_DUMMY_HASH = HASHER.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def _is_argon2(stored: str) -> bool:
    return stored.startswith("$argon2")


def _matches(stored: str, password: str) -> bool:
    if not _is_argon2(stored):
        return check_password_hash(stored, password)  # a werkzeug hash from before Argon2
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def verify_password(user: User | None, password: str) -> bool:
    """Check a password; spends the same effort whether or not the user exists."""
    if user is None or not user.password_hash or not user.active:
        _matches(_DUMMY_HASH, password)
        return False
    return _matches(user.password_hash, password)


def rehash_if_outdated(user: User, password: str) -> None:
    """After a successful sign-in: store the password under the current parameters if its
    hash is older (scrypt, or Argon2 with other costs); the request's commit saves it."""
    stored = user.password_hash or ""
    if not _is_argon2(stored) or HASHER.check_needs_rehash(stored):
        user.password_hash = hash_password(password)
        get_session().add(user)


def mail_password_link(user: User, token: str, *, purpose: str, expires_at) -> None:
    """Queue the mail with the link to set a password; it leaves after the request's commit, so
    the answer takes as long whether or not the address is known."""
    url = public_url("auth.set_password", token=token)
    subject, body = render_mail(
        "password_link", user=user, url=url, purpose=purpose, expires_at=expires_at
    )
    send_mail(user.email, subject, body)


# The key in the signed cookie that names the server-side LoginSession row.
SESSION_TOKEN_KEY = "sid"  # noqa: S105 - a key name, not a secret


def idle_policy() -> sessions.IdlePolicy:
    config = current_app.config
    return sessions.IdlePolicy(
        idle=timedelta(hours=config["SESSION_IDLE_HOURS"]),
        remembered=timedelta(days=config["REMEMBER_DAYS"]),
    )


def sign_in(user: User, *, remember: bool = False, mentor_link: MentorLink | None = None) -> None:
    """Start a server-side session for a user and put its token in a fresh cookie."""
    row, token = sessions.start_session(
        get_session(),
        user,
        moment=now(),
        remember=remember,
        mentor_link=mentor_link,
        user_agent=request.user_agent.string,
    )
    # Nothing from before signing in carries over into the signed-in session (no fixation).
    cookie_session.clear()
    cookie_session[SESSION_TOKEN_KEY] = token
    # A remembered session outlives the browser (PERMANENT_SESSION_LIFETIME); others do not.
    cookie_session.permanent = row.remember
    login_user(user)


def sign_out() -> None:
    """End this browser's session on the server, then forget the cookie's contents."""
    sessions.end_session(get_session(), cookie_session.get(SESSION_TOKEN_KEY), moment=now())
    logout_user()
    cookie_session.clear()


def init_app(app: Flask) -> None:
    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        """The cookie's user, only while its server-side session holds.

        A full page (a GET that is not htmx's) shows the layout's counts: they come with the
        session check instead of a query of their own.
        """
        full_page = request.method == "GET" and not is_htmx()
        found = sessions.resolve_session(
            get_session(),
            cookie_session.get(SESSION_TOKEN_KEY),
            moment=now(),
            policy=idle_policy(),
            also=navigation.layout_columns() if full_page else (),
        )
        if found is None or str(found[0].id) != user_id:
            return None
        user, _row, *counts = found
        if counts:
            navigation.remember_layout_counts(user.id, counts)
        return user
