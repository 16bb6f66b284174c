"""Settling an edit conflict: whichever text the student keeps, the other stays in the history.

A conflict arises when a save names an older version than the saved one (two tabs, two
devices). The student sees both texts and chooses. The 5-minute merge of
`portfolio.domain.versions` must never swallow the side that lost, so every save that settles a
conflict writes its own history row.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from portfolio.domain import items as ops
from portfolio.domain.errors import DomainError
from portfolio.models import Item, User

KEEP_MINE = "mijn-tekst"
KEEP_SAVED = "bewaarde-versie"


def resolve_conflict(
    session: Session,
    item: Item,
    *,
    choice: str,
    content: dict,
    title: str | None,
    base_version: int,
    actor: User,
    moment: datetime,
) -> Item:
    """Settle a conflict over `item`, shown to the student at `base_version` (the saved one).

    KEEP_MINE: the student's text (`content`, `title`) becomes the new version on a row of its
    own, so the saved text it replaces keeps its row. KEEP_SAVED: the student's text is still
    written as a row of its own, then the saved version is put back on top (a restore), so the
    item shows the saved text and the losing text is found in the history. Raises StaleVersion
    when the item was saved again meanwhile (a new conflict).
    """
    if choice not in (KEEP_MINE, KEEP_SAVED):
        raise DomainError("Kies welke tekst je houdt: je eigen tekst of de bewaarde versie.")
    saved_version = item.version
    ops.save_item(
        session,
        item,
        content=content,
        title=title,
        base_version=base_version,
        actor=actor,
        moment=moment,
        separate_row=True,
    )
    if choice == KEEP_SAVED and item.version != saved_version:
        ops.restore_version(session, item, saved_version, actor=actor, moment=moment)
    return item
