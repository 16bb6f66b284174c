"""WSGI apps for benchmarks/load.py, served by gunicorn exactly like production.

`counted_app`: the real app, plus an `X-SQL-Queries` response header with the number of SQL
statements the request ran, plain-HTTP cookies (the load driver speaks http on loopback) and
no login limit (every simulated user comes from 127.0.0.1).
`bare_app`: a Flask endpoint doing nothing, the ceiling the real endpoints are compared with.
The counted app also has `FLOOR_PATH`: a signed-in request that does nothing but what every
request of the app does (the session check, the hooks, the commit), the floor under every page.
"""

from __future__ import annotations

from flask import Flask, g
from flask_login import login_required
from load_mix import FLOOR_PATH
from sqlalchemy import event
from sqlalchemy.engine import Engine

from portfolio import create_app


def _count_statement(*_args) -> None:
    if g:
        g.sql_queries = g.get("sql_queries", 0) + 1


def make_counted_app() -> Flask:
    app = create_app()
    app.config.update(
        SESSION_COOKIE_SECURE=False,
        REMEMBER_COOKIE_SECURE=False,
        LOGIN_RATE_LIMIT="1000000 per minute",
    )
    event.listen(Engine, "before_cursor_execute", _count_statement)
    app.add_url_rule(FLOOR_PATH, "benchmark_floor", login_required(lambda: "ok"))

    @app.after_request
    def report_queries(response):
        response.headers["X-SQL-Queries"] = str(g.get("sql_queries", 0))
        return response

    return app


def make_bare_app() -> Flask:
    app = Flask(__name__)

    @app.get("/")
    def index():
        return "ok"

    return app
