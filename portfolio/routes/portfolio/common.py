"""What every portfolio view shares: URLs and slugs, loading items, the page context.

The files routes (portfolio/routes/files.py) load items through `load_item` too.
"""

from __future__ import annotations

from flask import abort, request, url_for
from flask_login import current_user
from sqlalchemy import bindparam
from sqlmodel import select

from portfolio.access import (
    can_student_write,
    can_view_item_kind,
    is_owner,
    load_placement,
    require_student_write,
)
from portfolio.bound_lists import in_list
from portfolio.clock import now, today_in_brussels
from portfolio.db import get_session
from portfolio.domain import current
from portfolio.domain import items as ops
from portfolio.domain.errors import DomainError, Forbidden
from portfolio.domain.placement_documents import require_enabled, switched_off_kinds
from portfolio.domain.steps import SPECS
from portfolio.models import Item, ItemKind, Placement, StageDay
from portfolio.routes.form_input import whole_number

BASE = "/stages/<int:placement_id>/portfolio"
# Singleton items that hang off the placement, by their page slug.
PART_SLUGS = {
    "nuldocument": ItemKind.NULDOCUMENT,
    "verkenningsgesprek": ItemKind.VERKENNING,
    "stap-1": ItemKind.BEGINSITUATIE,
    "aanpak": ItemKind.AANPAK,
    "stagepakket": ItemKind.STAGEPAKKET,
    "stageovereenkomst": ItemKind.STAGEOVEREENKOMST,
    "risicoanalyse": ItemKind.RISICOANALYSE,
    "laatste-reflectie": ItemKind.LAATSTE_REFLECTIE,
    "coachingsgesprek": ItemKind.COACHING,
    "presentatie": ItemKind.PRESENTATIE,
}
SLUG_OF = {kind: slug for slug, kind in PART_SLUGS.items()}
DAY_SLUGS = {"reflectie": ItemKind.REFLECTIE, "agenda": ItemKind.AGENDA}
DAY_SLUG_OF = {kind: slug for slug, kind in DAY_SLUGS.items()}
LIST_PAGES = {
    ItemKind.ACTIEPUNT: "portfolio.step2",
    ItemKind.AANBOD: "portfolio.step3",
    ItemKind.ONTWERPWERK: "portfolio.ideas",
}


def visible(
    placement: Placement, kind: str, switched_off: frozenset[str] = frozenset(), user=None
) -> bool:
    """Whether the user (the current one if not given) may read this kind (and the programme
    uses it, for the optional documents named in switched_off)."""
    viewer = current_user if user is None else user
    return kind not in switched_off and can_view_item_kind(viewer, placement, kind)


def require_visible(placement: Placement, kind: str) -> None:
    """Refuse unless the current user may read this kind of item (mentors: not reflections);
    a document the programme does not use is not found."""
    require_enabled(get_session(), kind)
    if not visible(placement, kind):
        raise Forbidden(
            "Dit deel van het portfolio is persoonlijk: alleen de student en de "
            "begeleiders kunnen het inzien."
        )


def load_item(placement: Placement, item_id: int, *, check_view: bool = True) -> Item:
    """Load a live item of this placement (404: missing, deleted, elsewhere), then 403."""
    item = get_session().get(Item, item_id)
    if item is None or item.placement_id != placement.id or item.deleted_at is not None:
        abort(404)
    if check_view:
        require_visible(placement, item.kind)
    return item


def current_placement(student_id: int) -> Placement | None:
    """Return the student's current placement (running today, else the next, else the last)."""
    return current.current_placement(get_session(), student_id, today_in_brussels(now()))


def item_to_change(placement_id: int, item_id: int) -> Item:
    """Load the placement and the item (404, 403), then require a student write."""
    placement = load_placement(placement_id)
    item = load_item(placement, item_id)
    require_student_write(placement)
    return item


# The portfolio pages' item queries, built once (every page view runs one).
_LIVE = (Item.placement_id == bindparam("placement_id"), Item.deleted_at.is_(None))
_ITEMS = select(Item).where(*_LIVE).order_by(Item.created_at, Item.id)
_ITEMS_OF_KINDS = _ITEMS.where(in_list(Item.kind, "kinds"))
_DAY_ITEMS = _ITEMS.where(
    Item.stage_day_id == bindparam("stage_day_id"),
    in_list(Item.kind, "kinds"),
)


def items_of(placement: Placement, kinds=None) -> list[Item]:
    """All live items of the placement (of the given kinds) in one query."""
    if kinds is None:
        return list(get_session().exec(_ITEMS, params={"placement_id": placement.id}))
    params = {"placement_id": placement.id, "kinds": list(kinds)}
    return list(get_session().exec(_ITEMS_OF_KINDS, params=params))


def day_items(placement: Placement, day: StageDay, kind: str) -> tuple[Item | None, list[Item]]:
    """The day's own item of `kind` (reflection, agenda), if any, and its offers: one query."""
    found = get_session().exec(
        _DAY_ITEMS,
        params={
            "placement_id": placement.id,
            "stage_day_id": day.id,
            "kinds": [kind, ItemKind.AANBOD],
        },
    )
    own, offers = [], []
    for item in found:
        if item.kind == ItemKind.AANBOD:
            offers.append(item)
        elif item.parent_id is None and item.attitude_id is None:
            own.append(item)
    return min(own, key=lambda i: i.id, default=None), offers


def find_or_create(placement: Placement, kind: str, scope: ops.Scope) -> tuple[Item, bool]:
    """Find the singleton or create it for the student: POST only (a first save, a first upload).

    A page never calls this: a GET must not write (a service worker prefetching pages, a link
    preview), so without an item yet it shows a blank form whose first save creates it.
    Returns the item and whether this request created it (then it starts at version 1).
    """
    return ops.find_or_create_item(
        get_session(), placement, kind, scope=scope, actor=current_user, moment=now()
    )


def load_offer(placement: Placement, offer_id: int) -> Item:
    """Load an offer of this placement's timetable (404: missing, elsewhere, not an offer)."""
    offer = load_item(placement, offer_id)
    if offer.kind != ItemKind.AANBOD:
        abort(404)
    return offer


def item_url(item: Item) -> str:
    """The page where this item is edited."""
    pid = item.placement_id
    if item.kind in SLUG_OF:
        return url_for("portfolio.part", placement_id=pid, slug=SLUG_OF[item.kind])
    if item.kind in DAY_SLUG_OF:
        return url_for(
            "portfolio.day_item",
            placement_id=pid,
            stage_day_id=item.stage_day_id,
            slug=DAY_SLUG_OF[item.kind],
        )
    if item.kind == ItemKind.DENKWERK:
        return url_for("portfolio.design", placement_id=pid, offer_id=item.parent_id)
    if item.kind == ItemKind.AANBOD:
        # Step 3 shows one week at a time: an offer's own page is always there.
        return url_for("portfolio.item_page", placement_id=pid, item_id=item.id)
    if item.kind == ItemKind.ZELFBEELD:
        return url_for("portfolio.self_image", placement_id=pid) + f"#attitude-{item.attitude_id}"
    if item.kind == ItemKind.PRESENTATIE_ATTITUDE:
        return (
            url_for("portfolio.part", placement_id=pid, slug="presentatie")
            + f"#attitude-{item.attitude_id}"
        )
    return url_for(LIST_PAGES[item.kind], placement_id=pid) + f"#item-{item.id}"


def form_context(placement: Placement) -> dict:
    """The context every portfolio template gets."""
    moment = now()
    switched_off = switched_off_kinds(get_session())
    # The page asks `visible` for every step it links to: the user is looked up once.
    user = current_user._get_current_object()
    return {
        "placement": placement,
        "can_edit": can_student_write(user, placement),
        "is_student": is_owner(user, placement),
        "visible": lambda kind: visible(placement, kind, switched_off, user),
        "specs": SPECS,
        "moment": moment,
        "today": today_in_brussels(moment),
        "item_url": item_url,
    }


def page(placement_id: int, kind: str) -> tuple[Placement, dict]:
    """Load the placement for a page about `kind` (404, 403) and the common page context."""
    placement = load_placement(placement_id)
    require_visible(placement, kind)
    return placement, form_context(placement)


def int_field(name: str, *, required: bool = False) -> int | None:
    """Read a whole number (an id or a version) from the posted form; refuse a bad one."""
    raw = request.form.get(name, "").strip()
    if not raw:
        if required:
            raise DomainError(f"Het veld '{name}' ontbreekt.")
        return None
    value = whole_number(raw)
    if value is None:
        raise DomainError(f"Het veld '{name}' is geen geldig getal.")
    return value
