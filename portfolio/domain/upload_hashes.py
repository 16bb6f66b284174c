"""Uploads stored before their SHA-256 was taken: compute it from the stored bytes.

Until then signing names such an upload by its id and size (signing.attachment_digest). An
upload on an item with a live signature or signed version keeps that stand-in: the signature
covers it, and a real hash would make the signed document look changed. Once the signatures
are voided (the stagepakket was reopened) a later run hashes it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, select

from portfolio.models import Signature, SignedVersion, Upload
from portfolio.storage import Storage


@dataclass
class HashBackfill:
    hashed: int = 0
    missing: int = 0  # no file under the row's key (anymore)
    signed: int = 0  # kept the stand-in: a live signature covers it
    last_id: int | None = None  # the batch's last upload id; None: nothing left


class _Digest:
    """A write-only target for Storage.copy_to that hashes what it is given."""

    def __init__(self) -> None:
        self.sha256 = hashlib.sha256()

    def write(self, chunk: bytes) -> int:
        self.sha256.update(chunk)
        return len(chunk)


def stored_sha256(storage: Storage, key: str) -> str:
    """Return the SHA-256 of a stored file, read in chunks; FileNotFoundError if missing."""
    digest = _Digest()
    storage.copy_to(key, digest)
    return digest.sha256.hexdigest()


def _signed_item_ids(session: Session, item_ids: Iterable[int]) -> set[int]:
    ids = set(item_ids)
    if not ids:
        return set()
    signed = session.exec(
        select(Signature.item_id).where(Signature.item_id.in_(ids), Signature.voided_at.is_(None))
    ).all()
    versioned = session.exec(
        select(SignedVersion.item_id).where(
            SignedVersion.item_id.in_(ids), SignedVersion.voided_at.is_(None)
        )
    ).all()
    return set(signed) | set(versioned)


def backfill_batch(
    session: Session, storage: Storage, *, after_id: int = 0, size: int = 100
) -> HashBackfill:
    """Hash the next `size` uploads without a SHA-256 whose id is above `after_id`.

    The caller commits after each batch and passes the result's last_id on.
    """
    uploads = session.exec(
        select(Upload)
        .where(Upload.sha256.is_(None), Upload.id > after_id)
        .order_by(Upload.id)
        .limit(size)
    ).all()
    result = HashBackfill(last_id=uploads[-1].id if uploads else None)
    signed = _signed_item_ids(
        session, {u.item_id for u in uploads if u.item_id is not None and u.deleted_at is None}
    )
    for upload in uploads:
        if upload.deleted_at is None and upload.item_id in signed:
            result.signed += 1
            continue
        try:
            upload.sha256 = stored_sha256(storage, upload.storage_key)
        except FileNotFoundError:
            result.missing += 1
            continue
        session.add(upload)
        result.hashed += 1
    session.flush()
    return result
