"""Helpers shared by the signing tests: a stagepakket written by the student."""

from __future__ import annotations

from datetime import UTC, datetime

from portfolio.domain import items as ops
from portfolio.models import Item, ItemKind, User

MOMENT = datetime(2025, 10, 8, 9, 0, tzinfo=UTC)


def write_package(db, world, text: str = "Een wandeling ontwerpen") -> Item:
    """Create the student's stagepakket (if needed) and save `text` as its tasks."""
    student = db.get(User, world.student.id)
    item = ops.get_or_create_item(
        db, world.placement, ItemKind.STAGEPAKKET, actor=student, moment=MOMENT
    )
    ops.save_item(
        db, item, content={"taken": text}, base_version=item.version, actor=student, moment=MOMENT
    )
    db.commit()
    return item
