"""A request that only reads (GET, HEAD) runs in autocommit on PostgreSQL; one that may write
runs in one transaction. A transaction cost two round trips of its own (psycopg's BEGIN and the
COMMIT), as many as the session check, on every page view."""

import pytest
from sqlalchemy import event

from portfolio import jobs
from portfolio.db import get_engine, get_session
from portfolio.domain.mentor_links import issue_link
from portfolio.models import Item, ItemKind


@pytest.fixture
def autocommit_seen(app, database_url):
    """Record, per statement the app runs, the request's method and the connection's mode."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite's transactions are calls in the process: no round trips to save")
    from flask import has_request_context, request

    seen = []

    def note(_conn, cursor, *_args):
        if has_request_context():
            seen.append((request.method, cursor.connection.autocommit))

    with app.app_context():
        engine = get_engine()
    event.listen(engine, "before_cursor_execute", note)
    yield seen
    event.remove(engine, "before_cursor_execute", note)


def test_pages_read_in_autocommit_and_forms_write_in_one_transaction(
    autocommit_seen, db, world, login_as, make_item
):
    item = make_item(world.placement, ItemKind.ACTIEPUNT, content={"actiepunt": "Kring"})
    student = login_as(world.student)
    base = f"/stages/{world.placement.id}/portfolio"
    for _ in range(2):  # a connection back in the pool forgets the mode of its last request
        assert student.get("/").status_code == 200
        answer = student.post(
            f"{base}/bewaren",
            data={"item_id": item.id, "version": item.version, "actiepunt": "Kring en prenten"},
            headers={"HX-Request": "true"},
        )
        assert answer.status_code == 200
        item.version += 1
        assert student.head("/").status_code == 200
    modes = {}
    for method, autocommit in autocommit_seen:
        modes.setdefault(method, set()).add(autocommit)
    assert modes == {"GET": {True}, "POST": {False}, "HEAD": {True}}
    db.expire_all()
    assert db.get(Item, item.id).content["actiepunt"] == "Kring en prenten"


def test_a_failed_form_still_leaves_nothing_half_written(
    autocommit_seen, db, world, login_as, make_item
):
    """The transaction of a write holds: a refused save (a stale version) changes nothing."""
    item = make_item(world.placement, ItemKind.ACTIEPUNT, content={"actiepunt": "Kring"})
    student = login_as(world.student)
    answer = student.post(
        f"/stages/{world.placement.id}/portfolio/bewaren",
        data={"item_id": item.id, "version": item.version + 5, "actiepunt": "Iets anders"},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 409
    assert {autocommit for method, autocommit in autocommit_seen if method == "POST"} == {False}
    db.expire_all()
    assert db.get(Item, item.id).content == {"actiepunt": "Kring"}


def test_signing_in_with_a_mentor_link_is_one_transaction(autocommit_seen, app, db, world):
    """A GET that writes more than one statement is marked and keeps its transaction."""
    _link, token = issue_link(db, world.mentor, moment=app.config["FROZEN_NOW"], actor=None)
    db.commit()
    client = app.test_client()
    assert client.get(f"/m/{token}").status_code == 302
    signing_in = {autocommit for _method, autocommit in autocommit_seen}
    autocommit_seen.clear()
    assert client.get("/mentor").status_code == 200  # signed in
    assert signing_in == {False}
    assert {autocommit for _method, autocommit in autocommit_seen} == {True}


def _job_task() -> None:
    get_session().connection().exec_driver_sql("SELECT 1")


def test_a_background_job_keeps_its_transactions(autocommit_seen, app):
    """Jobs run in a request context of their own (portfolio/jobs.py), not a page's."""
    jobs._run(app, "test_reading_requests:_job_task", ())
    assert autocommit_seen == [("POST", False)]
