"""R-days worked without a fully signed stagepakket stay flagged (issue 13).

The handbook wants the stagepakket signed by student, mentor and supervisor before the student
carries responsibility on R-days. An R-day that began before the package was fully signed stays
flagged afterwards too, past days included, so the supervisor sees it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from sqlmodel import Session, select

from portfolio.clock import start_of_day
from portfolio.domain.signing import SIGNING_ROLES, content_hash
from portfolio.models import DayKind, Item, ItemKind, Signature

UNSIGNED_R_DAY = "R-dag zonder stagepakket dat door alle drie ondertekend was"


def fully_signed_at(item: Item | None, signatures: Iterable[Signature]) -> datetime | None:
    """Return when the package's current content got its last needed signature, or None."""
    if item is None:
        return None
    current = content_hash(item)
    first_by_role: dict[str, datetime] = {}
    for signature in signatures:
        if signature.content_hash == current:
            known = first_by_role.get(signature.role)
            if known is None or signature.signed_at < known:
                first_by_role[signature.role] = signature.signed_at
    if not set(first_by_role) >= set(SIGNING_ROLES):
        return None
    return max(first_by_role[role] for role in SIGNING_ROLES)


def is_unsigned_r_day(day: date, kind: str, signed_at: datetime | None) -> bool:
    """Return whether this R-day began before the stagepakket was fully signed."""
    return kind == DayKind.R and (signed_at is None or signed_at > start_of_day(day))


def packages_signed_at(session: Session, placement_ids: list[int]) -> dict[int, datetime | None]:
    """Return, per placement id, when its stagepakket was fully signed (2 queries).

    For a page of placements: the ids are bound, so callers pass a bounded list.
    """
    result: dict[int, datetime | None] = dict.fromkeys(placement_ids)
    if not placement_ids:
        return result
    packages = session.exec(
        select(Item).where(
            Item.placement_id.in_(placement_ids),
            Item.kind == ItemKind.STAGEPAKKET,
            Item.deleted_at.is_(None),
        )
    ).all()
    signatures = defaultdict(list)
    for signature in session.exec(
        select(Signature)
        .join(Item, Item.id == Signature.item_id)
        .where(Item.placement_id.in_(placement_ids), Item.kind == ItemKind.STAGEPAKKET)
    ):
        signatures[signature.item_id].append(signature)
    for package in packages:
        signed_at = fully_signed_at(package, signatures[package.id])
        known = result[package.placement_id]
        if signed_at is not None and (known is None or signed_at < known):
            result[package.placement_id] = signed_at
    return result
