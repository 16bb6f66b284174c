"""The history of portfolio items: one `ItemVersion` row per save, merged while typing.

Every save writes a row (who, when, what), except that consecutive saves by the SAME author
less than `COALESCE_WINDOW` (5 minutes) after that author's latest row are merged into that
row (autosave fires about once a second while typing; one row per typing session keeps the
history readable). A row therefore carries the item version its last save produced, so
version numbers in the history can have gaps. Rows are never merged across authors, into a
restore, into an item's first row (e.g. a carried-over 0-document), nor when the save settles
an edit conflict (`separate_row`): both sides of a conflict keep their own row
(see `portfolio.domain.conflicts`).

Who may write is checked by the callers in `portfolio.domain.items`; a save on top of a
newer version than the one loaded is refused with `StaleVersion`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, update
from sqlmodel import Session, select

from portfolio.domain.errors import DomainError, VersionConflict
from portfolio.models import Item, ItemVersion, User

COALESCE_WINDOW = timedelta(minutes=5)


class StaleVersion(VersionConflict):
    """The item was saved since the student loaded it; carries what is saved now."""

    def __init__(self, item: Item, saved_by: User | None):
        super().__init__(
            "Dit onderdeel werd intussen elders bewaard (bv. in een ander venster). "
            "Kies welke tekst je wil houden."
        )
        self.item = item
        self.saved_by = saved_by


def add_version(
    session: Session,
    item: Item,
    *,
    actor: User,
    moment: datetime,
    restored_from: int | None = None,
) -> ItemVersion:
    """Add a history row holding the item's current title and content."""
    row = ItemVersion(
        item_id=item.id,
        version=item.version,
        title=item.title,
        content=dict(item.content),
        saved_at=moment,
        saved_by_id=actor.id,
        restored_from=restored_from,
    )
    session.add(row)
    return row


def record_version(
    session: Session,
    item: Item,
    *,
    actor: User,
    moment: datetime,
    restored_from: int | None = None,
    separate_row: bool = False,
) -> None:
    """Record the item's new state: merged into the author's latest row, or as a new row."""
    if restored_from is None and not separate_row and _coalesce(session, item, actor, moment):
        return
    add_version(session, item, actor=actor, moment=moment, restored_from=restored_from)


def _coalesce(session: Session, item: Item, actor: User, moment: datetime) -> bool:
    """Merge the save into the latest row if that row may take it; one UPDATE, nothing read.

    The row may take it when it is the author's own, not the item's first, not a restore and
    saved less than COALESCE_WINDOW before `moment` (autosave saves every second or so).
    """
    # A Core statement on the session's connection: the ORM's bulk-update path (its flush,
    # its search for loaded rows to bring up to date) cost more CPU than the UPDATE itself.
    session.flush()
    merged = session.connection().execute(
        _MERGE_INTO_LATEST,
        {
            "of_item": item.id,
            "by_actor": actor.id,
            "window_start": moment - COALESCE_WINDOW,
            "moment": moment,
            "new_version": item.version,
            "new_title": item.title,
            "new_content": dict(item.content),
        },
    )
    return merged.rowcount == 1


_ITEM = bindparam("of_item")
_MOMENT = bindparam("moment")
_HISTORY = ItemVersion.__table__.c
# Built once: every autosave runs it, and building it cost more than running it. No history
# row is loaded while saving, so no object in the session needs bringing up to date.
_MERGE_INTO_LATEST = (
    update(ItemVersion.__table__)
    .where(
        _HISTORY.item_id == _ITEM,
        _HISTORY.version
        == select(func.max(_HISTORY.version)).where(_HISTORY.item_id == _ITEM).scalar_subquery(),
        _HISTORY.version > 1,
        _HISTORY.restored_from.is_(None),
        _HISTORY.saved_by_id == bindparam("by_actor"),
        _HISTORY.saved_at > bindparam("window_start"),
        _HISTORY.saved_at <= _MOMENT,
    )
    .values(
        version=bindparam("new_version"),
        title=bindparam("new_title"),
        content=bindparam("new_content", type_=_HISTORY.content.type),
        saved_at=_MOMENT,
    )
)


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
    """Return one row of the item's history; 404 when it has no row with that number."""
    row = session.exec(
        select(ItemVersion).where(
            ItemVersion.item_id == item.id, ItemVersion.version == version_number
        )
    ).first()
    if row is None:
        raise DomainError("Deze versie bestaat niet.", status=404)
    return row
