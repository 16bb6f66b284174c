"""Portfolio items: find, create, save, restore and delete; scope, content and completion rules.

Every operation that changes an item is a student write: the acting person must be the
placement's student and the portfolio must still be open (routes also call
`portfolio.access.require_student_write`; the domain checks again so no caller can skip it).
Every change is recorded in the item's history (see `portfolio.domain.versions`); a new
0-document starts from `portfolio.domain.nuldocument`. Where an item hangs (its Scope) and
finding the one item of a kind and scope: `portfolio.domain.item_scope`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session

from portfolio.clock import now
from portfolio.domain import signing
from portfolio.domain.completion import designs_of, update_completion
from portfolio.domain.deadline import is_closed
from portfolio.domain.errors import DomainError, Forbidden, PortfolioClosed
from portfolio.domain.item_scope import Scope, check_scope, find_item
from portfolio.domain.nuldocument import nuldocument_start
from portfolio.domain.steps import SPECS, KindSpec, is_own_offer
from portfolio.domain.versions import StaleVersion, add_version, get_version, record_version
from portfolio.models import Item, ItemKind, Placement, Role, User

MAX_FIELD_CHARS = 50_000
MAX_TITLE_CHARS = 300
OFFER_SOURCES = {"eigen": "Eigen aanbod", "mentor": "Overgenomen van de mentor"}


def spec_or_error(kind: str) -> KindSpec:
    spec = SPECS.get(kind)
    if spec is None:
        raise DomainError("Dit soort onderdeel bestaat niet.")
    return spec


def content_keys(spec: KindSpec) -> tuple[str, ...]:
    """Return the content keys an item of this kind keeps: its fields, plus 'bron' for offers."""
    return spec.field_keys() + (("bron",) if spec.kind == ItemKind.AANBOD else ())


def check_student_write(placement: Placement, actor: User, moment: datetime) -> None:
    """Refuse unless the actor is the placement's student and the portfolio is still open."""
    if actor.role != Role.STUDENT or placement.student_id != actor.id:
        raise Forbidden("Alleen de student zelf kan dit portfolio aanvullen.")
    if is_closed(placement, moment):
        raise PortfolioClosed(
            "Je portfolio is afgesloten: je kan alles nog lezen, maar niets meer wijzigen."
        )


# ---------------------------------------------------------------- finding and creating


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
    return find_or_create_item(
        session,
        placement,
        kind,
        scope=Scope(stage_day_id, parent_id, attitude_id),
        actor=actor,
        moment=moment,
    )[0]


def find_or_create_item(
    session: Session,
    placement: Placement,
    kind: str,
    *,
    scope: Scope,
    actor: User,
    moment: datetime | None = None,
) -> tuple[Item, bool]:
    """Return the singleton item of this kind and scope and whether this call created it.

    "Created" is only true for the request that inserted the row: one that waited on the lock
    and then found another's item must treat it as someone else's work (a version conflict),
    not as its own fresh item.
    """
    moment = moment or now()
    spec = spec_or_error(kind)
    if not spec.singleton:
        raise DomainError("Van dit onderdeel kan je er meerdere maken; voeg er een toe.")
    check_scope(session, placement, spec, scope)
    item = find_item(session, placement, kind, scope)
    if item is not None:
        return item, False
    check_student_write(placement, actor, moment)
    # Pages never create items, the first save or upload does: an offline draft's save and
    # a queued recording (or two tabs' first saves) may arrive at once. The placement's row
    # lock (held to the commit) makes the second wait, and then it finds the first one's item.
    _lock_placement(session, placement)
    item = find_item(session, placement, kind, scope)
    if item is not None:
        return item, False
    return _new_item(
        session, placement, kind, scope, start_content(session, placement, kind), "", actor, moment
    ), True


def start_content(session: Session, placement: Placement, kind: str) -> dict:
    """The content a new singleton starts with: the 0-document's carried-over and site data,
    else nothing. Its page shows this in the blank form before the first save creates it."""
    if kind != ItemKind.NULDOCUMENT:
        return {}
    return _clean_content(SPECS[kind], nuldocument_start(session, placement), {})


def _lock_placement(session: Session, placement: Placement) -> None:
    """Take the placement row's write lock until the commit (an UPDATE that changes nothing:
    on SQLite it also begins the write transaction, so what is read next is current)."""
    table = Placement.__table__
    session.execute(update(table).where(table.c.id == placement.id).values(id=table.c.id))


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
    check_scope(session, placement, spec, scope)
    title = _clean_title(kind, title)
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
    update_completion(session, item, moment)
    if content or title:
        # A non-empty start (carried over, or an offer with its name) is the first version.
        add_version(session, item, actor=actor, moment=moment)
    session.flush()
    return item


# ---------------------------------------------------------------- saving and restoring


def _clean_title(kind: str, title: str | None) -> str:
    if title is None:
        title = ""
    if not isinstance(title, str):
        raise DomainError("De titel moet tekst zijn.")
    if len(title) > MAX_TITLE_CHARS:
        raise DomainError(f"De titel is te lang (maximaal {MAX_TITLE_CHARS} tekens).")
    if kind == ItemKind.AANBOD and not title.strip():
        raise DomainError("Geef het aanbod een naam.")
    return title


def _clean_content(spec: KindSpec, given: dict, current: dict) -> dict:
    """Keep the kind's content keys (see content_keys); given keys replace current ones."""
    allowed = set(content_keys(spec))
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


def _check_item_write(session: Session, item: Item, actor: User, moment: datetime) -> None:
    """Refuse a change to this item unless it is a student write on an item not deleted."""
    check_student_write(session.get(Placement, item.placement_id), actor, moment)
    if item.deleted_at is not None:
        raise DomainError("Dit onderdeel werd verwijderd.", status=404)
    signing.require_unlocked(session, item)


def save_item(
    session: Session,
    item: Item,
    *,
    content: dict,
    title: str | None = None,
    base_version: int,
    actor: User,
    moment: datetime,
    separate_row: bool = False,
) -> Item:
    """Save new content for an item the student loaded at `base_version`.

    Keeps only the kind's content keys; keys not given keep their value.
    Raises StaleVersion (409) when the item was saved since, DomainError for too-long text,
    Forbidden/PortfolioClosed for anyone but the student of an open portfolio. A save that
    changes nothing returns the item as it is (no new version). See `portfolio.domain.versions`
    for how consecutive autosaves are merged in the history (`separate_row` never merges).
    """
    _check_item_write(session, item, actor, moment)
    cleaned = _clean_content(spec_or_error(item.kind), content, item.content)
    new_title = _clean_title(item.kind, item.title if title is None else title)
    if cleaned == item.content and new_title == item.title:
        return item
    if base_version != item.version:
        saved_by = session.get(User, item.updated_by_id) if item.updated_by_id else None
        raise StaleVersion(item, saved_by)
    _change(
        session, item, cleaned, new_title, actor, moment, restored_from=None, separate=separate_row
    )
    return item


def restore_version(
    session: Session, item: Item, version_number: int, *, actor: User, moment: datetime
) -> Item:
    """Make an earlier version the current one again, as a new version (restored_from)."""
    _check_item_write(session, item, actor, moment)
    old = get_version(session, item, version_number)
    _change(session, item, old.content, old.title, actor, moment, restored_from=version_number)
    return item


def _change(session, item, content, title, actor, moment, *, restored_from, separate=False):
    """Write the new state, bump the version, record it; an offer's designs follow its source."""
    was_own = is_own_offer(item.content)
    item.content = dict(content)
    item.title = title
    item.version += 1
    item.updated_at = moment
    item.updated_by_id = actor.id
    update_completion(session, item, moment)
    session.add(item)
    record_version(
        session,
        item,
        actor=actor,
        moment=moment,
        restored_from=restored_from,
        separate_row=separate,
    )
    session.flush()
    if item.kind == ItemKind.AANBOD and is_own_offer(item.content) != was_own:
        for design in designs_of(session, item):
            update_completion(session, design, moment)


# ---------------------------------------------------------------- deleting


def delete_item(session: Session, item: Item, *, actor: User, moment: datetime) -> None:
    """Soft-delete one of several items (an offer takes its design along); history stays."""
    check_student_write(session.get(Placement, item.placement_id), actor, moment)
    if SPECS[item.kind].singleton:
        raise DomainError("Dit onderdeel kan je niet verwijderen; maak het leeg als je wil.")
    if item.deleted_at is not None:
        return
    item.deleted_at = moment
    item.updated_by_id = actor.id
    session.add(item)
    if item.kind == ItemKind.AANBOD:
        for design in designs_of(session, item):
            design.deleted_at = moment
            session.add(design)
    session.flush()
