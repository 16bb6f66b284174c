"""Pooled PostgreSQL connections: a quiet one is pinged before use, a busy one is trusted.

A database restart or a firewall's idle timeout ends connections; a request must not fail on
one that sat unused in the pool. A connection returned moments ago skips the ping (a round
trip on every request); if it died since, that one request fails and the pool is renewed.
"""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from portfolio import db as db_module


@pytest.fixture
def pg_engine(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("pooled connections to a server: PostgreSQL only")
    engine = db_module.make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def end_backend(database_url):
    """End a server process from outside the pool, as a restart would."""
    admin = create_engine(database_url, poolclass=NullPool)

    def end(pid: int) -> None:
        with admin.begin() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    yield end
    admin.dispose()


def _backend_pid(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT pg_backend_pid()")).scalar_one()


def test_a_connection_that_sat_idle_is_pinged_and_replaced(pg_engine, end_backend, monkeypatch):
    first = _backend_pid(pg_engine)  # back in the pool, unused
    end_backend(first)
    monkeypatch.setattr(db_module, "PING_AFTER_IDLE_SECONDS", 0.0)  # it counts as idle now
    pids = {_backend_pid(pg_engine) for _ in range(3)}  # no request fails
    assert first not in pids  # the dead connection was found by the ping, never handed out


def test_a_connection_used_moments_ago_is_not_pinged(pg_engine):
    _backend_pid(pg_engine)
    pings = []
    original = pg_engine.dialect.do_ping
    pg_engine.dialect.do_ping = lambda connection: pings.append(1) or original(connection)
    try:
        for _ in range(5):
            _backend_pid(pg_engine)
    finally:
        pg_engine.dialect.do_ping = original
    assert pings == []


def test_a_busy_connection_that_died_fails_once_then_the_pool_is_renewed(pg_engine, end_backend):
    with pg_engine.connect() as a, pg_engine.connect() as b:
        pids = {
            a.execute(text("SELECT pg_backend_pid()")).scalar_one(),
            b.execute(text("SELECT pg_backend_pid()")).scalar_one(),
        }
    for pid in pids:  # the database restarts while both were just used
        end_backend(pid)
    failures = 0
    for _ in range(4):
        try:
            _backend_pid(pg_engine)
        except OperationalError:
            failures += 1
    assert failures == 1  # that one request fails; SQLAlchemy then renews the whole pool
    assert _backend_pid(pg_engine) not in pids
