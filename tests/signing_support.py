"""Helpers shared by the signing tests: a stagepakket written by the student, a file change
that slips past the lock."""

from __future__ import annotations

from datetime import UTC, datetime

from portfolio.domain import items as ops
from portfolio.models import Item, ItemKind, Upload, User

MOMENT = datetime(2025, 10, 8, 9, 0, tzinfo=UTC)


def write_document(db, world, kind: str, content: dict) -> Item:
    """Create the student's signed document of `kind` (if needed) and save `content` in it."""
    student = db.get(User, world.student.id)
    item = ops.get_or_create_item(db, world.placement, kind, actor=student, moment=MOMENT)
    ops.save_item(
        db, item, content=content, base_version=item.version, actor=student, moment=MOMENT
    )
    db.commit()
    return item


def write_package(db, world, text: str = "Een wandeling ontwerpen") -> Item:
    """Create the student's stagepakket (if needed) and save `text` as its tasks."""
    return write_document(db, world, ItemKind.STAGEPAKKET, {"taken": text})


def slip_file_change(db, item: Item, change: str, kept: Upload | None, uploader_id: int) -> None:
    """Add a file to `item`, or delete `kept`, behind the lock's back (a repair, a script)."""
    if change == "added":
        db.add(
            Upload(
                placement_id=item.placement_id,
                item_id=item.id,
                storage_key="x/extra.pdf",
                original_name="extra.pdf",
                mime="application/pdf",
                category="pdf",
                size=3,
                sha256="ab" * 32,
                uploaded_by_id=uploader_id,
            )
        )
    else:
        kept.deleted_at = MOMENT
        db.add(kept)
    db.commit()
