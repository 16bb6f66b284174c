"""Helpers shared by the guidance tests: Brussels times and moments inserted directly."""

from __future__ import annotations

from datetime import UTC, datetime

from portfolio.clock import BRUSSELS
from portfolio.models import GuidanceMoment, GuidanceStatus, GuidanceType


def brussels(*args) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS).astimezone(UTC)


def make_moment(db, world, kind=GuidanceType.SCHIJNWERPER, *, placement=None, starts_at=None, **f):
    """Insert a moment: a session of world's pool unless a placement is given."""
    f.setdefault("is_mandatory", kind in ("schijnwerper", "kleuterlabo"))
    f.setdefault("status", GuidanceStatus.PLANNED)
    f.setdefault("created_by_id", world.supervisor.id)
    moment = GuidanceMoment(
        type=kind,
        title=f.pop("title", kind.capitalize()),
        starts_at=starts_at or brussels(2025, 10, 7, 14, 0),
        duration_minutes=f.pop("duration_minutes", 60),
        placement_id=placement.id if placement else None,
        pool_id=None if placement else world.pool.id,
        **f,
    )
    db.add(moment)
    db.commit()
    return moment
