"""Name an item the way people talk about it: with its day, offer or attitude.

"Reflectie di 1 december", "Ontwerp: Voorleesmoment 'De Gruffalo' (wo 2 dec)",
"Zelfbeeld: Leergierigheid". Used by feedback lists, item pages and notification mails.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from babel.dates import format_date
from sqlmodel import Session, select

from portfolio.domain.steps import SPECS
from portfolio.models import Attitude, Item, ItemKind, StageDay

# Items of one stage day are named after the day; their name here comes first.
DAY_NAMES = {ItemKind.REFLECTIE: "Reflectie", ItemKind.AGENDA: "Agenda"}
# Items with their own title, named "<prefix>: <title>".
TITLED = {
    ItemKind.AANBOD: "Aanbod",
    ItemKind.DENKWERK: "Ontwerp",
    ItemKind.ACTIEPUNT: "Actiepunt",
    ItemKind.ONTWERPWERK: "Ontwerpwerk",
}
ATTITUDE_NAMES = {ItemKind.ZELFBEELD: "Zelfbeeld", ItemKind.PRESENTATIE_ATTITUDE: "Presentatie"}


def long_day(day: date) -> str:
    return format_date(day, "EEE d MMMM", locale="nl_BE")


def short_day(day: date) -> str:
    return format_date(day, "EEE d MMM", locale="nl_BE")


def item_labels(
    session: Session, items: Iterable[Item], known_days: dict[int, date] | None = None
) -> dict[int, str]:
    """Return a label per item id; three queries at most, whatever the number of items.

    `known_days` (stage day id: date), when the caller has the days already, saves a query.
    """
    items = list(items)
    parent_ids = {i.parent_id for i in items if i.parent_id is not None}
    parents = (
        {p.id: p for p in session.exec(select(Item).where(Item.id.in_(parent_ids)))}
        if parent_ids
        else {}
    )
    days = dict(known_days or {})
    day_ids = {i.stage_day_id for i in [*items, *parents.values()] if i.stage_day_id} - set(days)
    if day_ids:
        rows = session.exec(select(StageDay.id, StageDay.day).where(StageDay.id.in_(day_ids)))
        days.update(rows.all())
    attitude_ids = {i.attitude_id for i in items if i.attitude_id is not None}
    attitudes = (
        dict(
            session.exec(
                select(Attitude.id, Attitude.name).where(Attitude.id.in_(attitude_ids))
            ).all()
        )
        if attitude_ids
        else {}
    )
    return {i.id: _label(i, parents, days, attitudes) for i in items}


def item_label(session: Session, item: Item) -> str:
    """The label of one item (see item_labels)."""
    return item_labels(session, [item])[item.id]


def _label(item: Item, parents: dict, days: dict, attitudes: dict) -> str:
    spec = SPECS.get(item.kind)
    fallback = item.title or (spec.title if spec else item.kind)
    if item.kind in DAY_NAMES:
        day = days.get(item.stage_day_id) or item.day
        return f"{DAY_NAMES[item.kind]} {long_day(day)}" if day else fallback
    if item.kind in ATTITUDE_NAMES:
        name = attitudes.get(item.attitude_id)
        return f"{ATTITUDE_NAMES[item.kind]}: {name}" if name else fallback
    if item.kind in TITLED:
        # A design is named after its offer, and dated by the offer's day.
        source = parents.get(item.parent_id, item) if item.kind == ItemKind.DENKWERK else item
        title = item.title or source.title or "zonder naam"
        day = days.get(source.stage_day_id) or source.day
        label = f"{TITLED[item.kind]}: {title}"
        return f"{label} ({short_day(day)})" if day else label
    return fallback
