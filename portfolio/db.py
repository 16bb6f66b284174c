"""One SQLModel session per request, committed in one place, rolled back on any error."""

from __future__ import annotations

import time
from functools import cache

from flask import Flask, current_app, g
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


def get_session() -> Session:
    """Return this request's session, opening it on first use."""
    if "db_session" not in g:
        g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session


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
