"""Login limits that lock out attackers, not a classroom.

Only failed sign-ins count: per account (a few failures lock that account for a while, whatever
address they come from) and per address (many failures, across accounts, block that address).
A class signing in from one campus network is never counted for signing in correctly. The
counters live in Flask-Limiter's storage, so with RATELIMIT_STORAGE_URI on Redis they hold across
every worker process.
"""

from __future__ import annotations

from enum import StrEnum

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import parse

from portfolio.extensions import limiter


class Lock(StrEnum):
    ACCOUNT = "login-account"
    ADDRESS = "login-address"


def _limits():
    config = current_app.config
    return {
        Lock.ACCOUNT: parse(config["LOGIN_ACCOUNT_LIMIT"]),
        Lock.ADDRESS: parse(config["LOGIN_ADDRESS_LIMIT"]),
    }


def _keys(email: str) -> dict[Lock, str]:
    # Flask-Limiter adds RATELIMIT_KEY_PREFIX only to its own limits: add it here too, so
    # two apps sharing one Redis keep their counters apart.
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "")
    return {
        Lock.ACCOUNT: f"{prefix}/{email.strip().lower()[:254]}",
        Lock.ADDRESS: f"{prefix}/{get_remote_address()}",
    }


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def locked(email: str) -> Lock | None:
    """Which lock (if any) refuses a sign-in for this address and account right now."""
    if not _enabled():
        return None
    keys = _keys(email)
    for kind, limit in _limits().items():
        if not limiter.limiter.test(limit, kind.value, keys[kind]):
            return kind
    return None


def record_failure(email: str) -> bool:
    """Count a failed sign-in; True when this failure has just locked the account."""
    if not _enabled():
        return False
    keys, limits = _keys(email), _limits()
    limiter.limiter.hit(limits[Lock.ADDRESS], Lock.ADDRESS.value, keys[Lock.ADDRESS])
    limiter.limiter.hit(limits[Lock.ACCOUNT], Lock.ACCOUNT.value, keys[Lock.ACCOUNT])
    return not limiter.limiter.test(limits[Lock.ACCOUNT], Lock.ACCOUNT.value, keys[Lock.ACCOUNT])


def unlock_account(email: str) -> None:
    """Forget an account's failures (its owner chose a new password through a mailed link)."""
    if _enabled():
        limit = _limits()[Lock.ACCOUNT]
        limiter.limiter.clear(limit, Lock.ACCOUNT.value, _keys(email)[Lock.ACCOUNT])
