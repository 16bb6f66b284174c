"""Sessions that end, cookies that are Secure in production, login limits per account and per
failing address (issue 7). Production settings are tested in an app configured as production
is (no debug, no testing, a secret from the environment), never by forcing a flag."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import uuid
from datetime import timedelta

import pytest
from sqlmodel import select

from portfolio import create_app
from portfolio.domain import accounts, sessions
from portfolio.domain.mentor_links import issue_link, revoke_link
from portfolio.models import LoginSession, MentorLink, PasswordToken, Role
from tests.conftest import PASSWORD

PROD_ENV = {"SECRET_KEY": "a-production-secret", "FLASK_DEBUG": "0"}


@pytest.fixture
def production_app(monkeypatch, database_url, tmp_path):
    """The app as gunicorn builds it: configuration from the environment only."""
    for key, value in {**PROD_ENV, "DATABASE_URL": database_url}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    app = create_app()
    assert not app.debug and not app.testing
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    return app


def _sign_in(client, email, password=PASSWORD, **extra):
    return client.post("/aanmelden", data={"email": email, "password": password, **extra})


def _replay(app, cookie_value: str, path: str = "/", base_url="http://localhost"):
    """A second browser holding a copy of the session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie_value, domain="localhost")
    return thief.get(path, base_url=base_url)


# ---------------------------------------------------------------- cookies in production


def test_production_cookies_are_secure_without_forcing_a_flag(production_app, make_user):
    make_user(Role.STUDENT, email="sara@test.be")
    client = production_app.test_client()
    base = "https://localhost"
    form = client.get("/aanmelden", base_url=base)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form.text).group(1)
    response = client.post(
        "/aanmelden",
        data={"email": "sara@test.be", "password": PASSWORD, "remember": "y", "csrf_token": token},
        base_url=base,
        headers={"Referer": f"{base}/aanmelden"},
    )
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # "Aangemeld blijven" for a student: the cookie outlives the browser (30 days).
    assert "Expires=" in cookie
    assert production_app.config["REMEMBER_COOKIE_SECURE"] is True
    assert "Strict-Transport-Security" in response.headers


def test_debug_and_tests_keep_plain_http_cookies(app):
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_production_warns_without_shared_limit_storage(monkeypatch, database_url, caplog):
    for key, value in {**PROD_ENV, "DATABASE_URL": database_url}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    create_app()
    assert "RATELIMIT_STORAGE_URI is not set" in caplog.text
    caplog.clear()
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/7")
    create_app()
    assert "RATELIMIT_STORAGE_URI is not set" not in caplog.text


# ---------------------------------------------------------------- sessions that end


def _signed_in_copy(client, email):
    assert _sign_in(client, email).status_code == 302
    return client.get_cookie("session").value


def test_a_cookie_replayed_after_logout_is_refused(app, client, make_user):
    make_user(Role.STUDENT, email="sara@test.be")
    copy = _signed_in_copy(client, "sara@test.be")
    assert _replay(app, copy).status_code == 200
    client.post("/afmelden")
    response = _replay(app, copy)
    assert response.status_code == 302 and "/aanmelden" in response.headers["Location"]


def test_a_password_reset_ends_every_other_session(app, client, db, make_user):
    user = make_user(Role.STUDENT, email="sara@test.be")
    copy = _signed_in_copy(client, "sara@test.be")
    _row, token = accounts.issue_token(
        db, user, purpose=accounts.Purpose.RESET, moment=app.config["FROZEN_NOW"], actor=None
    )
    db.commit()
    other = app.test_client()
    new = "een-nieuw-wachtwoord-123"
    done = other.post(f"/wachtwoord/{token}", data={"password": new, "confirmation": new})
    assert done.status_code == 303
    assert _replay(app, copy).status_code == 302
    assert other.get("/").status_code == 200  # the browser that reset it is signed in


def test_log_out_everywhere_ends_all_sessions(app, make_user):
    make_user(Role.STUDENT, email="sara@test.be")
    phone, laptop = app.test_client(), app.test_client()
    copy = _signed_in_copy(phone, "sara@test.be")
    _signed_in_copy(laptop, "sara@test.be")
    page = laptop.get("/account/sessies")
    assert page.status_code == 200 and page.text.count("<tr>") == 3  # header + two sessions
    laptop.post("/account/sessies/overal-afmelden")
    assert _replay(app, copy).status_code == 302
    assert laptop.get("/").status_code == 302


def test_deactivating_an_account_ends_its_sessions(app, client, db, make_user, login_as, world):
    user = make_user(Role.STUDENT, email="sara@test.be")
    copy = _signed_in_copy(client, "sara@test.be")
    coordinator = login_as(world.coordinator)
    response = coordinator.post(f"/beheer/personen/{user.id}/account", data={"active": ""})
    assert response.status_code == 303
    assert _replay(app, copy).status_code == 302
    assert _sign_in(app.test_client(), "sara@test.be").status_code == 401


def test_a_role_change_ends_the_persons_sessions(app, client, db, make_user, login_as, world):
    user = make_user(Role.SUPERVISOR, email="bea@test.be")
    copy = _signed_in_copy(client, "bea@test.be")
    coordinator = login_as(world.coordinator)
    response = coordinator.post(
        f"/beheer/personen/{user.id}/account", data={"active": "y", "role": Role.COORDINATOR}
    )
    assert response.status_code == 303
    assert _replay(app, copy).status_code == 302
    db.refresh(user)
    assert user.role == Role.COORDINATOR


def test_revoking_a_mentor_link_ends_the_sessions_opened_with_it(app, db, world):
    _link, token = issue_link(db, world.mentor, moment=app.config["FROZEN_NOW"], actor=None)
    db.commit()
    mentor = app.test_client()
    assert mentor.get(f"/m/{token}").status_code == 302
    assert mentor.get("/mentor").status_code == 200
    revoke_link(db, db.exec(select(MentorLink)).one(), moment=app.config["FROZEN_NOW"], actor=None)
    db.commit()
    response = mentor.get("/mentor")
    assert response.status_code == 302 and "/aanmelden" in response.headers["Location"]


def test_a_new_link_revokes_the_old_one_and_its_sessions(app, db, world):
    moment = app.config["FROZEN_NOW"]
    _link, old = issue_link(db, world.mentor, moment=moment, actor=None)
    db.commit()
    mentor = app.test_client()
    mentor.get(f"/m/{old}")
    _link, new = issue_link(db, world.mentor, moment=moment, actor=world.coordinator)
    db.commit()
    assert mentor.get("/mentor").status_code == 302
    assert app.test_client().get(f"/m/{old}").status_code == 404
    assert app.test_client().get(f"/m/{new}").status_code == 302


def test_an_expired_mentor_link_ends_its_sessions(app, db, world, set_now):
    link, token = issue_link(db, world.mentor, moment=app.config["FROZEN_NOW"], actor=None)
    db.commit()
    mentor = app.test_client()
    mentor.get(f"/m/{token}")
    set_now(link.expires_at + timedelta(seconds=1))
    assert mentor.get("/mentor").status_code == 302


def test_a_session_survives_a_change_of_address_and_network(app, client, make_user):
    make_user(Role.STUDENT, email="sara@test.be")
    _signed_in_copy(client, "sara@test.be")
    moved = client.get(
        "/", environ_base={"REMOTE_ADDR": "192.0.2.77"}, headers={"User-Agent": "Mobiel/2.0"}
    )
    assert moved.status_code == 200


def test_idle_sessions_end_and_only_students_may_stay_signed_in(app, make_user, set_now):
    app.config["SESSION_IDLE_HOURS"] = 8
    start = app.config["FROZEN_NOW"]
    make_user(Role.STUDENT, email="sara@test.be")
    make_user(Role.SUPERVISOR, email="bea@test.be")
    plain, remembered, staff = app.test_client(), app.test_client(), app.test_client()
    _signed_in_copy(plain, "sara@test.be")
    _sign_in(remembered, "sara@test.be", remember="y")
    _sign_in(staff, "bea@test.be", remember="y")
    set_now(start + timedelta(hours=7))
    assert plain.get("/").status_code == 200  # in use: the idle clock starts again
    set_now(start + timedelta(hours=14))
    assert plain.get("/").status_code == 200
    set_now(start + timedelta(hours=23))
    assert plain.get("/").status_code == 302
    assert staff.get("/").status_code == 302  # staff sessions are never remembered
    set_now(start + timedelta(days=29))
    assert remembered.get("/").status_code == 200


def test_domain_resolve_refuses_ended_and_unknown_tokens(app, db, world):
    moment, policy = app.config["FROZEN_NOW"], sessions.IdlePolicy()
    _row, token = sessions.start_session(db, world.student, moment=moment)
    assert sessions.resolve_session(db, token, moment=moment, policy=policy)[0] == world.student
    assert sessions.resolve_session(db, "x" * 43, moment=moment, policy=policy) is None
    assert sessions.resolve_session(db, None, moment=moment, policy=policy) is None
    assert sessions.end_all_sessions(db, world.student.id, moment=moment) == 1
    assert sessions.resolve_session(db, token, moment=moment, policy=policy) is None


# ---------------------------------------------------------------- login limits


@pytest.fixture
def limited_app(app):
    """The test app with limits on, in memory (one process)."""
    return create_app(
        {
            **app.config,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "RATELIMIT_KEY_PREFIX": uuid.uuid4().hex,
        }
    )


def test_six_wrong_passwords_lock_that_account_but_not_a_classmate(limited_app, db, make_user):
    sara = make_user(Role.STUDENT, email="sara@test.be")
    make_user(Role.STUDENT, email="tom@test.be")
    client = limited_app.test_client()
    statuses = [_sign_in(client, "sara@test.be", "fout").status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    locked = _sign_in(client, "sara@test.be")  # even the right password waits
    assert locked.status_code == 429 and "te vaak een verkeerd wachtwoord" in locked.text
    assert _sign_in(client, "tom@test.be").status_code == 302  # same address, other account
    # The owner got an unlock link (a one-hour password link) and is in again through it.
    [row] = db.exec(select(PasswordToken).where(PasswordToken.purpose == "ontgrendelen")).all()
    assert row.user_id == sara.id


def test_the_unlock_link_lets_the_owner_in_at_once(limited_app, db, make_user):
    user = make_user(Role.STUDENT, email="sara@test.be")
    client = limited_app.test_client()
    for _ in range(5):
        _sign_in(client, "sara@test.be", "fout")
    _row, token = accounts.issue_token(
        db,
        user,
        purpose=accounts.Purpose.UNLOCK,
        moment=limited_app.config["FROZEN_NOW"],
        actor=None,
    )
    db.commit()
    new = "een-nieuw-wachtwoord-123"
    client.post(f"/wachtwoord/{token}", data={"password": new, "confirmation": new})
    client.post("/afmelden")
    assert _sign_in(client, "sara@test.be", new).status_code == 302


def test_unknown_addresses_lock_the_same_way(limited_app):
    client = limited_app.test_client()
    statuses = [_sign_in(client, "niemand@test.be", "fout").status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]


def test_a_classroom_signing_in_correctly_is_never_counted(limited_app, make_user):
    limited_app.config["LOGIN_ADDRESS_LIMIT"] = "3 per minute"
    make_user(Role.STUDENT, email="sara@test.be")
    statuses = []
    for _ in range(12):
        client = limited_app.test_client()
        statuses.append(_sign_in(client, "sara@test.be").status_code)
    assert statuses == [302] * 12


def test_failures_from_one_address_across_accounts_block_that_address(limited_app, make_user):
    limited_app.config["LOGIN_ADDRESS_LIMIT"] = "3 per minute"
    make_user(Role.STUDENT, email="sara@test.be")
    client = limited_app.test_client()
    for n in range(3):
        assert _sign_in(client, f"gok{n}@test.be", "fout").status_code == 401
    blocked = _sign_in(client, "sara@test.be")
    assert blocked.status_code == 429 and "vanaf dit netwerk" in blocked.text
    elsewhere = limited_app.test_client()
    assert (
        elsewhere.post(
            "/aanmelden",
            data={"email": "sara@test.be", "password": PASSWORD},
            environ_base={"REMOTE_ADDR": "192.0.2.8"},
        ).status_code
        == 302
    )


def _fail_from(client, address_header: str):
    return client.post(
        "/aanmelden",
        data={"email": f"{uuid.uuid4().hex[:8]}@test.be", "password": "fout"},
        headers={"X-Forwarded-For": address_header},
    ).status_code


def test_x_forwarded_for_is_ignored_without_trusted_proxies(limited_app):
    limited_app.config["LOGIN_ADDRESS_LIMIT"] = "3 per minute"
    client = limited_app.test_client()
    statuses = [_fail_from(client, f"198.51.100.{n}") for n in range(4)]
    assert statuses == [401, 401, 401, 429]  # a forged header does not make a new address


def test_x_forwarded_for_counts_behind_a_trusted_proxy(app):
    behind_proxy = create_app(
        {
            **app.config,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "RATELIMIT_KEY_PREFIX": uuid.uuid4().hex,
            "LOGIN_ADDRESS_LIMIT": "3 per minute",
            "TRUSTED_PROXIES": 1,
        }
    )
    client = behind_proxy.test_client()
    statuses = [_fail_from(client, f"198.51.100.{n}") for n in range(4)]
    assert statuses == [401] * 4  # four clients behind the proxy, each with one failure


WORKER = textwrap.dedent(
    """
    import sys
    from portfolio import create_app
    app = create_app({
        "TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": sys.argv[1],
        "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": sys.argv[2],
        "RATELIMIT_KEY_PREFIX": sys.argv[3], "WTF_CSRF_ENABLED": False,
    })
    client = app.test_client()
    for _ in range(3):
        status = client.post(
            "/aanmelden", data={"email": "sara@test.be", "password": "fout"}
        ).status_code
        assert status == 401, status
    """
)


def test_the_account_limit_holds_across_two_worker_processes_sharing_redis(
    app, database_url, make_user
):
    make_user(Role.STUDENT, email="sara@test.be")
    redis_url, prefix = "redis://127.0.0.1:6379/7", uuid.uuid4().hex
    # Worker one: a separate process with its own app, failing three times.
    subprocess.run(
        [sys.executable, "-c", WORKER, database_url, redis_url, prefix], check=True, timeout=60
    )
    # Worker two: this process; two more failures reach the limit of five.
    second = create_app(
        {
            **app.config,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": redis_url,
            "RATELIMIT_KEY_PREFIX": prefix,
        }
    )
    client = second.test_client()
    statuses = [_sign_in(client, "sara@test.be", "fout").status_code for _ in range(3)]
    assert statuses == [401, 401, 429]


def test_login_sessions_are_recorded_with_their_browser(app, client, db, make_user):
    make_user(Role.STUDENT, email="sara@test.be")
    client.post(
        "/aanmelden",
        data={"email": "sara@test.be", "password": PASSWORD},
        headers={"User-Agent": "Firefox op Android"},
    )
    [row] = db.exec(select(LoginSession)).all()
    assert row.user_agent == "Firefox op Android" and row.ended_at is None
    assert len(row.token_hash) == 64
