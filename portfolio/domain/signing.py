"""Signing a document (the stagepakket, and the optional placement contract and risk
analysis): a signature is bound to the exact content signed.

The content is hashed canonically: title, text (sorted keys, stripped) and the SHA-256 of
every live attachment. A document with a valid signature is locked: every change (text,
restore, attachment added or removed) is refused until the student reopens it, which voids
every signature. So a signature that is not voided always matches the content; pages that
can afford it still recompute the hash (`attachments` given) rather than trust that.

Who signs depends on the document: all three parties for the stagepakket, the parties the
coordinator set for the others (portfolio.domain.placement_documents).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlmodel import Session, select

from portfolio.domain import audit, signing_notices
from portfolio.domain.errors import DomainError
from portfolio.domain.placement_documents import (
    ALL_ROLES,
    DOCUMENTS,
    STAGEPAKKET,
    Document,
    parties_text,
    require_enabled,
    required_roles,
)
from portfolio.domain.placement_documents import ROLE_NAMES as ROLE_NAMES
from portfolio.domain.verification import snapshot_version
from portfolio.models import Item, Placement, Role, Signature, SignedVersion, Upload, User

SIGNING_ROLES = ALL_ROLES  # the stagepakket's parties


def is_signable(kind: str) -> bool:
    """Return whether items of this kind are signed (whether or not the programme uses it)."""
    return kind in DOCUMENTS


def locked_message(doc: Document) -> str:
    return f"Je {doc.noun} is ondertekend. Wijzigen maakt alle handtekeningen ongeldig."


LOCKED_MESSAGE = locked_message(STAGEPAKKET)


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


def signer_role(user: User, placement: Placement, roles=SIGNING_ROLES) -> str | None:
    """Return the role in which this user signs this placement's document, if any."""
    role = None
    if user.role == Role.STUDENT and placement.student_id == user.id:
        role = Role.STUDENT
    elif user.role == Role.MENTOR and placement.mentor_id == user.id:
        role = Role.MENTOR
    elif user.role == Role.SUPERVISOR and placement.supervisor_id == user.id:
        role = Role.SUPERVISOR
    return role if role in roles else None


def require_signer(
    user: User, placement: Placement, roles=SIGNING_ROLES, doc: Document = STAGEPAKKET
) -> str:
    """Return the user's signing role; refuse (403) anyone who is no party to the document."""
    role = signer_role(user, placement, roles)
    if role is None:
        verb = "ondertekent" if len(roles) == 1 else "ondertekenen"
        raise DomainError(f"Alleen {parties_text(roles)} {verb} {doc.the}.", status=403)
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
    *,
    roles=SIGNING_ROLES,
) -> bool:
    """Whether every party in `roles` (the stagepakket's three unless given) signed."""
    if item is None or not roles:
        return False
    return set(valid_signatures(item, signatures, attachments)) >= set(roles)


def is_locked(signatures: Sequence[Signature]) -> bool:
    """A document is locked while any signature on it counts."""
    return any(signature.voided_at is None for signature in signatures)


def require_unlocked(session: Session, item: Item) -> None:
    """Refuse (423 Locked) a change to a signed document; the student reopens it first.

    A document the programme switched off is refused as well (404): nothing is written to it.
    """
    doc = DOCUMENTS.get(item.kind)
    if doc is None:
        return
    require_enabled(session, item.kind)
    if is_locked(signatures_of(session, item)):
        raise DomainError(locked_message(doc), status=423, title="Ondertekend")


def _require_signable(
    session: Session, item: Item, placement: Placement
) -> tuple[Document, tuple[str, ...]]:
    """Return the document and who signs it; refuse another placement's, a deleted or an
    unused document."""
    doc = DOCUMENTS.get(item.kind)
    if doc is None or item.placement_id != placement.id:
        raise DomainError(
            "Alleen een te ondertekenen document van deze stage kan ondertekend worden."
        )
    if item.deleted_at is not None:
        raise DomainError("Dit onderdeel werd verwijderd.", status=404)
    require_enabled(session, item.kind)
    return doc, required_roles(session, item.kind)


def empty_message(doc: Document) -> str:
    return f"{doc.the.capitalize()} is nog leeg; vul {doc.pronoun} eerst in."


def _require_content(item: Item, attachments: Sequence[Upload], doc: Document) -> None:
    if not attachments and not any(isinstance(v, str) and v.strip() for v in item.content.values()):
        raise DomainError(empty_message(doc))


def _student_only(actor: User, placement: Placement, what: str) -> None:
    if not (actor.role == Role.STUDENT and placement.student_id == actor.id):
        raise DomainError(f"Alleen de student {what}.", status=403)


# ---------------------------------------------------------------- operations


def request_signatures(
    session: Session, item: Item, placement: Placement, *, actor: User, moment: datetime
) -> SignedVersion:
    """Offer the document as it is now for signing ("Ter ondertekening aanbieden")."""
    doc, roles = _require_signable(session, item, placement)
    _student_only(actor, placement, f"biedt {doc.the} ter ondertekening aan")
    attachments = attachments_of(session, item)
    _require_content(item, attachments, doc)
    version = snapshot_version(session, item, attachments, content_hash(item, attachments), moment)
    if version.requested_at is None:
        version.requested_at = moment
        version.requested_by_id = actor.id
        session.add(version)
        audit.record(
            session,
            actor=actor,
            action=f"{doc.audit_prefix}.requested",
            placement_id=placement.id,
            content_hash=version.content_hash,
            code=version.code,
            **_named(doc),
        )
        signing_notices.signatures_requested(session, placement, doc, roles, actor=actor)
    return version


def _named(doc: Document) -> dict:
    """The audit detail that names an optional document (the stagepakket's actions do)."""
    return {"document": doc.noun} if doc.optional else {}


def sign(
    session: Session, item: Item, placement: Placement, *, signer: User, moment: datetime
) -> Signature:
    """Sign the document as it is now; refuses non-parties, empty documents, double signing."""
    doc, roles = _require_signable(session, item, placement)
    role = require_signer(signer, placement, roles, doc)
    attachments = attachments_of(session, item)
    _require_content(item, attachments, doc)
    if role in valid_signatures(item, signatures_of(session, item), attachments):
        raise DomainError(f"Je ondertekende deze versie van {doc.the} al.")
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
        action=f"{doc.audit_prefix}.signed",
        placement_id=placement.id,
        role=role,
        content_hash=digest,
        code=version.code,
        **_named(doc),
    )
    if is_fully_signed(item, signatures_of(session, item), attachments, roles=roles):
        signing_notices.signing_complete(session, placement, doc, roles, actor=signer)
    return signature


def reopen(
    session: Session, item: Item, placement: Placement, *, actor: User, moment: datetime
) -> list[Signature]:
    """Unlock a signed document for changes: void every signature (after the confirmation)."""
    doc, roles = _require_signable(session, item, placement)
    _student_only(actor, placement, f"kan {doc.the} opnieuw openen")
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
            action=f"{doc.audit_prefix}.reopened",
            placement_id=placement.id,
            voided_roles=sorted(s.role for s in voided),
            **_named(doc),
        )
        signing_notices.signatures_voided(session, placement, doc, roles, actor=actor)
    return voided
