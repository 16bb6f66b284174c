"""Password hashing, the password-link mail and the Flask-Login user loader."""

from __future__ import annotations

from flask import Flask, render_template
from werkzeug.security import check_password_hash, generate_password_hash

from portfolio.db import get_session
from portfolio.extensions import login_manager
from portfolio.mail import public_url, send_mail
from portfolio.models import User

# A hash to compare against when the e-mail is unknown, so timing does not tell.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def verify_password(user: User | None, password: str) -> bool:
    """Check a password; spends the same effort whether or not the user exists."""
    if user is None or not user.password_hash or not user.active:
        check_password_hash(_DUMMY_HASH, password)
        return False
    return check_password_hash(user.password_hash, password)


def mail_password_link(user: User, token: str, *, purpose: str, expires_at) -> bool:
    """Queue the mail with the link to set a password; it leaves after the request's commit, so
    the answer takes as long whether or not the address is known."""
    url = public_url("auth.set_password", token=token)
    body = render_template(
        "auth/password_mail.txt", user=user, url=url, purpose=purpose, expires_at=expires_at
    )
    subject = (
        "Kies je wachtwoord voor het stageportfolio"
        if purpose == "activatie"
        else "Een nieuw wachtwoord voor het stageportfolio"
    )
    send_mail(user.email, subject, body)
    return True


def init_app(app: Flask) -> None:
    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        try:
            user = get_session().get(User, int(user_id))
        except ValueError:
            return None
        return user if user is not None and user.active else None
