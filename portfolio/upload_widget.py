"""The upload widget's options: accepted kinds, size limits and their Dutch texts.

Registered as the template global `upload_widget_options` and the filter `filesize` by the
files blueprint (portfolio/routes/files.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from portfolio.domain import files
from portfolio.uploads import format_size

_ACCEPT_MIMES = {
    "image": "image/*",
    "pdf": "application/pdf",
    "audio": "audio/*",
    "video": "video/*",
}
_CHOICE_LABELS = {"image": "foto", "pdf": "PDF", "audio": "audio-opname", "video": "video-opname"}


@dataclass(frozen=True)
class WidgetOptions:
    """What the upload form needs to know: accepted kinds and the size limits."""

    accept: str  # categories, "image,pdf"
    accept_attr: str  # MIME patterns for <input accept>
    hint: str
    max_image_bytes: int
    max_media_bytes: int
    too_big_image: str
    too_big_media: str


def upload_widget_options(accept: str | None = None) -> WidgetOptions:
    """Describe the upload form for these categories (a template global for the widget)."""
    categories = files.parse_accept(accept)
    max_image = current_app.config["MAX_IMAGE_BYTES"]
    max_media = current_app.config["MAX_MEDIA_BYTES"]
    labels = [_CHOICE_LABELS[c] for c in categories]
    kinds = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " of " + labels[-1]
    limits = []
    if {"image", "pdf"} & set(categories):
        limits.append(f"{format_size(max_image)} voor foto's en PDF's")
    if {"audio", "video"} & set(categories):
        limits.append(f"{format_size(max_media)} voor audio en video")
    hint = f"Kies een {kinds}. Maximaal " + " en ".join(limits) + "."
    return WidgetOptions(
        accept=",".join(categories),
        accept_attr=",".join(_ACCEPT_MIMES[c] for c in categories),
        hint=hint[0].upper() + hint[1:],
        max_image_bytes=max_image,
        max_media_bytes=max_media,
        too_big_image=f"Het bestand is te groot: maximaal {format_size(max_image)} "
        "voor foto's en PDF's.",
        too_big_media=f"Het bestand is te groot: maximaal {format_size(max_media)} "
        "voor audio- en video-opnames.",
    )


def filesize(n: int) -> str:
    """Format a byte count the Dutch way, e.g. 1,5 MB."""
    return format_size(n)
