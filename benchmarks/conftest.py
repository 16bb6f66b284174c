"""Benchmarks reuse the test fixtures (app per test on a clean database, factories, logins,
count_queries) and add builders for a busy programme.

SQLite by default; PostgreSQL with TEST_DATABASE_URL, exactly as for tests/.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from benchmarks.data import add_items
from portfolio.models import Role, StageDay
from tests.conftest import *  # noqa: F403 - the fixtures: app, db, make_user, count_queries, ...
from tests.conftest import FIRST_DAY


@pytest.fixture
def programme(db, make_user, make_pool, make_placement):
    """Build n placements (15 stage days each, items and feedback) for one fixed supervisor
    in one pool: programme(n) -> (supervisor, coordinator, placements)."""

    def build(n: int, *, supervisor=None, coordinator=None, start: int = 0):
        supervisor = supervisor or make_user(Role.SUPERVISOR, name="Bench Begeleider")
        coordinator = coordinator or make_user(Role.COORDINATOR, name="Bench Coördinator")
        pool = make_pool(supervisor)
        mentor = make_user(Role.MENTOR, name="Bench Mentor")
        placements = []
        for index in range(start, start + n):
            student = make_user(Role.STUDENT, name=f"Student {index:03d}")
            placement = make_placement(
                student, supervisor_id=supervisor.id, pool_id=pool.id, mentor_id=mentor.id
            )
            add_items(db, placement, author_id=student.id, supervisor_id=supervisor.id)
            placements.append(placement)
        db.commit()
        return supervisor, coordinator, placements

    return build


@pytest.fixture
def long_placement(db, make_user, make_placement):
    """One student whose placement has `days` stage days (Mon-Wed weeks), with items."""

    def build(days: int):
        student = make_user(Role.STUDENT, name="Lange Stage")
        weeks, extra = divmod(days, 3)
        last = FIRST_DAY + timedelta(weeks=weeks - (0 if extra else 1), days=(extra or 3) - 1)
        placement = make_placement(student, last_day=last)
        count = len(db.exec(select(StageDay).where(StageDay.placement_id == placement.id)).all())
        assert count == days, count
        add_items(db, placement, author_id=student.id, supervisor_id=None)
        db.commit()
        return student, placement

    return build
