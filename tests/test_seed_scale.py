"""`flask seed-scale`: a small programme seeded in bulk, with counts and derived state right."""

from datetime import date

import pytest
from sqlalchemy import func, select

from portfolio.auth import verify_password
from portfolio.demo.scale import DAYS_PER_PLACEMENT, seed_scale
from portfolio.domain.day_state import refresh_all_days
from portfolio.models import Placement, Pool, Role, StageDay, User

TODAY = date(2025, 11, 5)
DERIVED = (
    StageDay.id,
    StageDay.offer_count,
    StageDay.ready_design_count,
    StageDay.designs_ready_at,
    StageDay.designs_ready_on,
    StageDay.reflection_written_at,
)


def _count(db, model, *where):
    return db.exec(select(func.count()).select_from(model).where(*where)).one()[0]


def test_seed_scale_makes_a_programme_with_the_derived_state_filled(db, engine):
    report = seed_scale(engine, students=45, today=TODAY)
    assert _count(db, User, User.role == Role.STUDENT) == 45
    assert _count(db, User, User.role == Role.SUPERVISOR) == 2  # one per 40 students
    assert _count(db, Placement) == 45 and _count(db, Pool) == 1
    assert _count(db, StageDay) == 45 * DAYS_PER_PLACEMENT
    assert report.counts["item"] > 45 * 10 and report.counts["evaluation"] > 0
    coordinator = db.exec(select(User).where(User.email == "coordinator@scale.test")).one()[0]
    assert verify_password(coordinator, "demo-wachtwoord")
    assert any("student00001@scale.test" in line for line in report.logins)
    # The columns filled directly equal what the app derives from the items.
    seeded = set(db.exec(select(*DERIVED)).all())
    refresh_all_days(db)
    db.commit()
    assert set(db.exec(select(*DERIVED)).all()) == seeded
    assert any(row.reflection_written_at is None for row in seeded)  # some are missing
    with pytest.raises(ValueError):
        seed_scale(engine, students=1, today=TODAY)  # never twice into one database


def test_the_command_prints_the_logins(app):
    result = app.test_cli_runner().invoke(args=["seed-scale", "--students", "3"])
    assert result.exit_code == 0, result.output
    assert "coordinator@scale.test" in result.output and "placement: 3" in result.output
