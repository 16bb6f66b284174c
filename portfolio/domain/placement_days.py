"""Per placement, the dates the programme's counts compare with today (table placement_days).

"Reflections missing", "designs late" and "half of the days behind" depend on today, so they
cannot be stored as yes/no; but each is one date compared with today:

- reflections missing  <=>  first_unreflected_day < today (the first day without a written
  reflection; progress.reflection_missing is "day < today and not written");
- designs late  <=>  first_late_design_day <= today (the first day with offers whose designs were
  not ready before it; progress.designs_late is "offers, day <= today, not ready before the day");
- halfway  <=>  halfway_day < today (with n days in date order, at least n/2 are behind exactly
  when the ceil(n/2)-th is).

The coordinator's dashboard compares these dates for every placement instead of aggregating
every stage day (600,000 at 15,000 students). portfolio.domain.day_state refreshes a placement's
row in the same flush as its days change; bulk writers call refresh_placements or refresh_all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import and_, delete, insert, or_, select

from portfolio.models import PlacementDays, StageDay

BATCH = 500  # placements per statement (about 20,000 days)


def facts(days: list[tuple[date, bool, bool]]) -> dict:
    """Return the row values for one placement's days, given as (day, unreflected, late)."""
    ordered = sorted(day for day, _, _ in days)
    unreflected = [day for day, missing, _ in days if missing]
    late = [day for day, _, is_late in days if is_late]
    return {
        "day_count": len(ordered),
        "halfway_day": ordered[(len(ordered) + 1) // 2 - 1] if ordered else None,
        "first_unreflected_day": min(unreflected, default=None),
        "first_late_design_day": min(late, default=None),
    }


def _late_design() -> object:
    """A day with offers whose designs were not all ready before it (progress.designs_late
    without the comparison with today)."""
    return and_(
        StageDay.offer_count > 0,
        or_(StageDay.designs_ready_on.is_(None), StageDay.designs_ready_on >= StageDay.day),
    )


def _refresh(executor, placements_where) -> None:
    """Recompute the rows of the placements whose days match `placements_where` (3 statements)."""
    days: dict[int, list] = defaultdict(list)
    chosen = select(StageDay.placement_id).where(placements_where).scalar_subquery()
    for placement_id, day, unreflected, late in executor.execute(
        select(
            StageDay.placement_id,
            StageDay.day,
            StageDay.reflection_written_at.is_(None),
            _late_design(),
        ).where(StageDay.placement_id.in_(chosen))
    ):
        days[placement_id].append((day, bool(unreflected), bool(late)))
    _write(executor, days)


def _write(executor, days: dict[int, list], also: Iterable[int] = ()) -> None:
    ids = sorted(set(days) | set(also))
    if not ids:
        return
    table = PlacementDays.__table__
    executor.execute(delete(table).where(table.c.placement_id.in_(ids)))
    executor.execute(
        insert(table), [{"placement_id": pid, **facts(days.get(pid, []))} for pid in ids]
    )


def refresh_placements(executor, placement_ids: Iterable[int]) -> None:
    """Recompute these placements' rows (a Session or a Connection), in batches."""
    ids = sorted(set(placement_ids))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        days: dict[int, list] = defaultdict(list)
        for placement_id, day, unreflected, late in executor.execute(
            select(
                StageDay.placement_id,
                StageDay.day,
                StageDay.reflection_written_at.is_(None),
                _late_design(),
            ).where(StageDay.placement_id.in_(batch))
        ):
            days[placement_id].append((day, bool(unreflected), bool(late)))
        _write(executor, days, also=batch)  # a placement without days gets a row of zeros


def refresh_for_days(executor, day_ids: Iterable[int]) -> None:
    """Recompute the rows of the placements holding these stage days."""
    ids = sorted(set(day_ids))
    for start in range(0, len(ids), BATCH):
        _refresh(executor, StageDay.id.in_(ids[start : start + BATCH]))


def refresh_all(executor) -> int:
    """Recompute every placement's row (after a bulk import or the migration); return the count."""
    from portfolio.models import Placement

    ids = list(executor.execute(select(Placement.id).order_by(Placement.id)).scalars())
    refresh_placements(executor, ids)
    return len(ids)
