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
    "MAIL_DELIVERY",
)
INT_KEYS = {"MAIL_PORT", "MAX_IMAGE_BYTES", "MAX_MEDIA_BYTES"}
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
        "LOGIN_RATE_LIMIT": "10 per minute;50 per hour",
        "MENTOR_LINK_DAYS": 30,
        "ONE_ON_ONE_HOURS_DEFAULT": 4.0,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,  # a student may keep a reflection open all evening
        "BABEL_DEFAULT_LOCALE": "nl_BE",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Brussels",
        "PUBLIC_BASE_URL": None,
        "FROZEN_NOW": None,  # tests and demos pin the clock here (an aware datetime)
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
    # Heroku-style URLs name the driver "postgres"; SQLAlchemy wants psycopg 3 spelled out.
    url = found.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        found["DATABASE_URL"] = "postgresql+psycopg://" + url.split("://", 1)[1]
    return found


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
