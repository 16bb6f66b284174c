"""Routes: signing in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlmodel import select

from portfolio import login_limits
from portfolio.auth import (
    idle_policy,
    mail_password_link,
    rehash_if_outdated,
    sign_in,
    sign_out,
    verify_password,
)
from portfolio.clock import now
from portfolio.db import get_session
from portfolio.domain import accounts, sessions
from portfolio.domain.errors import FieldError
from portfolio.extensions import limiter
from portfolio.forms import ConfirmForm, ForgotPasswordForm, LoginForm, NewPasswordForm
from portfolio.mail import commit_despite_refusal
from portfolio.models import User

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """Accept only a local path as the place to return to (no open redirect)."""
    # Browsers read "/\\evil.example" as "//evil.example" and drop tabs and newlines.
    if not target or "\\" in target or any(ord(ch) < 32 or ch.isspace() for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


LOCKED = {
    login_limits.Lock.ACCOUNT: (
        "Er werd te vaak een verkeerd wachtwoord gebruikt voor dit account. Wacht een kwartier, "
        "of gebruik de link die we naar dit adres mailden om meteen een nieuw wachtwoord te kiezen."
    ),
    login_limits.Lock.ADDRESS: (
        "Er werden vanaf dit netwerk te veel mislukte aanmeldpogingen gedaan. "
        "Probeer het over een kwartier opnieuw."
    ),
}


@bp.route("/aanmelden", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        lock = login_limits.locked(email)
        if lock is not None:
            flash(LOCKED[lock], "error")
            return render_template("auth/login.html", form=form), 429
        user = get_session().exec(select(User).where(User.email == email)).first()
        if verify_password(user, form.password.data):
            rehash_if_outdated(user, form.password.data)
            sign_in(user, remember=bool(form.remember.data))
            return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
        if login_limits.record_failure(email):
            _mail_unlock_link(email)
        # The same message whether or not the address exists.
        flash("Dit e-mailadres en wachtwoord horen niet bij elkaar. Probeer opnieuw.", "error")
        return render_template("auth/login.html", form=form), 401
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form), status


def _mail_unlock_link(email: str) -> None:
    """Tell an account's owner it was locked, with a link to a new password (known ones only)."""
    moment = now()
    found = accounts.request_reset(
        get_session(), email, moment=moment, purpose=accounts.Purpose.UNLOCK
    )
    if found is not None:
        user, token = found
        mail_password_link(
            user,
            token,
            purpose=accounts.Purpose.UNLOCK,
            expires_at=moment + accounts.VALIDITY[accounts.Purpose.UNLOCK],
        )
        # The answer is a 401, which rolls the request back: the link and its mail outlive it.
        commit_despite_refusal()


@bp.post("/afmelden")
@login_required
def logout():
    ConfirmForm()  # CSRF is checked by CSRFProtect before we get here
    sign_out()
    flash("Je bent afgemeld.", "info")
    return redirect(url_for("auth.login"))


@bp.get("/account/sessies")
@login_required
def sessions_page():
    rows = sessions.open_sessions(
        get_session(), current_user.id, moment=now(), policy=idle_policy()
    )
    return render_template("auth/sessions.html", rows=rows, form=ConfirmForm())


@bp.post("/account/sessies/overal-afmelden")
@login_required
def logout_everywhere():
    ConfirmForm()
    sessions.end_all_sessions(get_session(), current_user.id, moment=now())
    sign_out()
    flash("Je bent afgemeld op al je toestellen.", "info")
    return redirect(url_for("auth.login"), 303)


# ---------------------------------------------------------------- setting a password by link

RESET_SENT = "Als dit adres bij ons bekend is, krijg je een mail met een link."


def _reset_email_key() -> str:
    """Rate-limit key per address asked for, so nobody floods one mailbox from many hosts."""
    return "reset:" + (request.form.get("email") or "").strip().lower()[:254]


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config.get("RESET_RATE_LIMIT", "5 per minute;20 per hour"),
    methods=["POST"],
)
@limiter.limit(
    lambda: current_app.config.get("RESET_EMAIL_RATE_LIMIT", "3 per hour"),
    methods=["POST"],
    key_func=_reset_email_key,
)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        moment = now()
        found = accounts.request_reset(get_session(), form.email.data, moment=moment)
        if found is not None:
            user, token = found
            mail_password_link(
                user,
                token,
                purpose=accounts.Purpose.RESET,
                expires_at=moment + accounts.VALIDITY[accounts.Purpose.RESET],
            )
        # The same answer whether or not the address exists (and whether the mail left).
        return render_template("auth/forgot_password.html", form=None, sent=RESET_SENT)
    status = 422 if form.errors else 200
    return render_template("auth/forgot_password.html", form=form, sent=None), status


@bp.route("/wachtwoord/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """Choose a password through an activation or reset link; one page for any bad link."""
    session, moment = get_session(), now()
    row = accounts.resolve_token(session, token, moment=moment)
    if row is None:
        return render_template("auth/invalid_link.html"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.set_password(
                session,
                row,
                password=form.password.data,
                confirmation=form.confirmation.data,
                moment=moment,
            )
        except FieldError as error:
            form[error.field].errors = [*form[error.field].errors, error.message]
        else:
            if user is None:
                return render_template("auth/invalid_link.html"), 404
            login_limits.unlock_account(user.email)
            sign_in(user)
            flash("Je wachtwoord is ingesteld. Je bent aangemeld.", "success")
            return redirect(url_for("home.index"), 303)
    status = 422 if form.errors else 200
    response = make_response(
        render_template("auth/set_password.html", form=form, purpose=row.purpose), status
    )
    # The token is in this page's URL: keep it out of caches and of any Referer header.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
