"""Shared fixtures: an app per test on a clean database, factories, logins, counters, a browser.

The database is SQLite (a temp file, so a live-server thread sees it too) unless
TEST_DATABASE_URL is set, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, text
from sqlmodel import Session, SQLModel
from werkzeug.serving import make_server

import portfolio.models  # noqa: F401 - registers the tables
from portfolio import create_app
from portfolio.auth import hash_password
from portfolio.db import engine_for
from portfolio.domain.defaults import ensure_defaults
from portfolio.domain.placements import create_placement
from portfolio.models import Context, Placement, Pool, PoolMember, Role, User

PASSWORD = "juist-wachtwoord"
# A Monday in semester 1 (no daylight-saving change nearby); tests pin the clock relative to it.
FIRST_DAY = date(2025, 10, 6)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def engine(database_url):
    engine = engine_for(database_url)
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    yield engine
    SQLModel.metadata.drop_all(engine)


def _wipe(engine) -> None:
    """Empty every table (faster than recreating the schema per test)."""
    tables = list(reversed(SQLModel.metadata.sorted_tables))
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture
def app(engine, database_url, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": database_url,
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
            "WTF_CSRF_ENABLED": False,  # test_csrf.py turns it on and proves refusals
            "RATELIMIT_ENABLED": False,  # test_auth.py turns it on for the login limit
            "FROZEN_NOW": datetime(2025, 10, 8, 10, 0, tzinfo=UTC),
            "SERVER_NAME": "localhost",
            # Tests move the clock by weeks; test_sessions.py sets a real idle limit.
            "SESSION_IDLE_HOURS": 24 * 365 * 10,
            # Tests change data between two looks at the dashboard: count afresh every time.
            "DASHBOARD_CACHE_SECONDS": 0,
            "OVERVIEW_ORDER_SECONDS": 0,
        }
    )
    with Session(engine) as session:
        ensure_defaults(session)
        session.commit()
    yield app
    _wipe(engine)


@pytest.fixture
def db(app, engine) -> Iterator[Session]:
    """A session for arranging and checking data; commit after arranging."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def client(app):
    return app.test_client()


_counter = itertools.count(1)
_password_hash: list[str] = []


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    def make(role: str = Role.STUDENT, **fields) -> User:
        n = next(_counter)
        if not _password_hash:
            _password_hash.append(hash_password(PASSWORD))
        fields.setdefault("email", f"{role}{n}@test.be")
        fields.setdefault("name", f"{role.capitalize()} {n}")
        if role != Role.MENTOR:
            fields.setdefault("password_hash", _password_hash[0])
        if role == Role.STUDENT:
            fields.setdefault("student_number", f"r{n:07d}")
        user = User(role=role, **fields)
        db.add(user)
        db.commit()
        return user

    return make


@pytest.fixture
def make_pool(db):
    def make(*members: User, name: str | None = None) -> Pool:
        pool = Pool(name=name or f"Pool {next(_counter)}")
        db.add(pool)
        db.flush()
        for member in members:
            db.add(PoolMember(pool_id=pool.id, user_id=member.id))
        db.commit()
        return pool

    return make


@pytest.fixture
def make_placement(db, make_user):
    """Create a placement (semester 1, 6 Oct to 5 Nov 2025 unless told) with its stage days."""

    def make(student: User | None = None, **fields) -> Placement:
        student = student or make_user(Role.STUDENT)
        fields.setdefault("supervisor_id", None)
        fields.setdefault("site_name", "Kleuterschool Testplein")
        fields.setdefault("context", Context.SCHOOL)
        fields.setdefault("semester", 1)
        fields.setdefault("first_day", FIRST_DAY)
        fields.setdefault("last_day", FIRST_DAY + timedelta(days=30))
        actor = db.get(User, student.id)
        placement = create_placement(db, actor=actor, student_id=student.id, **fields)
        db.commit()
        return placement

    return make


@pytest.fixture
def make_item(db):
    """Create a portfolio item: make_item(placement, kind, content={...}, day=date, ...).

    With `day` (a stage day's date) the item is bound to that stage day.
    """
    from sqlmodel import select

    from portfolio.models import Item, StageDay

    def make(placement: Placement, kind: str, **fields):
        day = fields.get("day")
        if day is not None and "stage_day_id" not in fields:
            fields["stage_day_id"] = db.exec(
                select(StageDay.id).where(
                    StageDay.placement_id == placement.id, StageDay.day == day
                )
            ).one()
        item = Item(placement_id=placement.id, kind=kind, **fields)
        db.add(item)
        db.commit()
        return item

    return make


@pytest.fixture
def world(make_user, make_pool, make_placement):
    """A small world: two students in one pool, a supervisor of each, a mentor, a coordinator,
    and an outsider supervisor in another pool."""
    sup = make_user(Role.SUPERVISOR, name="Vaste Begeleider")
    colleague = make_user(Role.SUPERVISOR, name="Pool Collega")
    outsider = make_user(Role.SUPERVISOR, name="Andere Pool")
    pool = make_pool(sup, colleague)
    make_pool(outsider)
    mentor = make_user(Role.MENTOR, name="Mentor Een")
    other_mentor = make_user(Role.MENTOR, name="Mentor Twee")
    student = make_user(Role.STUDENT, name="Student Een")
    other_student = make_user(Role.STUDENT, name="Student Twee")
    placement = make_placement(student, supervisor_id=sup.id, pool_id=pool.id, mentor_id=mentor.id)
    other_placement = make_placement(
        other_student, supervisor_id=colleague.id, pool_id=pool.id, mentor_id=other_mentor.id
    )
    coordinator = make_user(Role.COORDINATOR, name="Coördinator")
    return type(
        "World",
        (),
        dict(
            supervisor=sup,
            colleague=colleague,
            outsider=outsider,
            pool=pool,
            mentor=mentor,
            other_mentor=other_mentor,
            student=student,
            other_student=other_student,
            placement=placement,
            other_placement=other_placement,
            coordinator=coordinator,
        ),
    )


@pytest.fixture
def login_as(app, engine):
    """Return a test client signed in as the given user (any role, mentors included)."""

    from portfolio.auth import SESSION_TOKEN_KEY
    from portfolio.domain.sessions import start_session

    def login(user: User):
        client = app.test_client()
        # A real server-side session, as signing in makes one; the cookie names it.
        with Session(engine) as session:
            moment = app.config["FROZEN_NOW"] or datetime.now(UTC)
            _row, token = start_session(session, user, moment=moment)
            session.commit()
        with client.session_transaction() as sess:
            sess["_user_id"] = user.get_id()
            sess["_fresh"] = True
            sess[SESSION_TOKEN_KEY] = token
        return client

    return login


@pytest.fixture
def set_now(app):
    """Pin the app's clock: set_now(datetime) with an aware datetime."""

    def set_(moment: datetime) -> None:
        assert moment.tzinfo is not None
        app.config["FROZEN_NOW"] = moment

    return set_


@pytest.fixture
def count_queries(engine):
    """Count SQL statements: `with count_queries() as counted: ...; counted.n`."""

    @contextmanager
    def counting():
        box = type("Counted", (), {"n": 0, "statements": []})()

        def before(conn, cursor, statement, *args):
            box.n += 1
            box.statements.append(statement)

        event.listen(engine, "before_cursor_execute", before)
        try:
            yield box
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counting


# ---------------------------------------------------------------- browser tests

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def live_server(app):
    """Serve the app on a free loopback port in a thread; yields the base URL."""
    app.config["SERVER_NAME"] = None
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: apt-get install chromium (.ci/run does this)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                # A fake microphone and camera, allowed without a prompt (recording tests).
                "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="nl-BE", timezone_id="Europe/Brussels")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def browser_login(live_server):
    """Sign a Playwright page in through the real login form."""

    def login(page, user: User, password: str = PASSWORD):
        page.goto(f"{live_server}/aanmelden")
        page.get_by_label("E-mailadres").fill(user.email)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Aanmelden").click()
        page.wait_for_load_state("networkidle")

    return login


# ---------------------------------------------------------------- S3 (moto in server mode)

S3_BUCKET = "portfolio-test"
S3_REGION = "eu-west-1"
# Proxy variables would route loopback traffic elsewhere; AWS_* files could inject real
# credentials or endpoints. Neutralise them so S3 tests only ever talk to 127.0.0.1.
_PROXY_ENV = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


def _isolate_aws_env(mp: pytest.MonkeyPatch) -> None:
    for name in _PROXY_ENV:
        mp.delenv(name, raising=False)
    mp.setenv("NO_PROXY", "127.0.0.1,localhost")
    mp.setenv("no_proxy", "127.0.0.1,localhost")
    mp.setenv("AWS_CONFIG_FILE", "/nonexistent/aws-config")
    mp.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials")
    mp.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture(scope="session")
def moto_s3() -> Iterator[str]:
    """Run moto's S3 server on a free loopback port for the session; yields its endpoint."""
    import boto3
    from moto.server import ThreadedMotoServer

    # port=0 is handed straight to werkzeug's make_server, so the OS picks a free port.
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        with pytest.MonkeyPatch.context() as mp:
            _isolate_aws_env(mp)
            client = boto3.client(
                "s3",
                endpoint_url=endpoint,
                region_name=S3_REGION,
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )
            client.create_bucket(
                Bucket=S3_BUCKET, CreateBucketConfiguration={"LocationConstraint": S3_REGION}
            )
        yield endpoint
    finally:
        server.stop()


@pytest.fixture
def s3_settings(moto_s3, monkeypatch, request) -> dict:
    """Config keys for the moto bucket with a key prefix of this test's own; env isolated."""
    _isolate_aws_env(monkeypatch)
    prefix = "t/" + "".join(c if c.isalnum() or c in "_.-" else "-" for c in request.node.name)
    return {
        "S3_BUCKET": S3_BUCKET,
        "S3_ENDPOINT_URL": moto_s3,
        "S3_REGION": S3_REGION,
        "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
        "S3_PREFIX": prefix,
    }


# ---------------------------------------------------------------- SMTP (aiosmtpd on loopback)


class SmtpInbox:
    """What a loopback SMTP server received; once `accept` (when set) mails are in, it answers
    451 to every further mail, as a server going down mid-run."""

    def __init__(self):
        self.messages: list = []
        self.accept: int | None = None

    async def handle_DATA(self, server, session, envelope):
        if self.accept is not None and len(self.messages) >= self.accept:
            return "451 Tijdelijk niet beschikbaar"
        from email import message_from_bytes, policy

        raw = envelope.original_content.replace(b"\r\n", b"\n")  # SMTP's line ends, as written
        self.messages.append(message_from_bytes(raw, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp_server(app):
    """Run a real SMTP server on a free loopback port and point the app at it; yields the inbox
    (`smtp_server.stop()` / `.start()` take the server down and up again on the same port).

    aiosmtpd's Controller connects to its own port to check it is up, so the port is chosen
    first (bind to port 0, read it, release it) rather than left to the server.
    """
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = SmtpInbox()
    running: list = []

    def start():
        running.append(Controller(inbox, hostname="127.0.0.1", port=port))
        running[-1].start()

    def stop():
        running.pop().stop()

    inbox.start, inbox.stop = start, stop
    start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    yield inbox
    while running:
        stop()


class QueuedMail:
    """The mails in the outbox as (to, subject, body), read afresh on every look."""

    def __init__(self, engine):
        self.engine = engine

    def _rows(self) -> list[tuple[str, str, str]]:
        from sqlmodel import select

        from portfolio.models import OutboxMail

        with Session(self.engine) as session:
            mails = session.exec(select(OutboxMail).order_by(OutboxMail.id)).all()
            return [(m.to_address, m.subject, m.body) for m in mails]

    def __iter__(self):
        return iter(self._rows())

    def __len__(self) -> int:
        return len(self._rows())

    def __getitem__(self, index):
        return self._rows()[index]

    def __eq__(self, other) -> bool:
        return self._rows() == list(other)

    def clear(self) -> None:
        from portfolio.models import OutboxMail

        with self.engine.begin() as conn:
            conn.execute(OutboxMail.__table__.delete())


@pytest.fixture
def outbox(app, engine) -> QueuedMail:
    """The mails queued in the outbox (not yet sent or sent): compare with a list of tuples."""
    return QueuedMail(engine)


def pytest_collection_modifyitems(items):
    """A browser test that fails is run up to twice more, and reported as rerun ('R').

    Chromium, the service worker and IndexedDB answer asynchronously: on a loaded machine a
    real race shows up as an occasional failure. A rerun keeps CI from losing a whole change to
    one slow moment, and the 'R' in the output keeps each one visible, to be looked into.
    """
    for item in items:
        if item.get_closest_marker("browser") or "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.flaky(reruns=2, reruns_delay=1))
