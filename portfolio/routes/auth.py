"""Routes: signing in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlmodel import select

from portfolio.auth import verify_password
from portfolio.db import get_session
from portfolio.extensions import limiter
from portfolio.forms import ConfirmForm, LoginForm
from portfolio.models import User

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """Accept only a local path as the place to return to (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/aanmelden", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = get_session().exec(select(User).where(User.email == email)).first()
        if verify_password(user, form.password.data):
            login_user(user)
            return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
        # The same message whether or not the address exists.
        flash("Dit e-mailadres en wachtwoord horen niet bij elkaar. Probeer opnieuw.", "error")
        return render_template("auth/login.html", form=form), 401
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/afmelden")
@login_required
def logout():
    ConfirmForm()  # CSRF is checked by CSRFProtect before we get here
    logout_user()
    flash("Je bent afgemeld.", "info")
    return redirect(url_for("auth.login"))
