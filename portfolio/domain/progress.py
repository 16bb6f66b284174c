"""Per stage day: is the design ready before the day starts, is the reflection written after it?

Works for many placements at once with a fixed number of queries (the supervisors' overview
shows every student), so callers pass a list of placements.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import or_
from sqlmodel import Session, select

from portfolio.clock import start_of_day, today_in_brussels
from portfolio.domain.steps import design_is_ready, is_own_offer, reflection_is_written
from portfolio.models import Item, ItemKind, Placement, StageDay, Upload


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


def day_statuses(
    session: Session, placements: list[Placement], moment: datetime
) -> dict[int, list[DayStatus]]:
    """Return, per placement id, the status of every stage day (in date order). Four queries."""
    ids = [p.id for p in placements]
    result: dict[int, list[DayStatus]] = {pid: [] for pid in ids}
    if not ids:
        return result
    days = session.exec(
        select(StageDay).where(StageDay.placement_id.in_(ids)).order_by(StageDay.day)
    ).all()
    # Plain rows with only the columns the rules read: building full ORM objects for every
    # item of every student was most of the supervisors' overview time (benchmarks/README.md).
    items = session.exec(
        select(
            Item.id,
            Item.kind,
            Item.title,
            Item.stage_day_id,
            Item.parent_id,
            Item.content,
            Item.completed_at,
        ).where(
            Item.placement_id.in_(ids),
            Item.deleted_at.is_(None),
            Item.kind.in_([ItemKind.AANBOD, ItemKind.DENKWERK, ItemKind.REFLECTIE]),
        )
    ).all()
    offers_by_day: dict[int, list] = defaultdict(list)
    design_by_offer: dict[int, object] = {}
    reflection_by_day: dict[int, object] = {}
    for item in items:
        if item.kind == ItemKind.AANBOD and item.stage_day_id is not None:
            offers_by_day[item.stage_day_id].append(item)
        elif item.kind == ItemKind.DENKWERK and item.parent_id is not None:
            design_by_offer[item.parent_id] = item
        elif item.kind == ItemKind.REFLECTIE and item.stage_day_id is not None:
            reflection_by_day[item.stage_day_id] = item
    recorded = _items_with_recording(session, [r.id for r in reflection_by_day.values()])
    today = today_in_brussels(moment)
    for day in days:
        result[day.placement_id].append(
            _status(
                day,
                offers_by_day[day.id],
                design_by_offer,
                reflection_by_day.get(day.id),
                recorded,
                today,
            )
        )
    return result


def _items_with_recording(session: Session, item_ids: list[int]) -> set[int]:
    if not item_ids:
        return set()
    rows = session.exec(
        select(Upload.item_id).where(
            Upload.item_id.in_(item_ids),
            Upload.deleted_at.is_(None),
            or_(Upload.category == "audio", Upload.category == "video"),
        )
    ).all()
    return set(rows)


def _status(day, offers, design_by_offer, reflection, recorded, today) -> DayStatus:
    starts = start_of_day(day.day)
    ready = late = 0
    for offer in offers:
        design = design_by_offer.get(offer.id)
        if design is None or not design_is_ready(
            design.content, own_offer=is_own_offer(offer.content)
        ):
            continue
        if design.completed_at is not None and design.completed_at > starts:
            late += 1
        else:
            ready += 1
    if not offers:
        design_state = DesignState.NO_OFFER
    elif ready + late < len(offers):
        design_state = DesignState.MISSING
    elif late:
        design_state = DesignState.LATE
    else:
        design_state = DesignState.READY
    if day.day >= today:
        reflection_state = ReflectionState.NOT_YET
        if reflection is not None and reflection_is_written(
            reflection.content, has_recording=reflection.id in recorded
        ):
            reflection_state = ReflectionState.WRITTEN
    elif reflection is not None and reflection_is_written(
        reflection.content, has_recording=reflection.id in recorded
    ):
        reflection_state = ReflectionState.WRITTEN
    else:
        reflection_state = ReflectionState.MISSING
    return DayStatus(
        stage_day=day,
        offers=len(offers),
        designs_ready=ready + late,
        design=design_state,
        reflection=reflection_state,
        reflection_item_id=reflection.id if reflection else None,
        offer_titles=[o.title for o in offers],
    )
