"""Portfolio items without HTTP: scope, saving, readiness, history, restore, carry-over, closing."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from portfolio.clock import start_of_day
from portfolio.domain import items as ops
from portfolio.domain import versions
from portfolio.domain.errors import DomainError, Forbidden, PortfolioClosed
from portfolio.domain.progress import DesignState, ReflectionState, day_statuses
from portfolio.models import Attitude, Item, ItemKind, ItemVersion, Placement, StageDay, User

T0 = datetime(2025, 10, 1, 9, 0, tzinfo=UTC)  # before the placement starts
FIVE_PARTS = {
    "beginsituatie": "Peuters van 2,5 jaar.",
    "doel": "Kleuren benoemen.",
    "aanbod": "Verfspel.",
    "begeleiding": "Open vragen.",
    "organisatie": "Kring, 20 minuten.",
}


@pytest.fixture
def w(world, db):
    """The world with its objects loaded in the test's session."""
    world.p = db.get(Placement, world.placement.id)
    world.s = db.get(User, world.student.id)
    world.days = list(
        db.exec(select(StageDay).where(StageDay.placement_id == world.p.id).order_by(StageDay.day))
    )
    return world


def _save(db, item, actor, moment, **content):
    return ops.save_item(
        db, item, content=content, base_version=item.version, actor=actor, moment=moment
    )


def test_singletons_are_found_not_duplicated_and_scope_is_checked(db, w):
    a = ops.get_or_create_item(db, w.p, ItemKind.BEGINSITUATIE, actor=w.s, moment=T0)
    b = ops.get_or_create_item(db, w.p, ItemKind.BEGINSITUATIE, actor=w.s, moment=T0)
    assert a.id == b.id
    day = w.days[0]
    r1 = ops.get_or_create_item(
        db, w.p, ItemKind.REFLECTIE, stage_day_id=day.id, actor=w.s, moment=T0
    )
    r2 = ops.get_or_create_item(
        db, w.p, ItemKind.REFLECTIE, stage_day_id=w.days[1].id, actor=w.s, moment=T0
    )
    assert r1.id != r2.id and r1.stage_day_id == day.id
    with pytest.raises(DomainError):  # a reflection needs a day
        ops.get_or_create_item(db, w.p, ItemKind.REFLECTIE, actor=w.s, moment=T0)
    with pytest.raises(DomainError):  # the other student's day
        other_day = db.exec(
            select(StageDay).where(StageDay.placement_id == w.other_placement.id)
        ).first()
        ops.get_or_create_item(
            db, w.p, ItemKind.REFLECTIE, stage_day_id=other_day.id, actor=w.s, moment=T0
        )
    with pytest.raises(DomainError):  # several action points: create, not get-or-create
        ops.get_or_create_item(db, w.p, ItemKind.ACTIEPUNT, actor=w.s, moment=T0)
    with pytest.raises(DomainError):
        ops.get_or_create_item(db, w.p, "onbekend", actor=w.s, moment=T0)
    attitude = db.exec(select(Attitude)).first()
    z = ops.get_or_create_item(
        db, w.p, ItemKind.ZELFBEELD, attitude_id=attitude.id, actor=w.s, moment=T0
    )
    assert z.attitude_id == attitude.id


def test_save_keeps_only_spec_keys_and_refuses_long_text(db, w):
    item = ops.get_or_create_item(db, w.p, ItemKind.BEGINSITUATIE, actor=w.s, moment=T0)
    ops.save_item(
        db,
        item,
        content={"doelgroep": "  Peuters  ", "hacker": "x"},
        base_version=1,
        actor=w.s,
        moment=T0,
    )
    assert item.content == {"doelgroep": "  Peuters  "}  # nothing stripped, unknown key gone
    assert item.version == 2
    with pytest.raises(DomainError, match="te lang"):
        _save(db, item, w.s, T0, context="x" * (ops.MAX_FIELD_CHARS + 1))
    with pytest.raises(DomainError):
        _save(db, item, w.s, T0, context=123)


def test_stale_version_is_a_conflict_carrying_the_saved_text(db, w):
    item = ops.get_or_create_item(db, w.p, ItemKind.BEGINSITUATIE, actor=w.s, moment=T0)
    _save(db, item, w.s, T0, doelgroep="eerste tab")
    with pytest.raises(versions.StaleVersion) as caught:
        ops.save_item(
            db,
            item,
            content={"doelgroep": "tweede tab"},
            base_version=1,
            actor=w.s,
            moment=T0,
        )
    assert caught.value.status == 409
    assert caught.value.item.content["doelgroep"] == "eerste tab"
    assert caught.value.saved_by.id == w.s.id
    # The same text as saved is no conflict (e.g. a resend after a lost response).
    same = ops.save_item(
        db, item, content={"doelgroep": "eerste tab"}, base_version=1, actor=w.s, moment=T0
    )
    assert same.version == 2


def test_autosaves_within_five_minutes_coalesce_into_one_history_row(db, w):
    item = ops.get_or_create_item(db, w.p, ItemKind.BEGINSITUATIE, actor=w.s, moment=T0)
    _save(db, item, w.s, T0, doelgroep="a")
    _save(db, item, w.s, T0 + timedelta(minutes=1), doelgroep="ab")
    _save(db, item, w.s, T0 + timedelta(minutes=4), doelgroep="abc")
    rows = versions.versions_of(db, item)
    assert [(r.version, r.content["doelgroep"]) for r in rows] == [(4, "abc")]
    assert rows[0].saved_at == T0 + timedelta(minutes=4)
    # A pause of 5 minutes or more starts a new row.
    _save(db, item, w.s, T0 + timedelta(minutes=9), doelgroep="abcd")
    assert [r.version for r in versions.versions_of(db, item)] == [5, 4]
    assert item.version == 5


def test_restore_makes_a_new_version_and_is_never_coalesced(db, w):
    item = ops.get_or_create_item(db, w.p, ItemKind.BEGINSITUATIE, actor=w.s, moment=T0)
    _save(db, item, w.s, T0, doelgroep="oud")
    _save(db, item, w.s, T0 + timedelta(minutes=10), doelgroep="nieuw")
    ops.restore_version(db, item, 2, actor=w.s, moment=T0 + timedelta(minutes=11))
    assert item.content["doelgroep"] == "oud" and item.version == 4
    rows = versions.versions_of(db, item)
    assert (rows[0].version, rows[0].restored_from) == (4, 2)
    _save(db, item, w.s, T0 + timedelta(minutes=12), doelgroep="verder")
    assert [r.version for r in versions.versions_of(db, item)] == [5, 4, 3, 2]
    with pytest.raises(DomainError):
        ops.restore_version(db, item, 99, actor=w.s, moment=T0)


def test_design_readiness_follows_completed_at_and_the_day_status(db, w, set_now):
    day = w.days[2]  # Wed 8 Oct
    offer = ops.create_item(
        db,
        w.p,
        ItemKind.AANBOD,
        title="Verfatelier",
        content={"tijd": "9.00", "omschrijving": "Met de hele klas"},
        stage_day_id=day.id,
        actor=w.s,
        moment=T0,
    )
    design = ops.get_or_create_item(
        db, w.p, ItemKind.DENKWERK, parent_id=offer.id, actor=w.s, moment=T0
    )
    _save(db, design, w.s, T0, **{k: v for k, v in FIVE_PARTS.items() if k != "organisatie"})
    assert design.completed_at is None
    _save(db, design, w.s, T0 + timedelta(hours=1), organisatie="Kring")
    assert design.completed_at == T0 + timedelta(hours=1)
    _save(db, design, w.s, T0 + timedelta(hours=2), doel="Kleuren mengen")
    assert design.completed_at == T0 + timedelta(hours=1)  # stays: first time it became ready
    db.commit()
    statuses = day_statuses(db, [w.p], start_of_day(day.day))[w.p.id]
    assert statuses[2].design == DesignState.READY
    _save(db, design, w.s, T0 + timedelta(hours=3), doel="")
    assert design.completed_at is None
    late = start_of_day(day.day) + timedelta(hours=2)
    _save(db, design, w.s, late, doel="Kleuren")
    db.commit()
    statuses = day_statuses(db, [w.p], late)[w.p.id]
    assert statuses[2].design == DesignState.LATE
    # Marking the offer as the mentor's makes the accents the only part that counts.
    _save(db, offer, w.s, late, bron="mentor")
    assert design.completed_at is None
    _save(db, design, w.s, late, accenten="Meer open vragen")
    assert design.completed_at == late


def test_reflection_per_day_counts_when_all_three_questions_are_answered(db, w):
    day = w.days[0]  # Mon 6 Oct, before the test clock's today (8 Oct)
    reflection = ops.get_or_create_item(
        db, w.p, ItemKind.REFLECTIE, stage_day_id=day.id, actor=w.s, moment=T0
    )
    moment = datetime(2025, 10, 8, 10, 0, tzinfo=UTC)
    _save(db, reflection, w.s, moment, wat_gebeurde="Kring", waaraan_lag="Drukte")
    db.commit()
    assert day_statuses(db, [w.p], moment)[w.p.id][0].reflection == ReflectionState.MISSING
    _save(db, reflection, w.s, moment, meenemen="Rustiger starten")
    db.commit()
    statuses = day_statuses(db, [w.p], moment)[w.p.id]
    assert statuses[0].reflection == ReflectionState.WRITTEN
    assert statuses[1].reflection == ReflectionState.MISSING
    assert reflection.completed_at == moment


def test_delete_is_soft_takes_the_design_along_and_refuses_singletons(db, w):
    offer = ops.create_item(
        db,
        w.p,
        ItemKind.AANBOD,
        title="Kring",
        stage_day_id=w.days[3].id,
        actor=w.s,
        moment=T0,
    )
    design = ops.get_or_create_item(
        db, w.p, ItemKind.DENKWERK, parent_id=offer.id, actor=w.s, moment=T0
    )
    ops.delete_item(db, offer, actor=w.s, moment=T0)
    assert offer.deleted_at == T0 and design.deleted_at == T0
    assert db.get(Item, offer.id) is not None
    with pytest.raises(DomainError):
        ops.delete_item(db, design, actor=w.s, moment=T0)
    with pytest.raises(DomainError, match="naam"):
        ops.create_item(
            db, w.p, ItemKind.AANBOD, title=" ", stage_day_id=w.days[3].id, actor=w.s, moment=T0
        )
    with pytest.raises(DomainError):  # an offer needs a stage day
        ops.create_item(db, w.p, ItemKind.AANBOD, title="Zonder dag", actor=w.s, moment=T0)


def test_nuldocument_is_prefilled_from_the_placement(db, w):
    doc = ops.get_or_create_item(db, w.p, ItemKind.NULDOCUMENT, actor=w.s, moment=T0)
    assert doc.content["stageplaats"] == "Kleuterschool Testplein"
    assert doc.content["type_stageplaats"] == "Schoolse context"
    assert doc.content["stagedagen"].startswith("Semester 1, 15 stagedagen: ma 6 okt, di 7 okt")
    assert "Mentor Een" in doc.content["mentoren"]
    assert [r.version for r in versions.versions_of(db, doc)] == [1]


def test_nuldocument_carries_over_to_the_next_placement(db, w, make_placement):
    doc = ops.get_or_create_item(db, w.p, ItemKind.NULDOCUMENT, actor=w.s, moment=T0)
    _save(db, doc, w.s, T0, adres_student="Kerkstraat 1, Lier", telefoon_student="0470 12 34 56")
    db.commit()
    later = make_placement(
        w.student,
        site_name="Speelplein De Bij",
        semester=2,
        first_day=date(2026, 2, 19),
        last_day=date(2026, 3, 20),
    )
    later = db.get(Placement, later.id)
    moment = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
    new_doc = ops.get_or_create_item(db, later, ItemKind.NULDOCUMENT, actor=w.s, moment=moment)
    assert new_doc.id != doc.id
    assert new_doc.content["adres_student"] == "Kerkstraat 1, Lier"
    assert new_doc.content["telefoon_student"] == "0470 12 34 56"
    assert new_doc.content["stageplaats"] == "Speelplein De Bij"  # the new site, not the old
    assert new_doc.content["stagedagen"].startswith("Semester 2")
    assert "mentoren" not in new_doc.content  # another site: the old mentors do not carry over


def test_only_the_student_writes_and_never_after_closing(db, w):
    supervisor = db.get(User, w.supervisor.id)
    other = db.get(User, w.other_student.id)
    item = ops.get_or_create_item(db, w.p, ItemKind.BEGINSITUATIE, actor=w.s, moment=T0)
    _save(db, item, w.s, T0, doelgroep="x")
    with pytest.raises(Forbidden):
        _save(db, item, supervisor, T0, doelgroep="y")
    with pytest.raises(Forbidden):
        _save(db, item, other, T0, doelgroep="y")
    closed = datetime(2025, 11, 8, 0, 0, tzinfo=UTC)  # closes Fri 7 Nov 23:59:59 Brussels
    offer = ops.create_item(
        db, w.p, ItemKind.ACTIEPUNT, content={"actiepunt": "a"}, actor=w.s, moment=T0
    )
    refusals = [
        lambda: _save(db, item, w.s, closed, doelgroep="te laat"),
        lambda: ops.create_item(db, w.p, ItemKind.ACTIEPUNT, actor=w.s, moment=closed),
        lambda: ops.delete_item(db, offer, actor=w.s, moment=closed),
        lambda: ops.restore_version(db, item, 2, actor=w.s, moment=closed),
        lambda: ops.get_or_create_item(db, w.p, ItemKind.COACHING, actor=w.s, moment=closed),
    ]
    for refuse in refusals:
        with pytest.raises(PortfolioClosed):
            refuse()
    assert item.content["doelgroep"] == "x"
    # Reading an existing singleton is no write: it works after closing.
    assert ops.get_or_create_item(db, w.p, ItemKind.BEGINSITUATIE, actor=w.s, moment=closed)


def test_every_save_is_in_the_history_with_author(db, w):
    item = ops.get_or_create_item(db, w.p, ItemKind.AANPAK, actor=w.s, moment=T0)
    _save(db, item, w.s, T0, sfeer_relatie="Warm")
    db.commit()
    rows = db.exec(select(ItemVersion).where(ItemVersion.item_id == item.id)).all()
    assert [(r.saved_by_id, r.content) for r in rows] == [(w.s.id, {"sfeer_relatie": "Warm"})]


def test_demo_portfolio_seed_gives_a_realistic_mix(app, db):
    from portfolio.demo import seed_base
    from portfolio.demo.portfolio_items import seed

    with app.app_context():
        demo = seed_base(db)
        seed(db, demo)
        db.commit()
        from portfolio.clock import now

        moment = now()
    placement = demo.placements["student"]
    statuses = day_statuses(db, [placement], moment)[placement.id]
    reflections = [s.reflection for s in statuses]
    assert reflections.count(ReflectionState.MISSING) == 1
    assert reflections.count(ReflectionState.WRITTEN) >= 5
    designs = [s.design for s in statuses]
    assert DesignState.READY in designs and DesignState.LATE in designs
    assert DesignState.MISSING in designs  # a coming day whose design is not ready yet
    kinds = {i.kind for i in db.exec(select(Item).where(Item.placement_id == placement.id))}
    assert {ItemKind.NULDOCUMENT, ItemKind.ACTIEPUNT, ItemKind.STAGEPAKKET} <= kinds
    points = db.exec(select(Item).where(Item.kind == ItemKind.ACTIEPUNT)).all()
    assert len(points) == 2
