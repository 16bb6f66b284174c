"""Write one placement's export into a ZIP: a self-contained HTML site, its files and a PDF.

Files are streamed from storage into the archive (or, for images the PDF shows, through a
temporary folder), so no file is held in memory whole; the archive itself is a file on disk.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from flask import render_template

from portfolio.clock import BRUSSELS
from portfolio.domain.evaluation import REMARK_LABELS, STAGE_LABELS, VERDICT_LABELS
from portfolio.exports.collect import PortfolioExport, Section
from portfolio.pdf import STATIC_ROOT, html_to_pdf
from portfolio.storage import Storage

FILES_DIR = "bestanden"
CSS_NAME = "stijl.css"
PDF_NAME = "portfolio.pdf"
MAX_NAME = 120
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
EVALUATION_LABELS = {"stages": STAGE_LABELS, "verdicts": VERDICT_LABELS, "remarks": REMARK_LABELS}


@dataclass
class ExportFile:
    upload_id: int
    storage_key: str
    category: str
    original: str
    name: str
    saved_at: datetime
    missing: bool = False

    @property
    def href(self) -> str:
        return f"{FILES_DIR}/{self.name}"


@dataclass
class Page:
    anchor: str
    title: str
    template: str
    section: Section | None = None
    count: int | None = None

    @property
    def href(self) -> str:
        return f"{self.anchor}.html"


def safe_name(name: str, *, fallback: str = "bestand") -> str:
    """Return a file name that is safe in any ZIP tool and file system, keeping what we can."""
    cleaned = _UNSAFE.sub("_", unicodedata.normalize("NFC", name or "")).strip().lstrip(".")
    if len(cleaned) > MAX_NAME:
        stem, suffix = PurePosixPath(cleaned).stem, PurePosixPath(cleaned).suffix[:10]
        cleaned = stem[: MAX_NAME - len(suffix)] + suffix
    return cleaned or fallback


def unique_names(names: list[str]) -> list[str]:
    """Return safe names in the same order, numbering repeats: foto.jpg, foto (2).jpg."""
    seen: set[str] = set()
    result = []
    for raw in names:
        name = safe_name(raw)
        stem, suffix = PurePosixPath(name).stem, PurePosixPath(name).suffix
        candidate, number = name, 1
        while candidate.casefold() in seen:
            number += 1
            candidate = f"{stem} ({number}){suffix}"
        seen.add(candidate.casefold())
        result.append(candidate)
    return result


def _pages(export: PortfolioExport) -> list[Page]:
    pages = [
        Page(s.slug, s.title, "exports/site/_section.html", section=s, count=len(s.items))
        for s in export.sections
    ]
    pages.append(
        Page(
            "begeleiding", "Begeleiding", "exports/site/_guidance.html", count=len(export.guidance)
        )
    )
    pages.append(Page("evaluatie", "Evaluatie", "exports/site/_evaluation.html"))
    return pages


def _plan_files(export: PortfolioExport) -> list[ExportFile]:
    names = unique_names([u.original_name for u in export.uploads])
    return [
        ExportFile(u.id, u.storage_key, u.category, u.original_name, name, u.uploaded_at)
        for u, name in zip(export.uploads, names, strict=True)
    ]


def _stage_images(files: list[ExportFile], storage: Storage, workdir: Path) -> None:
    """Copy the images to the work folder (the PDF shows them); mark what storage lacks."""
    (workdir / FILES_DIR).mkdir()
    for file in files:
        if file.category != "image":
            file.missing = not storage.exists(file.storage_key)
            continue
        try:
            with open(workdir / file.href, "wb") as out:
                storage.copy_to(file.storage_key, out)
        except FileNotFoundError:
            file.missing = True


def write_portfolio(
    archive: zipfile.ZipFile,
    export: PortfolioExport,
    *,
    storage: Storage,
    made_at: datetime,
    prefix: str = "",
) -> list[ExportFile]:
    """Add one placement's site, PDF and files to the archive under prefix; return its files."""
    files = _plan_files(export)
    pages = _pages(export)
    context = {
        "export": export,
        "pages": pages,
        "files": {f.upload_id: f for f in files},
        "file_list": files,
        "labels": EVALUATION_LABELS,
        "made_at": made_at,
    }
    with tempfile.TemporaryDirectory(prefix="export-") as tmp:
        workdir = Path(tmp)
        shutil.copyfile(STATIC_ROOT / "export.css", workdir / CSS_NAME)
        _stage_images(files, storage, workdir)
        document = render_template("exports/site/document.html", **context)
        archive.writestr(prefix + PDF_NAME, html_to_pdf(document, base_url=workdir.as_uri() + "/"))
        archive.write(workdir / CSS_NAME, prefix + CSS_NAME)
        archive.writestr(
            prefix + "index.html", render_template("exports/site/index.html", **context)
        )
        for page in pages:
            html = render_template("exports/site/page.html", page=page, **context)
            archive.writestr(prefix + page.href, html)
        for file in files:
            if file.missing:
                continue
            if file.category == "image":
                archive.write(workdir / file.href, prefix + file.href, zipfile.ZIP_STORED)
                continue
            _stream_into(archive, storage, file, prefix)
    return files


def _stream_into(archive: zipfile.ZipFile, storage: Storage, file: ExportFile, prefix: str) -> None:
    """Copy one stored file into the archive in chunks (a video need not fit in memory)."""
    saved = file.saved_at.astimezone(BRUSSELS)
    entry = zipfile.ZipInfo(prefix + file.href, date_time=saved.timetuple()[:6])
    entry.compress_type = zipfile.ZIP_STORED  # photos, PDFs and recordings are compressed already
    try:
        with archive.open(entry, "w", force_zip64=True) as target:
            storage.copy_to(file.storage_key, target)
    except FileNotFoundError:
        # Gone between the check and now: the index named it; say so in its place too.
        archive.writestr(
            prefix + file.href + ".ontbreekt.txt", "Dit bestand ontbreekt in de opslag."
        )
