"""When an item counts as complete: a design when it is ready (steps.design_is_ready), any other
item when all its fields are filled. `completed_at` records the moment it first became so."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from portfolio.domain.steps import design_is_ready, filled_count, is_own_offer
from portfolio.models import Item, ItemKind


def designs_of(session: Session, offer: Item) -> list[Item]:
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


def update_completion(session: Session, item: Item, moment: datetime) -> None:
    """Set completed_at when the item first becomes complete; clear it when it no longer is."""
    if is_complete(session, item):
        if item.completed_at is None:
            item.completed_at = moment
    else:
        item.completed_at = None
    session.add(item)
