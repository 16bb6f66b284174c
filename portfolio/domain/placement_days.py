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
every stage day (600,000 at 15,000 students), and its weekly chart sums placement_weeks (the
reflections first written per placement and week). portfolio.domain.day_state refreshes a
placement's rows in the same flush as its days change; bulk writers call refresh_all.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, insert, or_, select

from portfolio.models import DayKind, PlacementDays, PlacementWeek, StageDay

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


def reflection_missing(today) -> ColumnElement[bool]:
    """Placements (rows of placement_days) with a day over and no reflection written."""
    return PlacementDays.first_unreflected_day < today


def _late_design() -> object:
    """A day with offers whose designs were not all ready before it (progress.designs_late
    without the comparison with today)."""
    return and_(
        StageDay.offer_count > 0,
        or_(StageDay.designs_ready_on.is_(None), StageDay.designs_ready_on >= StageDay.day),
    )


def r_day_facts(r_days: list[date]) -> dict:
    """Return the R-day values for one placement's row, given the dates of its R-days."""
    return {"r_day_count": len(r_days), "first_r_day": min(r_days, default=None)}


def _days_of(executor, placements_where) -> dict[int, list]:
    """Return (day, unreflected, late, written_at, is_r_day) per placement, for the matching
    placements."""
    days: dict[int, list] = defaultdict(list)
    for placement_id, day, unreflected, late, written_at, kind in executor.execute(
        select(
            StageDay.placement_id,
            StageDay.day,
            StageDay.reflection_written_at.is_(None),
            _late_design(),
            StageDay.reflection_written_at,
            StageDay.kind,
        ).where(placements_where)
    ):
        days[placement_id].append(
            (day, bool(unreflected), bool(late), written_at, kind == DayKind.R)
        )
    return days


def weeks(written: Iterable[datetime | None]) -> Counter:
    """Count the moments per week: the Monday of their UTC date (as the chart groups them)."""
    dates = [
        (moment.astimezone(UTC) if moment.tzinfo else moment).date()
        for moment in written
        if moment is not None
    ]
    return Counter(day - timedelta(days=day.weekday()) for day in dates)


def _write(executor, days: dict[int, list], also: Iterable[int] = ()) -> None:
    """Replace the rows of these placements (4 statements)."""
    ids = sorted(set(days) | set(also))
    if not ids:
        return
    rows, week_rows = [], []
    for pid in ids:
        of_placement = days.get(pid, [])
        r_days = [d[0] for d in of_placement if d[4]]
        rows.append(
            {"placement_id": pid, **facts([d[:3] for d in of_placement]), **r_day_facts(r_days)}
        )
        week_rows += [
            {"placement_id": pid, "monday": monday, "reflections": n}
            for monday, n in weeks(d[3] for d in of_placement).items()
        ]
    for table, values in ((PlacementDays.__table__, rows), (PlacementWeek.__table__, week_rows)):
        executor.execute(delete(table).where(table.c.placement_id.in_(ids)))
        if values:
            executor.execute(insert(table), values)


def refresh_placements(executor, placement_ids: Iterable[int]) -> None:
    """Recompute these placements' rows (a Session or a Connection), in batches."""
    ids = sorted(set(placement_ids))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        # a placement without days gets a row of zeros
        _write(executor, _days_of(executor, StageDay.placement_id.in_(batch)), also=batch)


def refresh_for_days(executor, day_ids: Iterable[int]) -> None:
    """Recompute the rows of the placements holding these stage days."""
    ids = sorted(set(day_ids))
    for start in range(0, len(ids), BATCH):
        chosen = select(StageDay.placement_id).where(StageDay.id.in_(ids[start : start + BATCH]))
        _write(executor, _days_of(executor, StageDay.placement_id.in_(chosen.scalar_subquery())))


def refresh_all(executor) -> int:
    """Recompute every placement's row (after a bulk import or the migration); return the count."""
    from portfolio.models import Placement

    ids = list(executor.execute(select(Placement.id).order_by(Placement.id)).scalars())
    refresh_placements(executor, ids)
    return len(ids)
