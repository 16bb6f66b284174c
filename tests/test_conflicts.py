"""Settling an edit conflict keeps the losing text as its own history row, never merged."""

from datetime import UTC, datetime, timedelta

import pytest

from portfolio.domain import items as ops
from portfolio.domain import versions
from portfolio.domain.conflicts import KEEP_MINE, KEEP_SAVED, resolve_conflict
from portfolio.domain.errors import DomainError
from portfolio.models import ItemKind, Placement, User

T0 = datetime(2025, 10, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def two_tabs(world, db):
    """Tab A saved twice in a minute (one merged row); tab B still holds version 1."""
    placement = db.get(Placement, world.placement.id)
    student = db.get(User, world.student.id)
    item = ops.get_or_create_item(db, placement, ItemKind.BEGINSITUATIE, actor=student, moment=T0)
    for minute, text in ((1, "tekst van A"), (2, "tekst van A, langer")):
        ops.save_item(
            db,
            item,
            content={"doelgroep": text},
            base_version=item.version,
            actor=student,
            moment=T0 + timedelta(minutes=minute),
        )
    with pytest.raises(versions.StaleVersion):
        ops.save_item(
            db,
            item,
            content={"doelgroep": "tekst van B"},
            base_version=1,
            actor=student,
            moment=T0 + timedelta(minutes=3),
        )
    return item, student


def _settle(db, item, student, choice, text, *, base):
    return resolve_conflict(
        db,
        item,
        choice=choice,
        content={"doelgroep": text},
        title=None,
        base_version=base,
        actor=student,
        moment=T0 + timedelta(minutes=3),
    )


def _texts(db, item):
    return [row.content.get("doelgroep") for row in versions.versions_of(db, item)]


def test_keeping_mine_leaves_the_saved_text_on_its_own_row(db, two_tabs):
    item, student = two_tabs
    _settle(db, item, student, KEEP_MINE, "tekst van B", base=item.version)
    assert item.content["doelgroep"] == "tekst van B"
    # Same person, within five minutes: still two rows, the losing text is findable.
    assert _texts(db, item)[:2] == ["tekst van B", "tekst van A, langer"]
    # Typing on after the conflict merges into the winner's row, never into the loser's.
    ops.save_item(
        db,
        item,
        content={"doelgroep": "tekst van B, verder"},
        base_version=item.version,
        actor=student,
        moment=T0 + timedelta(minutes=4),
    )
    assert _texts(db, item)[:2] == ["tekst van B, verder", "tekst van A, langer"]


def test_taking_the_saved_version_keeps_mine_in_the_history(db, two_tabs):
    item, student = two_tabs
    saved_version = item.version
    _settle(db, item, student, KEEP_SAVED, "tekst van B", base=saved_version)
    assert item.content["doelgroep"] == "tekst van A, langer"
    rows = versions.versions_of(db, item)
    assert [r.content.get("doelgroep") for r in rows][:3] == [
        "tekst van A, langer",
        "tekst van B",
        "tekst van A, langer",
    ]
    assert rows[0].restored_from == saved_version


def test_a_conflict_settled_on_an_outdated_version_is_a_new_conflict(db, two_tabs):
    item, student = two_tabs
    with pytest.raises(versions.StaleVersion):
        _settle(db, item, student, KEEP_MINE, "tekst van B", base=1)
    with pytest.raises(DomainError):
        _settle(db, item, student, "allebei", "x", base=item.version)
    assert _texts(db, item)[0] == "tekst van A, langer"
