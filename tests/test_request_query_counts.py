"""The daily pages' per-request cost (issue 12): a fixed, small number of SQL statements, a
reflection page that reads without writing, and an autosave in four statements."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from portfolio.models import Feedback, FeedbackRequest, Item, ItemKind, ItemVersion, StageDay

NOW = datetime(2025, 10, 20, 18, 0, tzinfo=UTC)
# One PNG pixel: a photo the reflection's upload widget takes.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
VERSION = re.compile(r'name="version" value="(\d+)"')
ITEM_ID = re.compile(r'name="item_id" value="(\d+)"')


@pytest.fixture
def student(world, login_as, set_now):
    set_now(NOW)
    return login_as(world.student)


def _days(db, world) -> list[StageDay]:
    return db.exec(
        select(StageDay).where(StageDay.placement_id == world.placement.id).order_by(StageDay.day)
    ).all()


def _day(db, world, index: int) -> StageDay:
    """The placement's stage day at this index (in date order)."""
    return _days(db, world)[index]


def _reflections(db, world) -> list[Item]:
    db.expire_all()
    return db.exec(
        select(Item).where(Item.placement_id == world.placement.id, Item.kind == ItemKind.REFLECTIE)
    ).all()


def _save(client, world, day, **fields):
    data = {"kind": "reflectie", "stage_day_id": str(day.id), "version": "0", **fields}
    return client.post(
        f"/stages/{world.placement.id}/portfolio/bewaren",
        data=data,
        headers={"HX-Request": "true"},
    )


def _grow(db, world, make_item, n: int) -> None:
    """Add n days' worth of what the pages list: a reflection, an offer, feedback, a question."""
    used = {i.stage_day_id for i in _reflections(db, world)}
    free = [d for d in _days(db, world) if d.id not in used][:n]
    for k, day in enumerate(free):
        reflection = make_item(
            world.placement, ItemKind.REFLECTIE, stage_day_id=day.id, content={"meenemen": "x"}
        )
        make_item(world.placement, ItemKind.AANBOD, stage_day_id=day.id, title=f"Aanbod {k}")
        db.add(
            Feedback(
                placement_id=world.placement.id,
                item_id=reflection.id,
                author_id=world.supervisor.id,
                kind="suggestie",
                body="Mooi.",
                created_at=NOW - timedelta(days=1),
            )
        )
        db.add(
            FeedbackRequest(
                placement_id=world.placement.id,
                item_id=reflection.id,
                question="Ok?",
                asked_at=NOW - timedelta(days=2),
            )
        )
    db.commit()


# ---------------------------------------------------------------- query counts


@pytest.mark.parametrize(
    ("url", "most"),
    [
        ("/", 10),  # was 14: layout, news, item names and the package each one query less
        # Portfolio pages read the two placement-document switches (one query) for their menu.
        ("/stages/{p}/portfolio/stap-3", 6),  # was 6+1: the layout's two counts in one query
        ("/stages/{p}/portfolio/stap-5", 6),
        ("/stages/{p}/portfolio/dagen/{d}/reflectie", 7),  # was 9+1 (and an INSERT when new)
    ],
)
def test_daily_pages_run_few_statements_whatever_the_size(
    db, world, student, make_item, count_queries, url, most
):
    url = url.format(p=world.placement.id, d=_day(db, world, 0).id)  # has its reflection
    counts = []
    for n in (1, 4):
        _grow(db, world, make_item, n)
        with count_queries() as counted:
            page = student.get(url)
        assert page.status_code == 200
        counts.append(counted.n)
    assert counts[0] == counts[1], counts
    assert counts[1] <= most, "\n".join(s[:150] for s in counted.statements)


def test_an_autosave_runs_four_statements(db, world, student, count_queries):
    day = _day(db, world, 1)
    first = _save(student, world, day, meenemen="Eerste zin.")
    item_id = ITEM_ID.search(first.text).group(1)
    version = VERSION.search(first.text).group(1)
    second = _save(
        student, world, day, meenemen="Eerste zin. Tweede.", item_id=item_id, version=version
    )
    version = VERSION.search(second.text).group(1)
    with count_queries() as counted:
        third = _save(student, world, day, meenemen="Nog een.", item_id=item_id, version=version)
    assert third.status_code == 200
    # Session, item with placement, UPDATE item, UPDATE (merge into) the latest history row.
    assert counted.n == 4, counted.statements
    db.expire_all()
    rows = db.exec(select(ItemVersion).where(ItemVersion.item_id == int(item_id))).all()
    # The first save made the row of version 2; the next two merged into it (one author).
    assert [(r.version, r.content["meenemen"]) for r in rows] == [(4, "Nog een.")]


def test_a_save_by_someone_else_is_not_merged_into_the_students_row(db, world, student):
    from portfolio.domain.versions import record_version

    day = _day(db, world, 1)
    first = _save(student, world, day, meenemen="Een.")
    item_id = int(ITEM_ID.search(first.text).group(1))
    version = VERSION.search(first.text).group(1)
    _save(student, world, day, meenemen="Twee.", item_id=str(item_id), version=version)
    item = db.get(Item, item_id)
    record_version(db, item, actor=world.supervisor, moment=NOW)
    db.commit()
    rows = db.exec(select(ItemVersion).where(ItemVersion.item_id == item_id)).all()
    assert [r.saved_by_id for r in rows] == [world.student.id, world.supervisor.id]


# ---------------------------------------------------------------- a GET never writes


def test_opening_a_days_reflection_creates_nothing(db, world, student):
    day = _day(db, world, 2)
    page = student.get(f"/stages/{world.placement.id}/portfolio/dagen/{day.id}/reflectie")
    assert page.status_code == 200
    assert _reflections(db, world) == []
    # A blank form: its scope travels along and the first save creates the item.
    assert f'name="stage_day_id" value="{day.id}"' in page.text
    assert 'name="version" value="0"' in page.text and 'name="item_id"' not in page.text
    # The upload widget is there too, posting to the route that creates the reflection.
    assert f"/portfolio/dagen/{day.id}/reflectie/bestanden" in page.text


def test_the_first_save_creates_the_reflection_and_the_next_saves_carry_its_id(db, world, student):
    day = _day(db, world, 2)
    first = _save(student, world, day, meenemen="Vandaag las ik voor.")
    assert first.status_code == 200
    [item] = _reflections(db, world)
    assert (item.stage_day_id, item.content["meenemen"]) == (day.id, "Vandaag las ik voor.")
    assert ITEM_ID.search(first.text).group(1) == str(item.id)
    again = _save(
        student,
        world,
        day,
        meenemen="Vandaag las ik twee keer voor.",
        item_id=str(item.id),
        version=VERSION.search(first.text).group(1),
    )
    assert again.status_code == 200
    assert len(_reflections(db, world)) == 1


def _upload(client, world, day, content=PNG, name="foto.png"):
    return client.post(
        f"/stages/{world.placement.id}/portfolio/dagen/{day.id}/reflectie/bestanden",
        data={"bestand": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
        headers={"HX-Request": "true"},
    )


def test_a_first_upload_creates_the_reflection_and_the_open_form_still_saves(db, world, student):
    day = _day(db, world, 2)
    answer = _upload(student, world, day)
    assert answer.status_code == 200, answer.text
    [item] = _reflections(db, world)
    assert f"/items/{item.id}/bestanden" in answer.text  # the widget now names the item
    # The page's form was loaded before the item existed (version 0, no id): no conflict.
    saved = _save(student, world, day, meenemen="Bij de foto.")
    assert saved.status_code == 200, saved.text
    assert _reflections(db, world)[0].content == {"meenemen": "Bij de foto."}


def test_a_refused_first_upload_leaves_no_reflection_and_a_widget_that_retries(db, world, student):
    day = _day(db, world, 2)
    answer = _upload(student, world, day, content=b"%PDF-1.4 not a photo", name="x.pdf")
    assert answer.status_code in (400, 415, 422), answer.status_code
    assert _reflections(db, world) == []
    assert f"/portfolio/dagen/{day.id}/reflectie/bestanden" in answer.text


def test_the_day_upload_route_checks_who_and_where(db, world, login_as, set_now, make_placement):
    set_now(NOW)
    day = _day(db, world, 2)
    other = make_placement()
    url = f"/stages/{other.id}/portfolio/dagen/{day.id}/reflectie/bestanden"
    assert login_as(world.student).post(url, data={}).status_code in (403, 404)
    mine = f"/stages/{world.placement.id}/portfolio/dagen/{day.id}/reflectie/bestanden"
    assert login_as(world.supervisor).post(mine, data={}).status_code == 403
    agenda = f"/stages/{world.placement.id}/portfolio/dagen/{day.id}/agenda/bestanden"
    assert login_as(world.student).post(agenda, data={}).status_code == 404
    assert _reflections(db, world) == []
