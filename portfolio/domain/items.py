"""Portfolio items: create, save with history, restore, delete; the 0-document carry-over.

Every operation that changes an item is a student write: the acting person must be the
placement's student and the portfolio must still be open (routes also call
`portfolio.access.require_student_write`; the domain checks again so no caller can skip it).

History: every save writes an `ItemVersion` row (who, when, what), except that consecutive
saves by the SAME author less than `COALESCE_WINDOW` (5 minutes) after that author's latest
row are merged into that row (autosave fires about once a second while typing; one row per
typing session keeps the history readable). A row therefore carries the item version its
last save produced, so version numbers in the history can have gaps. Rows are never merged
across authors, into a restore, or into an item's first row (e.g. a carried-over 0-document).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from portfolio.clock import now
from portfolio.domain.deadline import is_closed
from portfolio.domain.errors import DomainError, Forbidden, PortfolioClosed, VersionConflict
from portfolio.domain.steps import (
    SPECS,
    KindSpec,
    design_is_ready,
    filled_count,
    is_own_offer,
)
from portfolio.models import (
    Attitude,
    Context,
    Item,
    ItemKind,
    ItemVersion,
    Placement,
    Role,
    StageDay,
    User,
)
from portfolio.models.placement import CONTEXT_LABELS

MAX_FIELD_CHARS = 50_000
MAX_TITLE_CHARS = 300
COALESCE_WINDOW = timedelta(minutes=5)
OFFER_SOURCES = {"eigen": "Eigen aanbod", "mentor": "Overgenomen van de mentor"}
# Fields of the 0-document that describe the site; they follow the new placement, not the old one.
SITE_FIELDS = ("stageplaats", "adres_stageplaats", "type_stageplaats", "stagedagen")
WEEKDAYS_NL = ("ma", "di", "wo", "do", "vr", "za", "zo")
MONTHS_NL = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


class StaleVersion(VersionConflict):
    """The item was saved since the student loaded it; carries what is saved now."""

    def __init__(self, item: Item, saved_by: User | None):
        super().__init__(
            "Dit onderdeel werd intussen elders bewaard (bv. in een ander venster). "
            "Kies welke tekst je wil houden."
        )
        self.item = item
        self.saved_by = saved_by


@dataclass(frozen=True)
class Scope:
    """Where an item hangs: the placement, a stage day, an offer (parent) or an attitude."""

    stage_day_id: int | None = None
    parent_id: int | None = None
    attitude_id: int | None = None


def spec_or_error(kind: str) -> KindSpec:
    spec = SPECS.get(kind)
    if spec is None:
        raise DomainError("Dit soort onderdeel bestaat niet.")
    return spec


def check_student_write(placement: Placement, actor: User, moment: datetime) -> None:
    """Refuse unless the actor is the placement's student and the portfolio is still open."""
    if actor.role != Role.STUDENT or placement.student_id != actor.id:
        raise Forbidden("Alleen de student zelf kan dit portfolio aanvullen.")
    if is_closed(placement, moment):
        raise PortfolioClosed(
            "Je portfolio is afgesloten: je kan alles nog lezen, maar niets meer wijzigen."
        )


# ---------------------------------------------------------------- finding and creating


def _check_scope(session: Session, placement: Placement, spec: KindSpec, scope: Scope) -> None:
    """Refuse scope ids that do not fit the kind or do not belong to this placement."""
    wanted = {
        "placement": (),
        "free": (),
        "stage_day": ("stage_day_id",),
        "offer": ("parent_id",),
        "attitude": ("attitude_id",),
    }[spec.scope]
    for name in ("stage_day_id", "parent_id", "attitude_id"):
        given = getattr(scope, name) is not None
        if given != (name in wanted):
            raise DomainError("Dit onderdeel hoort niet bij die dag, dat aanbod of die attitude.")
    if scope.stage_day_id is not None:
        day = session.get(StageDay, scope.stage_day_id)
        if day is None or day.placement_id != placement.id:
            raise DomainError("Die stagedag hoort niet bij deze stage.")
    if scope.parent_id is not None:
        offer = session.get(Item, scope.parent_id)
        if (
            offer is None
            or offer.placement_id != placement.id
            or offer.kind != ItemKind.AANBOD
            or offer.deleted_at is not None
        ):
            raise DomainError("Dat aanbod bestaat niet (meer) in je werkrooster.")
    if scope.attitude_id is not None and session.get(Attitude, scope.attitude_id) is None:
        raise DomainError("Die attitude bestaat niet.")


def find_item(session: Session, placement: Placement, kind: str, scope: Scope) -> Item | None:
    """Return the (not deleted) singleton item of this kind and scope, if it exists."""
    return session.exec(
        select(Item)
        .where(
            Item.placement_id == placement.id,
            Item.kind == kind,
            Item.deleted_at.is_(None),
            Item.stage_day_id == scope.stage_day_id
            if scope.stage_day_id is not None
            else Item.stage_day_id.is_(None),
            Item.parent_id == scope.parent_id
            if scope.parent_id is not None
            else Item.parent_id.is_(None),
            Item.attitude_id == scope.attitude_id
            if scope.attitude_id is not None
            else Item.attitude_id.is_(None),
        )
        .order_by(Item.id)
    ).first()


def get_or_create_item(
    session: Session,
    placement: Placement,
    kind: str,
    *,
    stage_day_id: int | None = None,
    parent_id: int | None = None,
    attitude_id: int | None = None,
    actor: User,
    moment: datetime | None = None,
) -> Item:
    """Return the singleton item of this kind and scope, creating it (a student write)."""
    moment = moment or now()
    spec = spec_or_error(kind)
    if not spec.singleton:
        raise DomainError("Van dit onderdeel kan je er meerdere maken; voeg er een toe.")
    scope = Scope(stage_day_id, parent_id, attitude_id)
    _check_scope(session, placement, spec, scope)
    item = find_item(session, placement, kind, scope)
    if item is not None:
        return item
    check_student_write(placement, actor, moment)
    content = nuldocument_start(session, placement) if kind == ItemKind.NULDOCUMENT else {}
    return _new_item(session, placement, kind, scope, content, "", actor, moment)


def create_item(
    session: Session,
    placement: Placement,
    kind: str,
    *,
    title: str = "",
    content: dict | None = None,
    stage_day_id: int | None = None,
    actor: User,
    moment: datetime | None = None,
) -> Item:
    """Add one of several items (an action point, an idea, an offer on a stage day)."""
    moment = moment or now()
    spec = spec_or_error(kind)
    if spec.singleton:
        raise DomainError("Van dit onderdeel bestaat er maar één.")
    check_student_write(placement, actor, moment)
    scope = Scope(stage_day_id=stage_day_id)
    _check_scope(session, placement, spec, scope)
    title = _clean_title(title)
    if kind == ItemKind.AANBOD and not title.strip():
        raise DomainError("Geef het aanbod een naam.")
    cleaned = _clean_content(spec, content or {}, {})
    return _new_item(session, placement, kind, scope, cleaned, title, actor, moment)


def _new_item(session, placement, kind, scope, content, title, actor, moment) -> Item:
    item = Item(
        placement_id=placement.id,
        kind=kind,
        stage_day_id=scope.stage_day_id,
        parent_id=scope.parent_id,
        attitude_id=scope.attitude_id,
        title=title,
        content=content,
        version=1,
        created_at=moment,
        created_by_id=actor.id,
        updated_at=moment,
        updated_by_id=actor.id,
    )
    session.add(item)
    session.flush()
    _update_completion(session, item, moment)
    if content or title:
        # A non-empty start (carried over, or an offer with its name) is the first version.
        session.add(
            ItemVersion(
                item_id=item.id,
                version=1,
                title=title,
                content=dict(content),
                saved_at=moment,
                saved_by_id=actor.id,
            )
        )
    session.flush()
    return item


# ---------------------------------------------------------------- saving


def _clean_title(title: str | None) -> str:
    if title is None:
        return ""
    if not isinstance(title, str):
        raise DomainError("De titel moet tekst zijn.")
    if len(title) > MAX_TITLE_CHARS:
        raise DomainError(f"De titel is te lang (maximaal {MAX_TITLE_CHARS} tekens).")
    return title


def _clean_content(spec: KindSpec, given: dict, current: dict) -> dict:
    """Keep the spec's field keys (plus 'bron' for offers); given keys replace current ones."""
    allowed = set(spec.field_keys())
    if spec.kind == ItemKind.AANBOD:
        allowed.add("bron")
    result = {k: v for k, v in current.items() if k in allowed}
    for key, value in given.items():
        if key not in allowed:
            continue
        if not isinstance(value, str):
            raise DomainError("Elk veld moet tekst zijn.")
        if len(value) > MAX_FIELD_CHARS:
            raise DomainError(
                f"Deze tekst is te lang ({len(value)} tekens; maximaal {MAX_FIELD_CHARS})."
            )
        result[key] = value
    if spec.kind == ItemKind.AANBOD and result.get("bron", "eigen") not in OFFER_SOURCES:
        raise DomainError("Kies 'eigen aanbod' of 'overgenomen van de mentor'.")
    return result


def save_item(
    session: Session,
    item: Item,
    *,
    content: dict,
    title: str | None = None,
    base_version: int,
    actor: User,
    moment: datetime,
) -> Item:
    """Save new content for an item the student loaded at `base_version`.

    Keeps only the kind's field keys (and 'bron' for offers); keys not given keep their value.
    Raises StaleVersion (409) when the item was saved since, DomainError for too-long text,
    Forbidden/PortfolioClosed for anyone but the student of an open portfolio. A save that
    changes nothing returns the item as it is (no new version). See the module docstring for
    how consecutive autosaves are merged in the history.
    """
    placement = session.get(Placement, item.placement_id)
    check_student_write(placement, actor, moment)
    if item.deleted_at is not None:
        raise DomainError("Dit onderdeel werd verwijderd.", status=404)
    spec = spec_or_error(item.kind)
    cleaned = _clean_content(spec, content, item.content)
    new_title = item.title if title is None else _clean_title(title)
    if item.kind == ItemKind.AANBOD and not new_title.strip():
        raise DomainError("Geef het aanbod een naam.")
    if cleaned == item.content and new_title == item.title:
        return item
    if base_version != item.version:
        saved_by = session.get(User, item.updated_by_id) if item.updated_by_id else None
        raise StaleVersion(item, saved_by)
    was_own = is_own_offer(item.content)
    _apply(session, item, cleaned, new_title, actor, moment, restored_from=None)
    if item.kind == ItemKind.AANBOD and is_own_offer(cleaned) != was_own:
        for design in _designs_of(session, item):
            _update_completion(session, design, moment)
    return item


def _apply(session, item, content, title, actor, moment, *, restored_from) -> None:
    """Write the new state, bump the version and record it in the history."""
    item.content = dict(content)
    item.title = title
    item.version += 1
    item.updated_at = moment
    item.updated_by_id = actor.id
    _update_completion(session, item, moment)
    session.add(item)
    latest = session.exec(
        select(ItemVersion)
        .where(ItemVersion.item_id == item.id)
        .order_by(ItemVersion.version.desc())
        .limit(1)
    ).first()
    if restored_from is None and _may_coalesce(latest, actor, moment):
        latest.version = item.version
        latest.title = title
        latest.content = dict(content)
        latest.saved_at = moment
        session.add(latest)
    else:
        session.add(
            ItemVersion(
                item_id=item.id,
                version=item.version,
                title=title,
                content=dict(content),
                saved_at=moment,
                saved_by_id=actor.id,
                restored_from=restored_from,
            )
        )
    session.flush()


def _may_coalesce(latest: ItemVersion | None, actor: User, moment: datetime) -> bool:
    return (
        latest is not None
        and latest.version > 1
        and latest.restored_from is None
        and latest.saved_by_id == actor.id
        and timedelta(0) <= moment - latest.saved_at < COALESCE_WINDOW
    )


def _designs_of(session: Session, offer: Item) -> list[Item]:
    return list(
        session.exec(
            select(Item).where(
                Item.parent_id == offer.id,
                Item.kind == ItemKind.DENKWERK,
                Item.deleted_at.is_(None),
            )
        )
    )


def is_complete(session: Session, item: Item) -> bool:
    """A design is complete when ready (see steps.design_is_ready); others when all filled."""
    if item.kind == ItemKind.DENKWERK:
        offer = session.get(Item, item.parent_id) if item.parent_id else None
        own = is_own_offer(offer.content) if offer is not None else True
        return design_is_ready(item.content, own_offer=own)
    filled, total = filled_count(item.kind, item.content)
    return total > 0 and filled == total


def _update_completion(session: Session, item: Item, moment: datetime) -> None:
    """Set completed_at when the item first becomes complete; clear it when it no longer is."""
    if is_complete(session, item):
        if item.completed_at is None:
            item.completed_at = moment
    else:
        item.completed_at = None
    session.add(item)


# ---------------------------------------------------------------- history, delete


def versions_of(session: Session, item: Item) -> list[ItemVersion]:
    """Return the item's history, newest first."""
    return list(
        session.exec(
            select(ItemVersion)
            .where(ItemVersion.item_id == item.id)
            .order_by(ItemVersion.version.desc())
        )
    )


def get_version(session: Session, item: Item, version_number: int) -> ItemVersion:
    row = session.exec(
        select(ItemVersion).where(
            ItemVersion.item_id == item.id, ItemVersion.version == version_number
        )
    ).first()
    if row is None:
        raise DomainError("Deze versie bestaat niet.", status=404)
    return row


def restore_version(
    session: Session, item: Item, version_number: int, *, actor: User, moment: datetime
) -> Item:
    """Make an earlier version the current one again, as a new version (restored_from)."""
    placement = session.get(Placement, item.placement_id)
    check_student_write(placement, actor, moment)
    if item.deleted_at is not None:
        raise DomainError("Dit onderdeel werd verwijderd.", status=404)
    old = get_version(session, item, version_number)
    was_own = is_own_offer(item.content)
    _apply(session, item, old.content, old.title, actor, moment, restored_from=version_number)
    if item.kind == ItemKind.AANBOD and is_own_offer(item.content) != was_own:
        for design in _designs_of(session, item):
            _update_completion(session, design, moment)
    return item


def delete_item(session: Session, item: Item, *, actor: User, moment: datetime) -> None:
    """Soft-delete one of several items (an offer takes its design along); history stays."""
    placement = session.get(Placement, item.placement_id)
    check_student_write(placement, actor, moment)
    if SPECS[item.kind].singleton:
        raise DomainError("Dit onderdeel kan je niet verwijderen; maak het leeg als je wil.")
    if item.deleted_at is not None:
        return
    item.deleted_at = moment
    item.updated_by_id = actor.id
    session.add(item)
    if item.kind == ItemKind.AANBOD:
        for design in _designs_of(session, item):
            design.deleted_at = moment
            session.add(design)
    session.flush()


# ---------------------------------------------------------------- the 0-document


def _short_date(day: date) -> str:
    return f"{WEEKDAYS_NL[day.weekday()]} {day.day} {MONTHS_NL[day.month - 1]}"


def site_fields(session: Session, placement: Placement) -> dict:
    """Return the 0-document's site fields as the placement knows them."""
    days = session.exec(
        select(StageDay.day).where(StageDay.placement_id == placement.id).order_by(StageDay.day)
    ).all()
    fields = {
        "stageplaats": placement.site_name,
        "adres_stageplaats": placement.site_address,
        "type_stageplaats": CONTEXT_LABELS.get(Context(placement.context), placement.context),
        "stagedagen": f"Semester {placement.semester}, {len(days)} stagedagen: "
        + ", ".join(_short_date(d) for d in days),
    }
    if placement.mentor_id is not None:
        mentor = session.get(User, placement.mentor_id)
        if mentor is not None:
            fields["mentoren"] = f"{mentor.name} ({mentor.email})"
    return fields


def nuldocument_start(session: Session, placement: Placement) -> dict:
    """Return the first content of a new placement's 0-document ('overheen de stages').

    The student's own data comes from the 0-document of their most recent earlier placement;
    the site fields always come from this placement. Mentors and management are carried over
    only when the site is the same.
    """
    earlier = session.exec(
        select(Item, Placement)
        .join(Placement, Placement.id == Item.placement_id)
        .where(
            Placement.student_id == placement.student_id,
            Placement.id != placement.id,
            Placement.first_day <= placement.first_day,
            Item.kind == ItemKind.NULDOCUMENT,
            Item.deleted_at.is_(None),
        )
        .order_by(Placement.first_day.desc(), Placement.id.desc())
    ).first()
    content: dict = {}
    if earlier is not None:
        old_item, old_placement = earlier
        content = {k: v for k, v in old_item.content.items() if k not in SITE_FIELDS}
        if old_placement.site_name.strip().lower() != placement.site_name.strip().lower():
            content.pop("mentoren", None)
            content.pop("directie", None)
    site = site_fields(session, placement)
    if "mentoren" in content:
        site.pop("mentoren", None)
    content.update({k: v for k, v in site.items() if v})
    return _clean_content(SPECS[ItemKind.NULDOCUMENT], content, {})
