"""Exports of portfolios: one placement or many, as a ZIP of HTML pages, files and a PDF."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from portfolio.exports.archive import safe_name, write_portfolio
from portfolio.exports.collect import collect
from portfolio.models import Placement, User
from portfolio.storage import Storage


def export_placements(
    session: Session,
    placements: Sequence[Placement],
    reader: User,
    *,
    storage: Storage,
    path: Path,
    made_at: datetime,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> None:
    """Write the placements, as this reader may see them, into a ZIP at path.

    One placement fills the archive's root; several get a folder per student. Who may read
    each placement at all is the caller's check (access.can_view), as for the pages.
    """
    total = len(placements)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for done, placement in enumerate(placements, start=1):
            export = collect(session, placement, reader)
            prefix = "" if total == 1 else folder_name(export.student, placement) + "/"
            write_portfolio(archive, export, storage=storage, made_at=made_at, prefix=prefix)
            progress(done, total)


def folder_name(student: User, placement: Placement) -> str:
    """Name a student's folder in a bulk export: readable and unique (the placement's number)."""
    return safe_name(f"{student.name} - {placement.site_name} - {placement.id}")
