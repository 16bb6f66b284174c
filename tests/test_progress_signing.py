"""Per-day progress (design ready before the day, reflection after it) and package signing."""

from datetime import UTC, datetime, timedelta

import pytest

from portfolio.clock import start_of_day
from portfolio.domain.errors import DomainError
from portfolio.domain.placements import stage_days
from portfolio.domain.progress import DesignState, ReflectionState, day_statuses
from portfolio.domain.signing import content_hash, is_fully_signed, sign, signatures_of
from portfolio.domain.steps import design_is_ready, reflection_is_written
from portfolio.models import Item, ItemKind, Upload

FIVE = {"beginsituatie": "b", "doel": "d", "aanbod": "a", "begeleiding": "g", "organisatie": "o"}
THREE = {"wat_gebeurde": "x", "waaraan_lag": "y", "meenemen": "z"}


def test_design_needs_all_five_parts_or_the_accents_for_a_mentor_offer():
    assert design_is_ready(FIVE, own_offer=True)
    assert not design_is_ready({**FIVE, "doel": "  "}, own_offer=True)
    assert not design_is_ready(FIVE, own_offer=False)
    assert design_is_ready({"accenten": "meer vragen stellen"}, own_offer=False)


def test_reflection_needs_three_answers_or_a_recording():
    assert reflection_is_written(THREE)
    assert not reflection_is_written({**THREE, "meenemen": ""})
    assert reflection_is_written({}, has_recording=True)


def _offer(db, placement, day, *, own=True, title="Kringgesprek"):
    offer = Item(
        placement_id=placement.id,
        kind=ItemKind.AANBOD,
        stage_day_id=day.id,
        title=title,
        content={"bron": "eigen" if own else "mentor"},
    )
    db.add(offer)
    db.flush()
    return offer


def _design(db, placement, offer, content, completed_at):
    db.add(
        Item(
            placement_id=placement.id,
            kind=ItemKind.DENKWERK,
            parent_id=offer.id,
            content=content,
            completed_at=completed_at,
        )
    )


def test_day_statuses_for_designs_and_reflections(db, world):
    placement = world.placement
    days = stage_days(db, placement)  # 6, 7, 8, 13, 14, 15 Oct ...
    moment = datetime(2025, 10, 13, 10, 0, tzinfo=UTC)  # Monday 13 Oct, during the 4th day
    # Day 1: own offer, design ready the evening before -> klaar; reflection written.
    o1 = _offer(db, placement, days[0])
    _design(db, placement, o1, FIVE, start_of_day(days[0].day) - timedelta(hours=3))
    db.add(
        Item(
            placement_id=placement.id,
            kind=ItemKind.REFLECTIE,
            stage_day_id=days[0].id,
            content=THREE,
        )
    )
    # Day 2: design finished during the day -> te laat; reflection only as a recording.
    o2 = _offer(db, placement, days[1])
    _design(db, placement, o2, FIVE, start_of_day(days[1].day) + timedelta(hours=2))
    recorded = Item(
        placement_id=placement.id, kind=ItemKind.REFLECTIE, stage_day_id=days[1].id, content={}
    )
    db.add(recorded)
    db.flush()
    db.add(
        Upload(
            placement_id=placement.id,
            item_id=recorded.id,
            storage_key="k/1.webm",
            original_name="r.webm",
            mime="audio/webm",
            category="audio",
            size=10,
            uploaded_by_id=world.student.id,
        )
    )
    # Day 3: a mentor offer without accents -> ontbreekt; no reflection -> ontbreekt.
    _offer(db, placement, days[2], own=False)
    # Day 4 (today): no offer; reflection not due yet.
    db.commit()
    statuses = day_statuses(db, [placement, world.other_placement], moment)[placement.id]
    assert [s.design for s in statuses[:4]] == [
        DesignState.READY,
        DesignState.LATE,
        DesignState.MISSING,
        DesignState.NO_OFFER,
    ]
    assert [s.reflection for s in statuses[:4]] == [
        ReflectionState.WRITTEN,
        ReflectionState.WRITTEN,
        ReflectionState.MISSING,
        ReflectionState.NOT_YET,
    ]
    assert statuses[2].is_missing_something and not statuses[0].is_missing_something


def test_day_statuses_query_count_does_not_grow(db, world, make_placement, count_queries):
    moment = datetime(2025, 10, 20, tzinfo=UTC)
    with count_queries() as one:
        day_statuses(db, [world.placement], moment)
    many = [make_placement() for _ in range(4)]
    for placement in many:
        for day in stage_days(db, placement)[:3]:
            _offer(db, placement, day)
    db.commit()
    with count_queries() as five:
        day_statuses(db, [world.placement, *many], moment)
    assert five.n == one.n


@pytest.fixture
def package(db, world):
    item = Item(
        placement_id=world.placement.id,
        kind=ItemKind.STAGEPAKKET,
        content={"taken": "Een nieuwe wandeling ontwerpen"},
    )
    db.add(item)
    db.commit()
    return item


def test_all_three_parties_sign_and_a_change_voids_every_signature(app, db, world, package):
    moment = datetime(2025, 10, 20, tzinfo=UTC)
    with app.test_request_context():  # the last signature tells everyone (links in mails)
        for signer in (world.student, world.mentor, world.supervisor):
            sign(db, package, world.placement, signer=signer, moment=moment)
    db.commit()
    assert is_fully_signed(package, signatures_of(db, package), [])
    # The hash is recomputed where the attachments are known: any change breaks it.
    package.content = {**package.content, "taken": "Een andere wandeling"}
    assert not is_fully_signed(package, signatures_of(db, package), [])
    package.content = {"taken": "Een nieuwe wandeling ontwerpen  "}  # whitespace is not a change
    assert is_fully_signed(package, signatures_of(db, package), [])


def test_only_the_three_parties_sign_once_per_version(db, world, package):
    moment = datetime(2025, 10, 20, tzinfo=UTC)
    for outsider in (world.colleague, world.other_mentor, world.other_student, world.coordinator):
        with pytest.raises(DomainError) as refused:
            sign(db, package, world.placement, signer=outsider, moment=moment)
        assert refused.value.status == 403
    sign(db, package, world.placement, signer=world.student, moment=moment)
    with pytest.raises(DomainError, match="al"):
        sign(db, package, world.placement, signer=world.student, moment=moment)


def test_an_empty_package_cannot_be_signed_and_hashes_are_stable(db, world):
    empty = Item(placement_id=world.placement.id, kind=ItemKind.STAGEPAKKET, content={"taken": " "})
    db.add(empty)
    db.commit()
    with pytest.raises(DomainError, match="leeg"):
        sign(
            db,
            empty,
            world.placement,
            signer=world.student,
            moment=datetime(2025, 10, 20, tzinfo=UTC),
        )
    assert content_hash(empty) == content_hash(
        Item(placement_id=1, kind="x", content={"taken": ""})
    )
