"""Signing the stagepakket: a signature is bound to the exact content signed.

The content is hashed canonically (sorted keys, stripped text); any later change gives another
hash, which voids every earlier signature and asks for new ones.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlmodel import Session, select

from portfolio.domain import audit
from portfolio.domain.errors import DomainError
from portfolio.models import Item, ItemKind, Placement, Role, Signature, User

SIGNING_ROLES = (Role.STUDENT, Role.MENTOR, Role.SUPERVISOR)
ROLE_NAMES = {Role.STUDENT: "student", Role.MENTOR: "mentor", Role.SUPERVISOR: "stagebegeleider"}


def content_hash(item: Item) -> str:
    """Return the SHA-256 of the item's title and content in a canonical form."""
    canonical = {
        "title": item.title.strip(),
        "content": {
            k: v.strip() if isinstance(v, str) else v for k, v in sorted(item.content.items())
        },
    }
    return hashlib.sha256(
        json.dumps(canonical, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def signer_role(user: User, placement: Placement) -> str | None:
    """Return the role in which this user signs this placement's package, if any."""
    if user.role == Role.STUDENT and placement.student_id == user.id:
        return Role.STUDENT
    if user.role == Role.MENTOR and placement.mentor_id == user.id:
        return Role.MENTOR
    if user.role == Role.SUPERVISOR and placement.supervisor_id == user.id:
        return Role.SUPERVISOR
    return None


def require_signer(user: User, placement: Placement) -> str:
    """Return the user's signing role; refuse (403) anyone who is no party to the package."""
    role = signer_role(user, placement)
    if role is None:
        raise DomainError(
            "Alleen de student, de mentor en de vaste stagebegeleider ondertekenen het stagepakket.",
            status=403,
        )
    return role


def valid_signatures(item: Item, signatures: list[Signature]) -> dict[str, Signature]:
    """Return, per role, the newest signature that matches the item's current content."""
    current = content_hash(item)
    valid: dict[str, Signature] = {}
    for signature in sorted(signatures, key=lambda s: s.signed_at):
        if signature.content_hash == current:
            valid[signature.role] = signature
    return valid


def is_fully_signed(item: Item | None, signatures: list[Signature]) -> bool:
    if item is None:
        return False
    return set(valid_signatures(item, signatures)) >= set(SIGNING_ROLES)


def signatures_of(session: Session, item: Item) -> list[Signature]:
    return list(session.exec(select(Signature).where(Signature.item_id == item.id)))


def sign(
    session: Session, item: Item, placement: Placement, *, signer: User, moment: datetime
) -> Signature:
    """Sign the package as it is now; refuses non-parties, empty packages and double signing."""
    if item.kind != ItemKind.STAGEPAKKET or item.placement_id != placement.id:
        raise DomainError("Alleen het stagepakket van deze stage kan ondertekend worden.")
    role = require_signer(signer, placement)
    if not any(isinstance(v, str) and v.strip() for v in item.content.values()):
        raise DomainError("Het stagepakket is nog leeg; vul het eerst in.")
    if role in valid_signatures(item, signatures_of(session, item)):
        raise DomainError("Je ondertekende deze versie van het stagepakket al.")
    signature = Signature(
        item_id=item.id,
        signer_id=signer.id,
        role=role,
        content_hash=content_hash(item),
        signed_at=moment,
    )
    session.add(signature)
    audit.record(
        session,
        actor=signer,
        action="stagepakket.signed",
        placement_id=placement.id,
        role=role,
        content_hash=signature.content_hash,
    )
    return signature


def signature_view(
    session: Session, item: Item | None, signatures: list[Signature], *, signer_role: str | None
) -> dict:
    """Return what the signatures partial shows: who signed this content, what was voided.

    signer_role is the reader's own role to sign in (None: the reader signs nothing here).
    """
    valid = valid_signatures(item, signatures) if item is not None else {}
    signer_ids = {s.signer_id for s in signatures}
    signers = session.exec(select(User).where(User.id.in_(signer_ids))).all() if signer_ids else []
    return {
        "valid_signatures": valid,
        "voided_roles": {s.role for s in signatures} - set(valid),
        "signer_names": {user.id: user.name for user in signers},
        "signing_roles": SIGNING_ROLES,
        "role_names": ROLE_NAMES,
        "my_signing_role": signer_role,
        "fully_signed": is_fully_signed(item, signatures),
    }
