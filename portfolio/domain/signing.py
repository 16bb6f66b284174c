"""Signing a document (the stagepakket): a signature is bound to the exact content signed.

The content is hashed canonically: title, text (sorted keys, stripped) and the SHA-256 of
every live attachment. A document with a valid signature is locked: every change (text,
restore, attachment added or removed) is refused until the student reopens it, which voids
every signature. So a signature that is not voided always matches the content; pages that
can afford it still recompute the hash (`attachments` given) rather than trust that.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlmodel import Session, select

from portfolio.domain import audit, signing_notices
from portfolio.domain.errors import DomainError
from portfolio.domain.verification import snapshot_version
from portfolio.models import Item, ItemKind, Placement, Role, Signature, SignedVersion, Upload, User

SIGNING_ROLES = (Role.STUDENT, Role.MENTOR, Role.SUPERVISOR)
ROLE_NAMES = {Role.STUDENT: "student", Role.MENTOR: "mentor", Role.SUPERVISOR: "stagebegeleider"}
# The documents that are signed, and who signs them.
SIGNABLE_KINDS = {ItemKind.STAGEPAKKET: SIGNING_ROLES}
LOCKED_MESSAGE = "Je stagepakket is ondertekend. Wijzigen maakt alle handtekeningen ongeldig."


# ---------------------------------------------------------------- what is signed


def attachment_digest(upload: Upload) -> str:
    """Return the upload's content hash (uploads stored before hashing: its id and size)."""
    return upload.sha256 or f"upload-{upload.id}-{upload.size}"


def content_hash(item: Item, attachments: Iterable[Upload] = ()) -> str:
    """Return the SHA-256 of the item's title, text and attachments in a canonical form."""
    canonical: dict = {
        "title": item.title.strip(),
        "content": {
            k: v.strip() if isinstance(v, str) else v for k, v in sorted(item.content.items())
        },
    }
    digests = sorted(attachment_digest(upload) for upload in attachments)
    if digests:
        # Only present when there are attachments: hashes signed before they counted still hold.
        canonical["attachments"] = digests
    return hashlib.sha256(
        json.dumps(canonical, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def attachments_of(session: Session, item: Item) -> list[Upload]:
    """Return the item's live attachments, oldest first."""
    return list(
        session.exec(
            select(Upload)
            .where(Upload.item_id == item.id, Upload.deleted_at.is_(None))
            .order_by(Upload.id)
        )
    )


def current_hash(session: Session, item: Item) -> str:
    return content_hash(item, attachments_of(session, item))


# ---------------------------------------------------------------- who signs


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


def parties(session: Session, placement: Placement) -> list[User]:
    """Return the people who sign this placement's documents (those assigned so far)."""
    ids = [placement.student_id, placement.mentor_id, placement.supervisor_id]
    return [user for user in (session.get(User, i) for i in ids if i) if user is not None]


# ---------------------------------------------------------------- state


def signatures_of(session: Session, item: Item) -> list[Signature]:
    return list(session.exec(select(Signature).where(Signature.item_id == item.id)))


def valid_signatures(
    item: Item, signatures: Sequence[Signature], attachments: Iterable[Upload] | None = None
) -> dict[str, Signature]:
    """Return, per role, the newest signature that still counts.

    With `attachments` (the item's live uploads) the hash is recomputed too; without, the
    lock guarantees that a signature not voided matches the content.
    """
    current = content_hash(item, attachments) if attachments is not None else None
    valid: dict[str, Signature] = {}
    for signature in sorted(signatures, key=lambda s: (s.signed_at, s.id or 0)):
        if signature.voided_at is None and current in (None, signature.content_hash):
            valid[signature.role] = signature
    return valid


def is_fully_signed(
    item: Item | None,
    signatures: Sequence[Signature],
    attachments: Iterable[Upload] | None = None,
) -> bool:
    if item is None:
        return False
    roles = SIGNABLE_KINDS.get(item.kind, SIGNING_ROLES)
    return set(valid_signatures(item, signatures, attachments)) >= set(roles)


def is_locked(signatures: Sequence[Signature]) -> bool:
    """A document is locked while any signature on it counts."""
    return any(signature.voided_at is None for signature in signatures)


def require_unlocked(session: Session, item: Item) -> None:
    """Refuse (423 Locked) a change to a signed document; the student reopens it first."""
    if item.kind in SIGNABLE_KINDS and is_locked(signatures_of(session, item)):
        raise DomainError(LOCKED_MESSAGE, status=423, title="Ondertekend")


def _require_signable(item: Item, placement: Placement) -> None:
    if item.kind not in SIGNABLE_KINDS or item.placement_id != placement.id:
        raise DomainError("Alleen het stagepakket van deze stage kan ondertekend worden.")
    if item.deleted_at is not None:
        raise DomainError("Dit onderdeel werd verwijderd.", status=404)


def _require_content(item: Item, attachments: Sequence[Upload]) -> None:
    if not attachments and not any(isinstance(v, str) and v.strip() for v in item.content.values()):
        raise DomainError("Het stagepakket is nog leeg; vul het eerst in.")


# ---------------------------------------------------------------- operations


def request_signatures(
    session: Session, item: Item, placement: Placement, *, actor: User, moment: datetime
) -> SignedVersion:
    """Offer the document as it is now for signing ("Ter ondertekening aanbieden")."""
    _require_signable(item, placement)
    if not (actor.role == Role.STUDENT and placement.student_id == actor.id):
        raise DomainError(
            "Alleen de student biedt het stagepakket ter ondertekening aan.", status=403
        )
    attachments = attachments_of(session, item)
    _require_content(item, attachments)
    version = snapshot_version(session, item, attachments, content_hash(item, attachments), moment)
    if version.requested_at is None:
        version.requested_at = moment
        version.requested_by_id = actor.id
        session.add(version)
        audit.record(
            session,
            actor=actor,
            action="stagepakket.requested",
            placement_id=placement.id,
            content_hash=version.content_hash,
            code=version.code,
        )
        signing_notices.signatures_requested(session, placement, actor=actor)
    return version


def sign(
    session: Session, item: Item, placement: Placement, *, signer: User, moment: datetime
) -> Signature:
    """Sign the document as it is now; refuses non-parties, empty documents, double signing."""
    _require_signable(item, placement)
    role = require_signer(signer, placement)
    attachments = attachments_of(session, item)
    _require_content(item, attachments)
    if role in valid_signatures(item, signatures_of(session, item), attachments):
        raise DomainError("Je ondertekende deze versie van het stagepakket al.")
    digest = content_hash(item, attachments)
    version = snapshot_version(session, item, attachments, digest, moment)
    signature = Signature(
        item_id=item.id,
        signer_id=signer.id,
        role=role,
        content_hash=digest,
        signed_at=moment,
        signed_version_id=version.id,
    )
    session.add(signature)
    session.flush()
    audit.record(
        session,
        actor=signer,
        action="stagepakket.signed",
        placement_id=placement.id,
        role=role,
        content_hash=digest,
        code=version.code,
    )
    if is_fully_signed(item, signatures_of(session, item), attachments):
        signing_notices.signing_complete(session, placement, actor=signer)
    return signature


def signature_view(
    session: Session, item: Item | None, signatures: list[Signature], *, signer_role: str | None
) -> dict:
    """Return what the signatures partial shows: who signed this content, what was voided.

    signer_role is the reader's own role to sign in (None: the reader signs nothing here).
    """
    attachments = attachments_of(session, item) if item is not None else []
    valid = valid_signatures(item, signatures, attachments) if item is not None else {}
    signer_ids = {s.signer_id for s in signatures}
    signers = session.exec(select(User).where(User.id.in_(signer_ids))).all() if signer_ids else []
    return {
        "valid_signatures": valid,
        "voided_roles": {s.role for s in signatures} - set(valid),
        "signer_names": {user.id: user.name for user in signers},
        "signing_roles": SIGNING_ROLES,
        "role_names": ROLE_NAMES,
        "my_signing_role": signer_role,
        "fully_signed": is_fully_signed(item, signatures, attachments),
    }


def reopen(
    session: Session, item: Item, placement: Placement, *, actor: User, moment: datetime
) -> list[Signature]:
    """Unlock a signed document for changes: void every signature (after the confirmation)."""
    _require_signable(item, placement)
    if not (actor.role == Role.STUDENT and placement.student_id == actor.id):
        raise DomainError("Alleen de student kan het stagepakket opnieuw openen.", status=403)
    voided = [s for s in signatures_of(session, item) if s.voided_at is None]
    for signature in voided:
        signature.voided_at = moment
        signature.voided_by_id = actor.id
        session.add(signature)
    for version in session.exec(
        select(SignedVersion).where(
            SignedVersion.item_id == item.id, SignedVersion.voided_at.is_(None)
        )
    ):
        version.voided_at = moment
        version.voided_by_id = actor.id
        session.add(version)
    if voided:
        audit.record(
            session,
            actor=actor,
            action="stagepakket.reopened",
            placement_id=placement.id,
            voided_roles=sorted(s.role for s in voided),
        )
        signing_notices.signatures_voided(session, placement, actor=actor)
    return voided
