"""The derived per-day columns follow every path that changes what they are derived from."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select
from werkzeug.datastructures import FileStorage

from portfolio.clock import start_of_day
from portfolio.domain import files
from portfolio.domain import items as ops
from portfolio.domain import placements as calendar_ops
from portfolio.domain.day_state import refresh_all_days
from portfolio.domain.progress import designs_late, reflection_missing
from portfolio.models import DayKind, ItemKind, Placement, StageDay, User
from portfolio.storage import LocalStorage

T0 = datetime(2025, 10, 1, 9, 0, tzinfo=UTC)  # before the placement starts (Mon 6 Oct)
THREE = {"wat_gebeurde": "Kring", "waaraan_lag": "Drukte", "meenemen": "Rustiger starten"}
FIVE = {"beginsituatie": "a", "doel": "b", "aanbod": "c", "begeleiding": "d", "organisatie": "e"}
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" + bytes(32)


@pytest.fixture
def w(world, db):
    world.p = db.get(Placement, world.placement.id)
    world.s = db.get(User, world.student.id)
    world.coordinator = db.get(User, world.coordinator.id)
    world.days = list(
        db.exec(select(StageDay).where(StageDay.placement_id == world.p.id).order_by(StageDay.day))
    )
    return world


def _save(db, item, actor, moment, **content):
    ops.save_item(db, item, content=content, base_version=item.version, actor=actor, moment=moment)
    db.commit()


def _fresh(db, day: StageDay) -> StageDay:
    """Read the day's columns from the database, not from the session's copy."""
    db.expire(day)
    return db.get(StageDay, day.id)


def _state(db, day):
    day = _fresh(db, day)
    return day.offer_count, day.ready_design_count, day.designs_ready_at, day.designs_ready_on


def _reflection(db, w, day):
    return ops.get_or_create_item(
        db, w.p, ItemKind.REFLECTIE, stage_day_id=day.id, actor=w.s, moment=T0
    )


def test_saving_a_reflection_sets_when_it_first_counted_as_written(db, w):
    day = w.days[0]
    reflection = _reflection(db, w, day)
    _save(db, reflection, w.s, T0, wat_gebeurde="Kring", waaraan_lag="Drukte")
    assert _fresh(db, day).reflection_written_at is None
    _save(db, reflection, w.s, T0 + timedelta(hours=1), meenemen="Rustiger")
    assert _fresh(db, day).reflection_written_at == T0 + timedelta(hours=1)
    _save(db, reflection, w.s, T0 + timedelta(hours=2), meenemen="Rustiger starten")
    assert _fresh(db, day).reflection_written_at == T0 + timedelta(hours=1)  # first time stays
    _save(db, reflection, w.s, T0 + timedelta(hours=3), meenemen="")
    assert _fresh(db, day).reflection_written_at is None
    assert _fresh(db, w.days[1]).reflection_written_at is None  # another day is untouched


def test_restoring_a_version_follows_the_restored_content(db, w):
    day = w.days[0]
    reflection = _reflection(db, w, day)
    _save(db, reflection, w.s, T0, **THREE)
    _save(db, reflection, w.s, T0 + timedelta(days=1), meenemen="")
    assert _fresh(db, day).reflection_written_at is None
    first_full = reflection.version - 1
    ops.restore_version(db, reflection, first_full, actor=w.s, moment=T0 + timedelta(days=2))
    db.commit()
    assert _fresh(db, day).reflection_written_at == T0 + timedelta(days=2)


def test_a_recording_makes_the_reflection_written_and_its_removal_undoes_it(app, db, w, tmp_path):
    day = w.days[0]
    reflection = _reflection(db, w, day)
    db.commit()
    with app.app_context():
        upload = files.store_upload(
            db,
            item=reflection,
            file=FileStorage(io.BytesIO(MP3), filename="reflectie.mp3"),
            caption="",
            actor=w.s,
            storage=LocalStorage(tmp_path),
            max_image_bytes=10_000,
            max_media_bytes=10_000,
        )
        db.commit()
    assert _fresh(db, day).reflection_written_at == upload.uploaded_at
    files.delete_upload(db, upload, actor=w.s)
    db.commit()
    assert _fresh(db, day).reflection_written_at is None


def test_offers_and_designs_set_the_counts_and_the_moment(db, w):
    day = w.days[2]  # Wed 8 Oct
    offer = ops.create_item(
        db, w.p, ItemKind.AANBOD, title="Verfspel", stage_day_id=day.id, actor=w.s, moment=T0
    )
    db.commit()
    assert _state(db, day) == (1, 0, None, None)
    design = ops.get_or_create_item(
        db, w.p, ItemKind.DENKWERK, parent_id=offer.id, actor=w.s, moment=T0
    )
    _save(db, design, w.s, T0, **FIVE)
    assert _state(db, day) == (1, 1, T0, date(2025, 10, 1))
    # A second offer without a design: one missing, no moment.
    second = ops.create_item(
        db, w.p, ItemKind.AANBOD, title="Kring", stage_day_id=day.id, actor=w.s, moment=T0
    )
    db.commit()
    assert _state(db, day) == (2, 1, None, None)
    # Taken over from the mentor: only the accents count, written on the day itself (late).
    _save(db, second, w.s, T0, bron="mentor")
    late = start_of_day(day.day) + timedelta(hours=2)
    second_design = ops.get_or_create_item(
        db, w.p, ItemKind.DENKWERK, parent_id=second.id, actor=w.s, moment=late
    )
    _save(db, second_design, w.s, late, accenten="Open vragen")
    assert _state(db, day) == (2, 2, late, day.day)
    # Removing the late offer takes its design along: the day is ready in time again.
    ops.delete_item(db, second, actor=w.s, moment=late)
    db.commit()
    assert _state(db, day) == (1, 1, T0, date(2025, 10, 1))


def test_an_offer_moved_to_another_day_is_counted_there(db, w):
    first, second = w.days[3], w.days[4]
    offer = ops.create_item(
        db, w.p, ItemKind.AANBOD, title="Verfspel", stage_day_id=first.id, actor=w.s, moment=T0
    )
    db.commit()
    offer.stage_day_id = second.id
    db.add(offer)
    db.commit()
    assert _state(db, first)[0] == 0 and _state(db, second)[0] == 1


def test_calendar_changes_keep_the_columns_right(db, w):
    day = w.days[0]
    reflection = _reflection(db, w, day)
    _save(db, reflection, w.s, T0, **THREE)
    calendar_ops.move_day(
        db, w.p, day, date(2025, 10, 11), actor=w.coordinator, confirm_day_off=True
    )
    db.commit()
    moved = _fresh(db, day)
    assert moved.day == date(2025, 10, 11) and moved.reflection_written_at == T0
    added = calendar_ops.add_day(db, w.p, date(2025, 11, 20), DayKind.R, actor=w.coordinator)
    db.commit()
    assert _state(db, added)[:2] == (0, 0) and _fresh(db, added).reflection_written_at is None
    calendar_ops.remove_day(db, w.p, added, actor=w.coordinator)
    db.commit()
    assert db.get(StageDay, added.id) is None


def test_backfill_derives_every_day_from_the_items(db, w, make_item):
    make_item(w.p, ItemKind.REFLECTIE, stage_day_id=w.days[0].id, content=THREE, completed_at=T0)
    offer = make_item(w.p, ItemKind.AANBOD, stage_day_id=w.days[1].id, content={})
    make_item(w.p, ItemKind.DENKWERK, parent_id=offer.id, content=FIVE, completed_at=T0)
    # Rows written before the columns existed: wipe what the hook stored, then derive again.
    db.exec(
        update(StageDay).values(offer_count=0, ready_design_count=0, reflection_written_at=None)
    )
    db.commit()
    assert refresh_all_days(db) >= len(w.days)
    db.commit()
    assert _fresh(db, w.days[0]).reflection_written_at == T0
    assert _state(db, w.days[1])[:3] == (1, 1, T0)


def test_the_sql_clauses_select_missing_reflections_and_late_designs(db, w, make_item):
    today = date(2025, 10, 9)  # Thursday: Mon-Wed are over
    make_item(w.p, ItemKind.REFLECTIE, stage_day_id=w.days[0].id, content=THREE, completed_at=T0)
    on_time = make_item(w.p, ItemKind.AANBOD, stage_day_id=w.days[1].id, content={})
    make_item(w.p, ItemKind.DENKWERK, parent_id=on_time.id, content=FIVE, completed_at=T0)
    make_item(w.p, ItemKind.AANBOD, stage_day_id=w.days[2].id, content={})  # no design
    of_placement = StageDay.placement_id == w.p.id
    missing = db.exec(select(StageDay.day).where(of_placement, reflection_missing(today))).all()
    assert sorted(missing) == [w.days[1].day, w.days[2].day]
    late = db.exec(select(StageDay.day).where(of_placement, designs_late(today))).all()
    assert late == [w.days[2].day]


def test_an_edit_that_keeps_the_state_does_not_touch_the_day(db, w, count_queries):
    day = w.days[0]
    reflection = _reflection(db, w, day)
    _save(db, reflection, w.s, T0, **THREE)
    with count_queries() as counted:
        _save(db, reflection, w.s, T0 + timedelta(hours=1), meenemen="Nog rustiger starten")
    assert not [s for s in counted.statements if "stageday" in s.lower()], counted.statements
    assert _fresh(db, day).reflection_written_at == T0
