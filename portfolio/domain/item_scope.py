"""Where a portfolio item hangs (placement, stage day, offer or attitude) and finding it.

Part of `portfolio.domain.items`, which re-exports Scope and find_item for its callers.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from portfolio.domain.errors import DomainError
from portfolio.domain.steps import KindSpec
from portfolio.models import Attitude, Item, ItemKind, Placement, StageDay


@dataclass(frozen=True)
class Scope:
    """Where an item hangs: the placement, a stage day, an offer (parent) or an attitude."""

    stage_day_id: int | None = None
    parent_id: int | None = None
    attitude_id: int | None = None


def check_scope(session: Session, placement: Placement, spec: KindSpec, scope: Scope) -> None:
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
    in_scope = [
        column == value if value is not None else column.is_(None)
        for column, value in (
            (Item.stage_day_id, scope.stage_day_id),
            (Item.parent_id, scope.parent_id),
            (Item.attitude_id, scope.attitude_id),
        )
    ]
    return session.exec(
        select(Item)
        .where(
            Item.placement_id == placement.id,
            Item.kind == kind,
            Item.deleted_at.is_(None),
            *in_scope,
        )
        .order_by(Item.id)
    ).first()
