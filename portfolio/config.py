"""Configuration: safe defaults in code, overrides from instance/config.py and the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from portfolio.uploads_limits import MAX_IMAGE_BYTES, MAX_MEDIA_BYTES

# Environment variables that map one-to-one onto config keys.
ENV_KEYS = (
    "SECRET_KEY",
    "DATABASE_URL",
    "S3_BUCKET",
    "S3_ENDPOINT_URL",
    "S3_REGION",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_PREFIX",
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_USE_TLS",
    "MAIL_DEFAULT_SENDER",
    "RATELIMIT_STORAGE_URI",
    "PUBLIC_BASE_URL",
    "MAX_IMAGE_BYTES",
    "MAX_MEDIA_BYTES",
    "TRUSTED_PROXIES",
    "SESSION_IDLE_HOURS",
    "REMEMBER_DAYS",
    "LOGIN_ACCOUNT_LIMIT",
    "LOGIN_ADDRESS_LIMIT",
    "MENTOR_LINK_MARGIN_DAYS",
    "MAIL_DELIVERY",
    "REDIS_URL",
    "EXPORT_RESULT_HOURS",
    "JOB_TIMEOUT_SECONDS",
)
INT_KEYS = {
    "MAIL_PORT",
    "MAX_IMAGE_BYTES",
    "MAX_MEDIA_BYTES",
    "TRUSTED_PROXIES",
    "SESSION_IDLE_HOURS",
    "REMEMBER_DAYS",
    "MENTOR_LINK_MARGIN_DAYS",
    "EXPORT_RESULT_HOURS",
    "JOB_TIMEOUT_SECONDS",
}
BOOL_KEYS = {"MAIL_USE_TLS"}


def default_config(instance_path: Path) -> dict:
    """Return the embedded defaults: SQLite and uploads under instance/, mail to the console."""
    return {
        "DATABASE_URL": f"sqlite:///{instance_path / 'portfolio.sqlite3'}",
        "UPLOAD_FOLDER": str(instance_path / "uploads"),
        "MAX_IMAGE_BYTES": MAX_IMAGE_BYTES,
        "MAX_MEDIA_BYTES": MAX_MEDIA_BYTES,
        # Werkzeug refuses bodies above this before any view runs; a video plus form fields.
        "MAX_CONTENT_LENGTH": MAX_MEDIA_BYTES + 1024 * 1024,
        "MAIL_SERVER": None,  # None: mail is written to the log (console) instead of sent
        "MAIL_PORT": 587,
        "MAIL_USE_TLS": True,
        "MAIL_DEFAULT_SENDER": "keuzestage@localhost",
        # "after_response": the web process sends queued mail once a response has gone out;
        # "cron": only `flask send-mail` sends (run it from cron).
        "MAIL_DELIVERY": "after_response",
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        # Failed sign-ins only: per account (then the owner gets an unlock mail) and per address.
        "LOGIN_ACCOUNT_LIMIT": "5 per 15 minutes",
        "LOGIN_ADDRESS_LIMIT": "30 per 15 minutes",
        # How many proxies in front set X-Forwarded-For/-Proto; 0 trusts no such header.
        "TRUSTED_PROXIES": 0,
        # Server-side sessions end after this long unused; "aangemeld blijven" (students only)
        # keeps a session for REMEMBER_DAYS.
        "SESSION_IDLE_HOURS": 8,
        "REMEMBER_DAYS": 30,
        # A mentor link lasts until the mentor's last portfolio closes plus this margin.
        "MENTOR_LINK_MARGIN_DAYS": 14,
        "ONE_ON_ONE_HOURS_DEFAULT": 4.0,
        # The coordinator dashboard's counts and chart may be this many seconds old (per worker).
        "DASHBOARD_CACHE_SECONDS": 60,
        # The coordinator's students list keeps an order that sorts or filters every placement
        # (missing reflections, a name search, ...) this many seconds per worker; rows are fresh.
        "OVERVIEW_ORDER_SECONDS": 30,
        # None: Secure outside debug and testing, decided in create_app once DEBUG is known.
        "SESSION_COOKIE_SECURE": None,
        "REMEMBER_COOKIE_SECURE": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,  # a student may keep a reflection open all evening
        "BABEL_DEFAULT_LOCALE": "nl_BE",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Brussels",
        "PUBLIC_BASE_URL": None,
        "FROZEN_NOW": None,  # tests and demos pin the clock here (an aware datetime)
        "REDIS_URL": None,  # None: background jobs run on a thread of the web process
        "EXPORT_RESULT_HOURS": 24,  # an export's ZIP is deleted this long after it is made
        "JOB_TIMEOUT_SECONDS": 3600,  # an RQ job running longer is stopped (and marked failed)
    }


def from_environment(environ: os._Environ | dict) -> dict:
    """Read the production settings from environment variables."""
    found: dict = {}
    for key in ENV_KEYS:
        value = environ.get(key)
        if value is None or value == "":
            continue
        if key in INT_KEYS:
            found[key] = int(value)
        elif key in BOOL_KEYS:
            found[key] = value.lower() in {"1", "true", "yes", "on"}
        else:
            found[key] = value
    if "DATABASE_URL" in found:
        found["DATABASE_URL"] = sqlalchemy_url(found["DATABASE_URL"])
    return found


def sqlalchemy_url(url: str) -> str:
    """A database URL as SQLAlchemy needs it: Heroku-style URLs name the driver "postgres" (or
    none), and SQLAlchemy wants psycopg 3 spelled out."""
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def load_or_create_secret(instance_path: Path) -> str:
    """Return the secret key stored in instance/, generating it on first run."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def resolve_cookie_security(config: dict, *, debug: bool, testing: bool) -> None:
    """Make both cookies Secure unless the app runs in debug or tests (plain http there).

    Flask's own defaults already hold these keys, so a setdefault would never apply.
    """
    secure = not (debug or testing)
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if config.get(key) is None:
            config[key] = secure
