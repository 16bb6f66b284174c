"""Signed versions and their verification codes: check a printed or PDF copy.

Every version offered for or given signatures is kept as a snapshot (title, text, the
attachments' names and hashes) with a short code printed on the document. Anyone with the
code sees only what the copy itself shows: the kind of document, the student's initials,
the signatures' roles and times, and whether the document still says the same.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from portfolio.domain.placement_documents import DOCUMENTS
from portfolio.models import Item, Placement, Signature, SignedVersion, Upload, User

# No 0/O, 1/I/L: a code is read off paper and typed in.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
CODE_GROUP = 4
DOCUMENT_NAMES = {kind: doc.name for kind, doc in DOCUMENTS.items()}


def new_code() -> str:
    """Return a fresh random code, grouped for reading: ABCD-EFGH-JKMN (~59 bits)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + CODE_GROUP] for i in range(0, CODE_LENGTH, CODE_GROUP))


def normalise_code(typed: str | None) -> str | None:
    """Turn what someone typed into a stored code's shape; None if it cannot be one."""
    raw = re.sub(r"[\s-]", "", (typed or "").upper())
    if len(raw) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in raw):
        return None
    return "-".join(raw[i : i + CODE_GROUP] for i in range(0, CODE_LENGTH, CODE_GROUP))


def snapshot_version(
    session: Session, item: Item, attachments: Sequence[Upload], digest: str, moment: datetime
) -> SignedVersion:
    """Return the live signed version of this exact content, creating its snapshot once."""
    found = session.exec(
        select(SignedVersion).where(
            SignedVersion.item_id == item.id,
            SignedVersion.content_hash == digest,
            SignedVersion.voided_at.is_(None),
        )
    ).first()
    if found is not None:
        return found
    version = SignedVersion(
        item_id=item.id,
        content_hash=digest,
        code=new_code(),
        item_version=item.version,
        title=item.title,
        content=dict(item.content),
        attachments=[
            {"id": u.id, "name": u.original_name, "size": u.size, "sha256": u.sha256}
            for u in attachments
        ],
        created_at=moment,
    )
    session.add(version)
    session.flush()
    return version


def versions_of(session: Session, item: Item) -> list[SignedVersion]:
    """Return the item's signed versions, newest first."""
    return list(
        session.exec(
            select(SignedVersion)
            .where(SignedVersion.item_id == item.id)
            .order_by(SignedVersion.created_at.desc(), SignedVersion.id.desc())
        )
    )


def find_by_code(session: Session, typed: str | None) -> SignedVersion | None:
    code = normalise_code(typed)
    if code is None:
        return None
    return session.exec(select(SignedVersion).where(SignedVersion.code == code)).first()


def initials(name: str) -> str:
    """Return "S. E." for "Student Een": enough to match a copy, not to identify a stranger."""
    return " ".join(f"{part[0].upper()}." for part in name.split() if part)


@dataclass(frozen=True)
class SignatureLine:
    role: str
    signed_at: datetime
    voided_at: datetime | None


@dataclass(frozen=True)
class PublicCheck:
    """What the public verification page may show about a code's document."""

    document: str
    student_initials: str
    signatures: list[SignatureLine]
    matches: bool


def public_check(session: Session, version: SignedVersion, current_hash: str) -> PublicCheck:
    """Describe a signed version for someone holding its code (no content, no names)."""
    item = session.get(Item, version.item_id)
    placement = session.get(Placement, item.placement_id)
    student = session.get(User, placement.student_id)
    signatures = session.exec(
        select(Signature)
        .where(Signature.signed_version_id == version.id)
        .order_by(Signature.signed_at)
    ).all()
    return PublicCheck(
        document=DOCUMENT_NAMES.get(item.kind, item.kind),
        student_initials=initials(student.name),
        signatures=[SignatureLine(s.role, s.signed_at, s.voided_at) for s in signatures],
        matches=(
            version.voided_at is None
            and item.deleted_at is None
            and current_hash == version.content_hash
        ),
    )
