"""Placement operations against the database: generation, day edits, extensions, audit."""

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from portfolio.domain.errors import DomainError
from portfolio.domain.placements import (
    add_day,
    grant_extension,
    move_day,
    remove_day,
    set_day_kind,
    stage_days,
)
from portfolio.models import AuditEvent, DayKind, Holiday, Role


def test_placement_generates_days_from_semester_defaults_and_skips_holidays(
    db, make_user, make_placement
):
    db.add(Holiday(day=date(2025, 10, 7), name="Studiedag"))
    db.commit()
    placement = make_placement(first_day=date(2025, 10, 6), last_day=date(2025, 10, 15))
    days = [d.day for d in stage_days(db, placement)]
    assert days == [
        date(2025, 10, 6),
        date(2025, 10, 8),
        date(2025, 10, 13),
        date(2025, 10, 14),
        date(2025, 10, 15),
    ]


def test_day_edits_keep_opr_limit_bounds_and_log(db, make_user, make_placement):
    coordinator = make_user(Role.COORDINATOR)
    placement = make_placement()
    days = stage_days(db, placement)
    assert sum(d.kind == DayKind.OPR for d in days) == 6
    with pytest.raises(DomainError, match="OPR"):
        set_day_kind(db, placement, days[8], DayKind.OPR, actor=coordinator)
    with pytest.raises(DomainError, match="OPR"):
        add_day(db, placement, date(2025, 11, 20), DayKind.OPR, actor=coordinator)
    added = add_day(db, placement, date(2025, 11, 20), DayKind.R, actor=coordinator)
    assert placement.last_day == date(2025, 11, 20)
    move_day(db, placement, added, date(2025, 11, 21), actor=coordinator)
    assert placement.last_day == date(2025, 11, 21)
    with pytest.raises(DomainError, match="al een stagedag"):
        move_day(db, placement, added, days[0].day, actor=coordinator)
    remove_day(db, placement, days[0], actor=coordinator)
    assert placement.first_day == days[1].day
    db.commit()
    actions = db.exec(
        select(AuditEvent.action).where(AuditEvent.placement_id == placement.id)
    ).all()
    assert {"placement.created", "day.added", "day.moved", "day.removed"} <= set(actions)


def test_extension_needs_a_reason_and_a_later_moment(db, make_user, make_placement):
    coordinator = make_user(Role.COORDINATOR)
    placement = make_placement()
    later = datetime(2025, 12, 1, 22, 59, 59, tzinfo=UTC)
    with pytest.raises(DomainError, match="reden"):
        grant_extension(db, placement, new_closes_at=later, reason="  ", actor=coordinator)
    with pytest.raises(DomainError, match="later"):
        grant_extension(
            db,
            placement,
            new_closes_at=datetime(2025, 10, 1, tzinfo=UTC),
            reason="ziek",
            actor=coordinator,
        )
    grant_extension(db, placement, new_closes_at=later, reason="ziek", actor=coordinator)
    db.commit()
    assert placement.closes_at_override == later
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "deadline.extended")).one()
    assert event.detail["reason"] == "ziek"
