"""Derived per-day state, stored on StageDay whenever what it is derived from changes.

A stage day carries `offer_count`, `ready_design_count`, `designs_ready_at` and
`reflection_written_at` (see portfolio.models.placement.StageDay). They follow from the day's
offers, their designs, its reflection and the reflection's recordings under the rules in
portfolio.domain.steps. Pages filter and count with these columns in SQL instead of decoding every
item's JSON content on each view (issue 12: that made the overviews slow and the coordinator's list
fail at scale).

The values never depend on the day's date, so moving a day keeps them; "late" and "missing" are
comparisons with the date made where they are read (portfolio.domain.progress).

They are refreshed by a session hook rather than by each operation: every writer of items or
uploads (the domain operations, the demo, imports, tests arranging rows) keeps them right without
remembering to. `before_flush` notes which days a flush touches; `after_flush_postexec` recomputes
just those days with a few set-based queries and writes them with one UPDATE per part.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from itertools import chain

from sqlalchemy import bindparam, event, func, inspect, select, update
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.attributes import set_committed_value

from portfolio.clock import today_in_brussels
from portfolio.domain import placement_days
from portfolio.domain.files import RECORDING_CATEGORIES
from portfolio.domain.steps import design_is_ready, is_own_offer, reflection_is_written
from portfolio.models import Item, ItemKind, StageDay, Upload

JUST_BEFORE = timedelta(microseconds=1)
BATCH = 1000  # days per statement when refreshing many (bounded IN lists)
_PENDING_KEY = "day_state_pending"
_TRACKED_KINDS = frozenset({ItemKind.AANBOD, ItemKind.DENKWERK, ItemKind.REFLECTIE})


@dataclass
class DayDesigns:
    offer_count: int = 0
    ready_design_count: int = 0
    designs_ready_at: datetime | None = None
    designs_ready_on: date | None = None


@dataclass
class _Pending:
    """What a flush touched: days directly, or offers/reflections whose day is looked up after."""

    design_days: set[int] = field(default_factory=set)
    reflection_days: set[int] = field(default_factory=set)
    offer_ids: set[int] = field(default_factory=set)
    reflection_ids: set[int] = field(default_factory=set)
    placement_ids: set[int] = field(default_factory=set)  # days added, moved or removed

    def __bool__(self) -> bool:
        return bool(
            self.design_days
            or self.reflection_days
            or self.offer_ids
            or self.reflection_ids
            or self.placement_ids
        )


# ---------------------------------------------------------------- computing


def design_states(session: Session, day_ids: Iterable[int]) -> dict[int, DayDesigns]:
    """Return the design part of the state for these days (two queries)."""
    ids = list(day_ids)
    states = {day_id: DayDesigns() for day_id in ids}
    if not ids:
        return states
    live_offer = (
        Item.kind == ItemKind.AANBOD,
        Item.deleted_at.is_(None),
        Item.stage_day_id.in_(ids),
    )
    own: dict[int, bool] = {}
    for offer_id, day_id, content in session.execute(
        select(Item.id, Item.stage_day_id, Item.content).where(*live_offer)
    ):
        own[offer_id] = is_own_offer(content)
        states[day_id].offer_count += 1
    if not own:
        return states
    design = aliased(Item)
    ready_at: dict[int, list[datetime]] = defaultdict(list)
    for offer_id, day_id, content, completed_at, updated_at in session.execute(
        select(Item.id, Item.stage_day_id, design.content, design.completed_at, design.updated_at)
        .join(design, design.parent_id == Item.id)
        .where(*live_offer, design.kind == ItemKind.DENKWERK, design.deleted_at.is_(None))
    ):
        if design_is_ready(content, own_offer=own[offer_id]):
            # completed_at is kept by portfolio.domain.items; rows arranged by hand may lack it.
            ready_at[day_id].append(completed_at or updated_at)
    for day_id, moments in ready_at.items():
        state = states[day_id]
        state.ready_design_count = len(moments)
        if state.ready_design_count >= state.offer_count:
            state.designs_ready_at = max(moments)
            state.designs_ready_on = today_in_brussels(state.designs_ready_at - JUST_BEFORE)
    return states


def reflection_states(session: Session, day_ids: Iterable[int]) -> dict[int, datetime | None]:
    """Return when each day's reflection first counted as written, or None (two queries)."""
    ids = list(day_ids)
    written: dict[int, datetime | None] = {day_id: None for day_id in ids}
    if not ids:
        return written
    live_reflection = (
        Item.kind == ItemKind.REFLECTIE,
        Item.deleted_at.is_(None),
        Item.stage_day_id.in_(ids),
    )
    recorded_at = dict(
        session.execute(
            select(Item.id, func.min(Upload.uploaded_at))
            .join(Upload, Upload.item_id == Item.id)
            .where(
                *live_reflection,
                Upload.deleted_at.is_(None),
                Upload.category.in_(RECORDING_CATEGORIES),
            )
            .group_by(Item.id)
        ).all()
    )
    for item_id, day_id, content, completed_at, updated_at in session.execute(
        select(Item.id, Item.stage_day_id, Item.content, Item.completed_at, Item.updated_at).where(
            *live_reflection
        )
    ):
        candidates = [recorded_at[item_id]] if item_id in recorded_at else []
        if reflection_is_written(content):
            candidates.append(completed_at or updated_at)
        if written[day_id] is not None:
            candidates.append(written[day_id])
        written[day_id] = min(candidates) if candidates else written[day_id]
    return written


# ---------------------------------------------------------------- storing


def _write(session: Session, rows: list[dict], columns: tuple[str, ...]) -> None:
    """Write the columns for these days and keep loaded StageDay objects in step (no re-flush)."""
    if not rows:
        return
    table = StageDay.__table__
    statement = (
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values({name: bindparam("b_" + name) for name in columns})
    )
    session.connection().execute(statement, [{"b_" + k: v for k, v in row.items()} for row in rows])
    for row in rows:
        loaded = session.identity_map.get(
            inspect(StageDay).identity_key_from_primary_key([row["id"]])
        )
        if loaded is not None:
            for name in columns:
                set_committed_value(loaded, name, row[name])


def _refresh_designs(session: Session, day_ids: list[int]) -> None:
    rows = [
        {"id": day_id, **vars(state)} for day_id, state in design_states(session, day_ids).items()
    ]
    _write(session, rows, tuple(f.name for f in fields(DayDesigns)))


def _refresh_reflections(session: Session, day_ids: list[int]) -> None:
    rows = [
        {"id": day_id, "reflection_written_at": at}
        for day_id, at in reflection_states(session, day_ids).items()
    ]
    _write(session, rows, ("reflection_written_at",))


def refresh_days(session: Session, day_ids: Iterable[int]) -> None:
    """Recompute and store the derived state of these stage days, in batches."""
    ids = sorted(set(day_ids))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        _refresh_designs(session, batch)
        _refresh_reflections(session, batch)


def refresh_all_days(session: Session) -> int:
    """Recompute every stage day (after the migration that added the columns); return the count."""
    ids = list(session.execute(select(StageDay.id).order_by(StageDay.id)).scalars())
    refresh_days(session, ids)
    return len(ids)


# ---------------------------------------------------------------- the session hook


def _history_values(obj, name: str) -> list:
    """Return the attribute's current value and the one it had before this flush."""
    history = inspect(obj).attrs[name].history
    values = [getattr(obj, name), *history.deleted]
    return [v for v in values if v is not None]


# Changes to these never change the derived state (autosave bumps them on every keystroke).
_IRRELEVANT = frozenset({"version", "updated_at", "updated_by_id", "title", "position"})


def _could_change_state(obj: Item) -> bool:
    """Return False for an edit that cannot change its day's state (most autosaves).

    Anything but the content counts as relevant; a content edit only when a rule's answer on
    it differs before and after (written or not, ready or not, own offer or the mentor's).
    """
    state = inspect(obj)
    if not state.persistent or state.deleted:
        return True
    for attr in state.attrs:
        if attr.key in _IRRELEVANT or not attr.history.has_changes():
            continue
        if attr.key != "content":
            return True
        old = attr.history.deleted[0] if attr.history.deleted else None
        if not isinstance(old, dict) or _rule_answers(obj.kind, old) != _rule_answers(
            obj.kind, obj.content
        ):
            return True
    return False


def _rule_answers(kind: str, content: dict) -> tuple[bool, ...]:
    if kind == ItemKind.REFLECTIE:
        return (reflection_is_written(content),)
    if kind == ItemKind.DENKWERK:
        return design_is_ready(content, own_offer=True), design_is_ready(content, own_offer=False)
    return (is_own_offer(content),)


@event.listens_for(Session, "before_flush")
def _note_touched_days(session: Session, _context, _instances) -> None:
    pending = session.info.setdefault(_PENDING_KEY, _Pending())
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Item) and obj.kind in _TRACKED_KINDS:
            if obj in session.dirty and not _could_change_state(obj):
                continue
            if obj.kind == ItemKind.DENKWERK:
                pending.offer_ids.update(_history_values(obj, "parent_id"))
            elif obj.kind == ItemKind.AANBOD:
                pending.design_days.update(_history_values(obj, "stage_day_id"))
            else:
                pending.reflection_days.update(_history_values(obj, "stage_day_id"))
        elif isinstance(obj, Upload) and obj.category in RECORDING_CATEGORIES:
            pending.reflection_ids.update(_history_values(obj, "item_id"))
        elif isinstance(obj, StageDay) and _changes_placement_days(obj, session):
            pending.placement_ids.update(_history_values(obj, "placement_id"))


# A stage day's columns that portfolio.domain.placement_days summarises per placement.
_SUMMARISED = (
    "placement_id",
    "day",
    "kind",
    "offer_count",
    "designs_ready_on",
    "reflection_written_at",
)


def _changes_placement_days(day: StageDay, session: Session) -> bool:
    if day in session.new or day in session.deleted:
        return True
    attrs = inspect(day).attrs
    return any(attrs[name].history.has_changes() for name in _SUMMARISED)


@event.listens_for(Session, "after_flush_postexec")
def _refresh_touched_days(session: Session, _context) -> None:
    pending = session.info.pop(_PENDING_KEY, None)
    if not pending:
        return
    if pending.offer_ids:
        pending.design_days.update(
            session.execute(
                select(Item.stage_day_id).where(
                    Item.id.in_(pending.offer_ids), Item.stage_day_id.is_not(None)
                )
            ).scalars()
        )
    if pending.reflection_ids:
        pending.reflection_days.update(
            session.execute(
                select(Item.stage_day_id).where(
                    Item.id.in_(pending.reflection_ids),
                    Item.kind == ItemKind.REFLECTIE,
                    Item.stage_day_id.is_not(None),
                )
            ).scalars()
        )
    if pending.design_days:
        _refresh_designs(session, sorted(pending.design_days))
    if pending.reflection_days:
        _refresh_reflections(session, sorted(pending.reflection_days))
    placement_days.refresh_for_days(session, pending.design_days | pending.reflection_days)
    placement_days.refresh_placements(session, pending.placement_ids)
