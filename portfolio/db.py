"""One SQLModel session per request, committed in one place, rolled back on any error."""

from __future__ import annotations

import time
from functools import cache

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import Engine, event, exc
from sqlmodel import Session, create_engine

# A pooled connection unused for this long is pinged before a request gets it (a database
# restart or a firewall's idle timeout kills quiet connections). One in use moments ago is
# trusted: the ping was a round trip on every request (0.2 ms of CPU, a twentieth of an
# autosave). If the database restarted in between, that request fails and SQLAlchemy renews
# the worker's whole pool.
PING_AFTER_IDLE_SECONDS = 10.0


@cache
def engine_for(url: str) -> Engine:
    """Return the (process-wide, cached) engine for a database URL."""
    return make_engine(url)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            # SQLite ignores foreign keys unless asked; WAL lets readers and a writer coexist.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

        return engine
    engine = create_engine(url)
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    @event.listens_for(engine, "checkin")
    def _note_return(_dbapi_connection, record):
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy):
        returned_at = record.info.get("returned_at")
        if returned_at is not None and time.monotonic() - returned_at < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # The pool discards this connection and checks out another (SQLAlchemy's recipe
            # for pessimistic disconnect handling).
            raise exc.DisconnectionError() from error


def get_engine() -> Engine:
    return engine_for(current_app.config["DATABASE_URL"])


# Requests that only read. On PostgreSQL they run in autocommit: a transaction costs two round
# trips of its own (psycopg sends BEGIN before the first statement, and the COMMIT), as many as
# the session check itself, and a page that only reads gains nothing from them (each statement
# sees what was committed before it, as in a READ COMMITTED transaction). See `get_session`.
READING_METHODS = frozenset({"GET", "HEAD"})


def get_session() -> Session:
    """Return this request's session, opening it on first use.

    A GET or HEAD on PostgreSQL gets an autocommit connection (READING_METHODS). The few writes
    such a request makes (the session's last-seen time, an idle session ended) are one statement
    each, which commits on its own, even when the page then fails; a GET view that writes more
    is marked `writes_on_get` and gets one transaction.
    """
    if "db_session" not in g:
        engine = get_engine()
        if has_request_context() and _only_reads():
            engine = _reading(engine)
        g.db_session = Session(engine, expire_on_commit=False)
    return g.db_session


def writes_on_get(view):
    """Mark a GET view that writes more than one statement (signing in with a mentor link):
    it runs in one transaction, as a form's POST does."""
    view.writes_on_get = True
    return view


def _only_reads() -> bool:
    """A GET or HEAD that no `writes_on_get` view answers. (Background jobs run in a POST's
    request context: see portfolio/jobs.py.)"""
    if request.method not in READING_METHODS:
        return False
    view = current_app.view_functions.get(request.endpoint)
    return not getattr(view, "writes_on_get", False)


@cache
def _reading(engine: Engine) -> Engine:
    """The engine for requests that only read: autocommit on PostgreSQL (the same pool)."""
    if engine.dialect.name != "postgresql":
        return engine  # SQLite's transactions are calls in the process, not round trips
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def init_app(app: Flask) -> None:
    @app.after_request
    def commit_on_success(response):
        # The one commit per request: only when the view succeeded (2xx/3xx).
        session = g.get("db_session")
        if session is not None:
            if response.status_code < 400:
                session.commit()
            else:
                session.rollback()
        return response

    @app.teardown_request
    def close_session(exc):
        session = g.pop("db_session", None)
        if session is not None:
            if exc is not None:
                session.rollback()
            session.close()
