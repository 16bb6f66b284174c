"""Background jobs: RQ on Redis when REDIS_URL is set, else a thread in this process.

A job is a plain function called with simple arguments inside a request context of the app
(so sessions, storage, templates and url_for work as in a view); it never runs in a web
request. With Redis, `flask --app portfolio worker` runs the jobs (any number of workers, on
any machine that reaches the database, Redis and the storage). Without it, the embedded
default runs them one at a time on a thread of the web process, so `make run` needs nothing
else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from importlib import import_module

from flask import Flask, current_app

log = logging.getLogger(__name__)

QUEUE_NAME = "portfolio"
_worker_app: Flask | None = None


def submit(task: Callable, *args) -> None:
    """Run task(*args) in the background; returns at once."""
    app: Flask = current_app._get_current_object()
    path = f"{task.__module__}:{task.__qualname__}"
    if app.config.get("REDIS_URL"):
        queue(app).enqueue(run_task, path, *args, job_timeout=app.config["JOB_TIMEOUT_SECONDS"])
        return
    executor = app.extensions.get("jobs_executor")
    if executor is None:
        # One at a time: exports are CPU-bound and must not starve the web requests.
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="portfolio-job")
        app.extensions["jobs_executor"] = executor
    executor.submit(_run_logged, app, path, args)


def queue(app: Flask):
    """Return the RQ queue of this app's Redis."""
    from redis import Redis
    from rq import Queue

    return Queue(QUEUE_NAME, connection=Redis.from_url(app.config["REDIS_URL"]))


def _run_logged(app: Flask, path: str, args: tuple) -> None:
    try:
        _run(app, path, args)
    except Exception:
        # A task records its own failure for the user; this is for the operator's log.
        log.exception("background job %s%r failed", path, args)


def _run(app: Flask, path: str, args: tuple) -> None:
    module_name, name = path.split(":")
    task = getattr(import_module(module_name), name)
    # A POST's context: a job writes, and keeps its transactions (portfolio/db.py gives a GET
    # of a page an autocommit connection).
    with app.test_request_context(method="POST"):
        task(*args)


def bind_worker_app(app: Flask) -> None:
    """Make the jobs an RQ worker in this process runs use this app (flask worker, tests)."""
    global _worker_app
    _worker_app = app


def run_task(path: str, *args) -> None:
    """What an RQ worker calls: the task inside the worker's app."""
    global _worker_app
    if _worker_app is None:
        from portfolio import create_app

        _worker_app = create_app()
    _run(_worker_app, path, args)


def run_worker(app: Flask, *, burst: bool = False) -> None:
    """Work the queue in this process until stopped (burst: until it is empty)."""
    from rq import SimpleWorker

    bind_worker_app(app)
    q = queue(app)
    # SimpleWorker runs each job in this process instead of a fork: the bound app and its
    # database pool are never shared between processes.
    SimpleWorker([q], connection=q.connection).work(burst=burst)
