"""R-days worked without a fully signed stagepakket stay flagged (issue 13).

The handbook wants the stagepakket signed by student, mentor and supervisor before the student
carries responsibility on R-days. An R-day that began before the package was fully signed stays
flagged afterwards too, past days included, so the supervisor sees it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from portfolio.bound_lists import in_list
from portfolio.clock import start_of_day
from portfolio.domain.signing import SIGNING_ROLES
from portfolio.models import DayKind, Item, ItemKind, Signature

UNSIGNED_R_DAY = "R-dag zonder stagepakket dat door alle drie ondertekend was"


def fully_signed_at(item: Item | None, signatures: Iterable[Signature]) -> datetime | None:
    """Return when the package's current content got its last needed signature, or None."""
    if item is None:
        return None
    first_by_role: dict[str, datetime] = {}
    for signature in signatures:
        # A signed package is locked: a signature not voided covers the current content (text
        # and attachments), so no hash needs recomputing here.
        if signature.voided_at is None:
            known = first_by_role.get(signature.role)
            if known is None or signature.signed_at < known:
                first_by_role[signature.role] = signature.signed_at
    if not set(first_by_role) >= set(SIGNING_ROLES):
        return None
    return max(first_by_role[role] for role in SIGNING_ROLES)


def is_unsigned_r_day(day: date, kind: str, signed_at: datetime | None) -> bool:
    """Return whether this R-day began before the stagepakket was fully signed."""
    return kind == DayKind.R and (signed_at is None or signed_at > start_of_day(day))


# Per live stagepakket and role, its first valid signature (built once: the overviews ask on
# every page).
_FIRST_SIGNATURES = (
    select(Item.placement_id, Item.id, Signature.role, func.min(Signature.signed_at))
    .join(Signature, Signature.item_id == Item.id)
    .where(
        in_list(Item.placement_id, "ids"),
        Item.kind == ItemKind.STAGEPAKKET,
        Item.deleted_at.is_(None),
        Signature.voided_at.is_(None),
    )
    .group_by(Item.placement_id, Item.id, Signature.role)
)


def packages_signed_at(session: Session, placement_ids: list[int]) -> dict[int, datetime | None]:
    """Return, per placement id, when its stagepakket was fully signed (1 query).

    For a page of placements: the ids are bound, so callers pass a bounded list. Only the
    signatures' roles and moments are read, not the packages' content (fully_signed_at's rule:
    per live package the first valid signature of each role, the last of those when all three
    roles signed; per placement the earliest such package).
    """
    result: dict[int, datetime | None] = dict.fromkeys(placement_ids)
    if not placement_ids:
        return result
    first_by_role: dict[tuple[int, int], dict[str, datetime]] = defaultdict(dict)
    for placement_id, item_id, role, signed_at in session.exec(
        _FIRST_SIGNATURES, params={"ids": placement_ids}
    ):
        first_by_role[(placement_id, item_id)][role] = signed_at
    for (placement_id, _), by_role in first_by_role.items():
        if not set(by_role) >= set(SIGNING_ROLES):
            continue
        signed_at = max(by_role[role] for role in SIGNING_ROLES)
        known = result[placement_id]
        if known is None or signed_at < known:
            result[placement_id] = signed_at
    return result
