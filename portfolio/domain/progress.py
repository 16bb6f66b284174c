"""Per stage day: is the design ready before the day starts, is the reflection written after it?

Reads the derived columns on StageDay (kept by portfolio.domain.day_state whenever the day's items
change), so no item content is decoded here. The SQL clauses below let lists filter and count the
same states for many placements at once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, select

import portfolio.domain.day_state  # noqa: F401  (registers the hook that keeps the columns)
from portfolio.bound_lists import in_list
from portfolio.clock import start_of_day, today_in_brussels
from portfolio.models import Item, ItemKind, Placement, StageDay


class DesignState(StrEnum):
    NO_OFFER = "geen aanbod"  # nothing planned for the day: nothing to design
    READY = "klaar"  # every offer of the day has a ready design, finished before the day began
    LATE = "te laat"  # ready now, but finished after the day had begun
    MISSING = "ontbreekt"  # at least one offer has no ready design


class ReflectionState(StrEnum):
    NOT_YET = "nog niet"  # the day has not ended yet
    WRITTEN = "geschreven"
    MISSING = "ontbreekt"


@dataclass
class DayStatus:
    stage_day: StageDay
    offers: int
    designs_ready: int
    design: DesignState
    reflection: ReflectionState
    reflection_item_id: int | None = None
    offer_titles: list[str] = field(default_factory=list)

    @property
    def day(self) -> date:
        return self.stage_day.day

    @property
    def is_missing_something(self) -> bool:
        return self.design == DesignState.MISSING or self.reflection == ReflectionState.MISSING


# Built once (the student's home and the portfolio pages run them on every visit).
_DAYS = select(StageDay).where(in_list(StageDay.placement_id, "ids")).order_by(StageDay.day)
# Titles and ids only: the states themselves come from the day's columns.
_DAY_ITEMS = (
    select(Item.id, Item.kind, Item.title, Item.stage_day_id)
    .where(
        in_list(Item.placement_id, "ids"),
        Item.deleted_at.is_(None),
        Item.stage_day_id.is_not(None),
        Item.kind.in_([ItemKind.AANBOD, ItemKind.REFLECTIE]),
    )
    .order_by(Item.position, Item.id)
)


def day_statuses(
    session: Session, placements: list[Placement], moment: datetime
) -> dict[int, list[DayStatus]]:
    """Return, per placement id, the status of every stage day (in date order). Two queries.

    For the pages of one placement (or a page of them): the item query binds the placement ids.
    """
    ids = [p.id for p in placements]
    result: dict[int, list[DayStatus]] = {pid: [] for pid in ids}
    if not ids:
        return result
    days = session.exec(_DAYS, params={"ids": ids}).all()
    offer_titles: dict[int, list[str]] = defaultdict(list)
    reflection_ids: dict[int, int] = {}
    for item_id, kind, title, day_id in session.exec(_DAY_ITEMS, params={"ids": ids}):
        if kind == ItemKind.AANBOD:
            offer_titles[day_id].append(title)
        else:
            reflection_ids.setdefault(day_id, item_id)
    today = today_in_brussels(moment)
    for day in days:
        result[day.placement_id].append(
            DayStatus(
                stage_day=day,
                offers=day.offer_count,
                designs_ready=day.ready_design_count,
                design=design_state(day),
                reflection=reflection_state(day, today),
                reflection_item_id=reflection_ids.get(day.id),
                offer_titles=offer_titles[day.id],
            )
        )
    return result


def design_state(day: StageDay) -> DesignState:
    """Classify the day's designs from its stored counts and moment."""
    if not day.offer_count:
        return DesignState.NO_OFFER
    if day.designs_ready_at is None or day.ready_design_count < day.offer_count:
        return DesignState.MISSING
    if day.designs_ready_at > start_of_day(day.day):
        return DesignState.LATE
    return DesignState.READY


def reflection_state(day: StageDay, today: date) -> ReflectionState:
    """Classify the day's reflection: written, missing once the day is over, else not yet."""
    if day.reflection_written_at is not None:
        return ReflectionState.WRITTEN
    return ReflectionState.NOT_YET if day.day >= today else ReflectionState.MISSING


# ---------------------------------------------------------------- the same states in SQL


def reflection_missing(today: date) -> ColumnElement[bool]:
    """Stage days that are over without a written reflection."""
    return and_(StageDay.day < today, StageDay.reflection_written_at.is_(None))


def designs_missing() -> ColumnElement[bool]:
    """Stage days with at least one offer whose design is not ready."""
    return StageDay.ready_design_count < StageDay.offer_count


def designs_late(today: date) -> ColumnElement[bool]:
    """Stage days that began without every design ready, or whose designs were finished late."""
    return and_(
        StageDay.offer_count > 0,
        StageDay.day <= today,
        or_(StageDay.designs_ready_on.is_(None), StageDay.designs_ready_on >= StageDay.day),
    )
