"""placement_days: the per-placement dates behind the dashboard's counts follow every change."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import case, delete, exists, func
from sqlmodel import select

from portfolio.domain import items as ops
from portfolio.domain import placements as calendar_ops
from portfolio.domain.placement_days import facts, refresh_all, weeks
from portfolio.domain.programme_conditions import Conditions
from portfolio.domain.progress import designs_late, reflection_missing
from portfolio.models import (
    DayKind,
    ItemKind,
    Placement,
    PlacementDays,
    PlacementWeek,
    StageDay,
    User,
)

T0 = datetime(2025, 10, 1, 9, 0, tzinfo=UTC)
THREE = {"wat_gebeurde": "Kring", "waaraan_lag": "Drukte", "meenemen": "Rustiger starten"}
D = [date(2025, 10, d) for d in (6, 7, 8, 9)]


def test_facts_of_a_placements_days():
    assert facts([]) == {
        "day_count": 0,
        "halfway_day": None,
        "first_unreflected_day": None,
        "first_late_design_day": None,
    }
    # (day, reflection missing, designs late), in any order
    days = [(D[2], True, False), (D[0], False, True), (D[3], True, True), (D[1], False, False)]
    assert facts(days) == {
        "day_count": 4,
        "halfway_day": D[1],  # 2 of 4 behind once D[1] is
        "first_unreflected_day": D[2],
        "first_late_design_day": D[0],
    }
    assert facts(days[:3])["halfway_day"] == D[2]  # D0, D2, D3: the ceil(3/2)-th day
    assert facts(days[1:2])["halfway_day"] == D[0]


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_halfway_day_matches_the_balance_rule(n):
    days = [(date(2025, 10, 6) + timedelta(days=k), False, False) for k in range(n)]
    halfway = facts(days)["halfway_day"]
    for k in range(n + 2):
        today = date(2025, 10, 6) + timedelta(days=k)
        balance = sum(1 if day < today else -1 for day, _, _ in days)
        assert (halfway < today) == (balance >= 0), (n, today)


@pytest.fixture
def w(world, db):
    world.p = db.get(Placement, world.placement.id)
    world.s = db.get(User, world.student.id)
    world.coordinator = db.get(User, world.coordinator.id)
    world.days = list(
        db.exec(select(StageDay).where(StageDay.placement_id == world.p.id).order_by(StageDay.day))
    )
    return world


def _row(db, w) -> PlacementDays:
    db.expire_all()
    return db.get(PlacementDays, w.p.id)


def _expected(db, w) -> dict:
    """The same dates straight from the stage days' derived columns."""
    rows = db.exec(
        select(
            StageDay.day,
            StageDay.reflection_written_at.is_(None),
            (StageDay.offer_count > 0)
            & (StageDay.designs_ready_on.is_(None) | (StageDay.designs_ready_on >= StageDay.day)),
        ).where(StageDay.placement_id == w.p.id)
    ).all()
    return facts([(day, bool(a), bool(b)) for day, a, b in rows])


def _as_dict(row: PlacementDays) -> dict:
    return {key: getattr(row, key) for key in facts([])}


def test_the_row_follows_reflections_offers_and_the_calendar(db, w):
    assert _as_dict(_row(db, w)) == _expected(db, w)
    assert _row(db, w).day_count == len(w.days)
    assert _row(db, w).first_unreflected_day == w.days[0].day
    reflection = ops.get_or_create_item(
        db, w.p, ItemKind.REFLECTIE, stage_day_id=w.days[0].id, actor=w.s, moment=T0
    )
    ops.save_item(
        db, reflection, content=THREE, base_version=reflection.version, actor=w.s, moment=T0
    )
    db.commit()
    assert _row(db, w).first_unreflected_day == w.days[1].day
    assert _row(db, w).first_late_design_day is None
    ops.create_item(
        db, w.p, ItemKind.AANBOD, title="Verfspel", stage_day_id=w.days[2].id, actor=w.s, moment=T0
    )
    db.commit()
    assert _row(db, w).first_late_design_day == w.days[2].day
    added = calendar_ops.add_day(db, w.p, date(2025, 12, 16), DayKind.R, actor=w.coordinator)
    db.commit()
    assert _row(db, w).day_count == len(w.days) + 1
    assert _as_dict(_row(db, w)) == _expected(db, w)
    calendar_ops.move_day(
        db, w.p, w.days[0], date(2025, 12, 17), actor=w.coordinator, confirm_day_off=True
    )
    db.commit()
    assert _as_dict(_row(db, w)) == _expected(db, w)
    calendar_ops.remove_day(db, w.p, added, actor=w.coordinator)
    db.commit()
    assert _row(db, w).day_count == len(w.days)
    assert _as_dict(_row(db, w)) == _expected(db, w)


def test_refresh_all_rebuilds_the_table(db, w):
    expected = _as_dict(_row(db, w))
    db.exec(delete(PlacementDays))
    db.commit()
    assert refresh_all(db) >= 1
    db.commit()
    assert _as_dict(_row(db, w)) == expected


def test_the_conditions_agree_with_the_stage_day_rules(db, w, make_item):
    make_item(w.p, ItemKind.REFLECTIE, stage_day_id=w.days[0].id, content=THREE, completed_at=T0)
    make_item(w.p, ItemKind.AANBOD, stage_day_id=w.days[2].id, content={})  # no design: late
    db.commit()
    of_placement = StageDay.placement_id == Placement.id
    for k in range(-1, len(w.days) + 2):
        today = w.days[0].day + timedelta(days=k)
        when = Conditions(
            datetime.combine(today, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
        )
        by_days = db.exec(
            select(
                exists().where(of_placement, reflection_missing(today)),
                exists().where(of_placement, designs_late(today)),
                select(func.sum(case((StageDay.day < today, 1), else_=-1)))
                .where(of_placement)
                .scalar_subquery()
                >= 0,
            ).where(Placement.id == w.p.id)
        ).one()
        by_row = db.exec(
            select(when.reflections_missing(), when.designs_late(), when.halfway()).where(
                Placement.id == w.p.id
            )
        ).one()
        assert tuple(map(bool, by_row)) == tuple(map(bool, by_days)), today


def test_weeks_count_first_written_moments_per_utc_monday():
    sunday_late = datetime(2025, 10, 5, 23, 30, tzinfo=UTC)  # Monday 6 Oct in Brussels
    assert weeks([T0, T0 + timedelta(days=1), sunday_late, None]) == {date(2025, 9, 29): 3}
    assert weeks([T0 + timedelta(days=5)]) == {date(2025, 10, 6): 1}


def test_the_weekly_rows_follow_a_written_reflection(db, w):
    def rows():
        db.expire_all()
        return db.exec(
            select(PlacementWeek.monday, PlacementWeek.reflections).where(
                PlacementWeek.placement_id == w.p.id
            )
        ).all()

    assert rows() == []
    reflection = ops.get_or_create_item(
        db, w.p, ItemKind.REFLECTIE, stage_day_id=w.days[0].id, actor=w.s, moment=T0
    )
    ops.save_item(
        db, reflection, content=THREE, base_version=reflection.version, actor=w.s, moment=T0
    )
    db.commit()
    assert rows() == [(date(2025, 9, 29), 1)]
    ops.save_item(
        db,
        reflection,
        content={"meenemen": ""},
        base_version=reflection.version,
        actor=w.s,
        moment=T0,
    )
    db.commit()
    assert rows() == []


def _r_days(db, w) -> tuple[int, date | None]:
    row = _row(db, w)
    return row.r_day_count, row.first_r_day


def test_the_r_days_follow_the_calendar(db, w):
    r_days = [day.day for day in w.days if day.kind == DayKind.R]
    assert _r_days(db, w) == (len(r_days), min(r_days, default=None))
    first_opr = next(day for day in w.days if day.kind == DayKind.OPR)
    calendar_ops.set_day_kind(db, w.p, first_opr, DayKind.R, actor=w.coordinator)
    db.commit()
    assert _r_days(db, w) == (len(r_days) + 1, min([*r_days, first_opr.day]))
    calendar_ops.set_day_kind(db, w.p, first_opr, DayKind.OPR, actor=w.coordinator)
    added = calendar_ops.add_day(db, w.p, date(2025, 12, 16), DayKind.R, actor=w.coordinator)
    db.commit()
    assert _r_days(db, w) == (len(r_days) + 1, min(r_days))
    calendar_ops.remove_day(db, w.p, added, actor=w.coordinator)
    db.commit()
    assert _r_days(db, w) == (len(r_days), min(r_days, default=None))
