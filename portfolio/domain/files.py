"""Files attached to portfolio items: store, caption, soft-delete and list them.

The storage backend is created once per app (`get_storage`). A stored object only
outlives the request if the database row that points at it is committed too: a failed
flush deletes it at once, and a rolled-back transaction deletes it afterwards.
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from typing import BinaryIO

from botocore.exceptions import BotoCoreError, ClientError
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session, select
from werkzeug.datastructures import FileStorage

from portfolio.bound_lists import in_list
from portfolio.clock import now
from portfolio.domain import audit, signing
from portfolio.domain.errors import DomainError
from portfolio.models import Item, ItemKind, Upload, User
from portfolio.storage import EXPORTS_PREFIX, Storage, new_key, storage_from_config
from portfolio.uploads import CATEGORIES, UploadRefused, inspect_upload

log = logging.getLogger(__name__)

MAX_CAPTION = 2000
MAX_NAME = 255
# Shown in the browser rather than downloaded. Not PDF: a PDF can carry JavaScript that the
# browser's PDF viewer runs, so it is always downloaded and opened outside our origin.
INLINE_CATEGORIES = frozenset({"image", "audio", "video"})
RECORDING_CATEGORIES = frozenset({"audio", "video"})
CATEGORY_ORDER = ("image", "pdf", "audio", "video")
# Which files each kind of item takes (checked on upload, and the widget's `accept`);
# kinds not listed take none.
UPLOAD_CATEGORIES: dict[str, tuple[str, ...]] = {
    ItemKind.VERKENNING: ("image",),
    ItemKind.REFLECTIE: ("image", "audio", "video"),
    # Slides as images too (a photo or an export of each slide), not only as one PDF.
    ItemKind.PRESENTATIE: ("image", "pdf", "audio", "video"),
    ItemKind.STAGEPAKKET: ("pdf", "image"),
    ItemKind.STAGEOVEREENKOMST: ("pdf",),
    ItemKind.RISICOANALYSE: ("pdf",),
}

_PENDING = "portfolio.files.pending"


def get_storage() -> Storage:
    """Return the app's storage backend, built once from the config on first use."""
    storage = current_app.extensions.get("storage")
    if storage is None:
        storage = storage_from_config(current_app.config)
        current_app.extensions["storage"] = storage
    return storage


def upload_accept(kind: str) -> str | None:
    """Return the upload widget's `accept` for this kind ("image,pdf"); None: no uploads."""
    return ",".join(UPLOAD_CATEGORIES.get(kind, ())) or None


def allowed_categories(item: Item) -> tuple[str, ...]:
    """Return the categories of file this item takes; refuse (422) a kind that takes none."""
    categories = UPLOAD_CATEGORIES.get(item.kind, ())
    if not categories:
        raise DomainError("Bij dit onderdeel van je portfolio kan je geen bestanden opladen.")
    return categories


def parse_accept(value: str | None) -> tuple[str, ...]:
    """Turn "image,pdf" into known categories in a fixed order; anything else means all."""
    asked = {part.strip() for part in (value or "").split(",")} & CATEGORIES
    return tuple(c for c in CATEGORY_ORDER if c in asked) or CATEGORY_ORDER


def display_name(raw: str | None) -> str:
    """Make the client's file name safe to show: no folders, control or bidi characters."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    # Tabs and newlines become spaces; other invisible characters (bidi overrides) go.
    name = "".join(ch if ch.isprintable() else " " * ch.isspace() for ch in name)
    name = " ".join(name.split())
    if len(name) > MAX_NAME:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: MAX_NAME - len(extension) - 1] + "." + extension
        else:
            name = name[:MAX_NAME]
    return name or "bestand"


def clean_caption(caption: str | None) -> str:
    """Return the caption trimmed; refuse one that is too long."""
    text = (caption or "").strip()
    if len(text) > MAX_CAPTION:
        raise DomainError(
            f"Het bijschrift is te lang: maximaal {MAX_CAPTION} tekens.", title="Niet bewaard"
        )
    return text


def store_upload(
    session: Session,
    *,
    item: Item,
    file: FileStorage | None,
    caption: str,
    actor: User,
    storage: Storage,
    max_image_bytes: int,
    max_media_bytes: int,
    allowed: Iterable[str] | None = None,
    client_key: str | None = None,
) -> Upload:
    """Check the file by its bytes, store it and add its row; nothing half-stored on failure.

    client_key: the browser's name for this upload; a retry with a key already stored on
    this item returns that upload and stores nothing.
    """
    if client_key:
        earlier = session.exec(
            select(Upload).where(Upload.item_id == item.id, Upload.client_key == client_key)
        ).first()
        if earlier is not None:
            return earlier
    caption = clean_caption(caption)
    if file is None or not file.filename:
        raise UploadRefused("Kies eerst een bestand om op te laden.", reason="missing")
    info = inspect_upload(
        file.stream,
        max_image_bytes=max_image_bytes,
        max_media_bytes=max_media_bytes,
        allowed=set(allowed) if allowed is not None else None,
    )
    signing.require_unlocked(session, item)
    digest = _sha256(file.stream)
    key = new_key(item.placement_id, "." + info.extension)
    try:
        storage.save(key, file.stream, content_type=info.mime, size=info.size)
    except (OSError, BotoCoreError, ClientError) as exc:
        log.exception("Storing upload %s failed", key)
        raise UploadRefused(
            "Het bestand kon nu niet bewaard worden. Probeer het over enkele minuten opnieuw.",
            reason="storage",
            status=503,
        ) from exc

    upload = Upload(
        placement_id=item.placement_id,
        item_id=item.id,
        storage_key=key,
        original_name=display_name(file.filename),
        mime=info.mime,
        category=info.category,
        size=info.size,
        sha256=digest,
        caption=caption,
        uploaded_by_id=actor.id,
        uploaded_at=now(),
        client_key=client_key,
    )
    session.add(upload)
    try:
        session.flush()
    except Exception:
        _discard(storage, key)
        raise
    _delete_unless_committed(session, storage, key)
    audit.record(
        session,
        actor=actor,
        action="upload.add",
        placement_id=item.placement_id,
        upload_id=upload.id,
        item_id=item.id,
        name=upload.original_name,
        size=upload.size,
    )
    return upload


def _sha256(stream: BinaryIO) -> str:
    """Hash the whole stream (whichever backend stores it) and rewind it for storing."""
    stream.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def set_caption(session: Session, upload: Upload, caption: str, *, actor: User) -> Upload:
    """Change an upload's caption; the previous one stays in the audit log."""
    new = clean_caption(caption)
    if new != upload.caption:
        audit.record(
            session,
            actor=actor,
            action="upload.caption",
            placement_id=upload.placement_id,
            upload_id=upload.id,
            previous=upload.caption,
        )
        upload.caption = new
        session.add(upload)
    return upload


def delete_upload(session: Session, upload: Upload, *, actor: User) -> Upload:
    """Soft-delete an upload: it disappears from the portfolio, the file is kept."""
    if upload.item_id is not None:
        signing.require_unlocked(session, session.get(Item, upload.item_id))
    upload.deleted_at = now()
    session.add(upload)
    audit.record(
        session,
        actor=actor,
        action="upload.delete",
        placement_id=upload.placement_id,
        upload_id=upload.id,
        name=upload.original_name,
    )
    return upload


# Built once: every page with an upload widget runs it.
_LIVE_UPLOADS = (
    select(Upload)
    .where(in_list(Upload.item_id, "ids"), Upload.deleted_at.is_(None))
    .order_by(Upload.uploaded_at, Upload.id)
)


def uploads_by_item(session: Session, item_ids: Iterable[int]) -> dict[int, list[Upload]]:
    """Return the live uploads of each item, oldest first, in one query (every id is a key)."""
    ids = list(dict.fromkeys(item_ids))
    result: dict[int, list[Upload]] = {item_id: [] for item_id in ids}
    if not ids:
        return result
    for upload in session.exec(_LIVE_UPLOADS, params={"ids": ids}):
        result[upload.item_id].append(upload)
    return result


def items_with_recordings(session: Session, item_ids: Iterable[int]) -> set[int]:
    """Return which of these items hold a live audio or video upload (one query)."""
    ids = list(item_ids)
    if not ids:
        return set()
    rows = session.exec(
        select(Upload.item_id)
        .where(
            Upload.item_id.in_(ids),
            Upload.deleted_at.is_(None),
            Upload.category.in_(RECORDING_CATEGORIES),
        )
        .distinct()
    )
    return set(rows.all())


def orphaned_keys(session: Session, storage: Storage, *, changed_before: datetime) -> list[str]:
    """Return stored keys that no upload row names (a crash between save and commit)."""
    # Recent files may belong to an upload whose request has not committed yet.
    known = set(session.exec(select(Upload.storage_key)).all())
    return sorted(
        key
        for key, changed_at in storage.iter_keys()
        if key not in known and changed_at < changed_before and not key.startswith(EXPORTS_PREFIX)
    )


# ---------------------------------------------------------------- keep storage and rows in step


def _discard(storage: Storage, key: str) -> None:
    """Delete a stored object whose row will not exist; log rather than mask the first error."""
    try:
        storage.delete(key)
    except Exception:
        log.exception("Could not delete orphaned upload %s", key)


def _delete_unless_committed(session: Session, storage: Storage, key: str) -> None:
    """Delete the stored object when the session's transaction ends without a commit."""
    pending = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = []
        event.listen(session, "after_commit", _forget_pending)
        event.listen(session, "after_transaction_end", _discard_pending)
    pending.append((storage, key))


def _forget_pending(session: Session) -> None:
    session.info[_PENDING].clear()


def _discard_pending(session: Session, transaction: SessionTransaction) -> None:
    # Only the outermost transaction decides; a savepoint ending says nothing yet.
    if transaction.parent is not None:
        return
    pending = session.info[_PENDING]
    while pending:
        storage, key = pending.pop()
        _discard(storage, key)
