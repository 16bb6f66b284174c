"""Decide what an uploaded file is from its bytes, and refuse what we do not accept.

The file name and the browser's Content-Type are chosen by the client, so they are
ignored here: only the magic bytes at the start of the file count.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import BinaryIO

import filetype

from portfolio.uploads_limits import MAX_IMAGE_BYTES, MAX_MEDIA_BYTES

__all__ = [
    "MAX_IMAGE_BYTES",
    "MAX_MEDIA_BYTES",
    "CATEGORIES",
    "UploadInfo",
    "UploadRefused",
    "download_name",
    "format_size",
    "inspect_upload",
]

HEAD_BYTES = 8192
CATEGORIES = frozenset({"image", "pdf", "audio", "video"})

# filetype's MIME -> (category, canonical MIME, extension). Anything not listed is refused.
_KINDS: dict[str, tuple[str, str, str]] = {
    "image/jpeg": ("image", "image/jpeg", "jpg"),
    "image/png": ("image", "image/png", "png"),
    "image/apng": ("image", "image/png", "png"),  # an animated PNG is still a PNG
    "image/gif": ("image", "image/gif", "gif"),
    "image/webp": ("image", "image/webp", "webp"),
    "image/heic": ("image", "image/heic", "heic"),
    "application/pdf": ("pdf", "application/pdf", "pdf"),
    "audio/mpeg": ("audio", "audio/mpeg", "mp3"),
    "audio/mp4": ("audio", "audio/mp4", "m4a"),
    "audio/ogg": ("audio", "audio/ogg", "ogg"),
    "audio/x-wav": ("audio", "audio/wav", "wav"),
    "audio/aac": ("audio", "audio/aac", "aac"),
    "audio/webm": ("audio", "audio/webm", "webm"),
    "video/mp4": ("video", "video/mp4", "mp4"),
    "video/x-m4v": ("video", "video/mp4", "mp4"),
    "video/webm": ("video", "video/webm", "webm"),
    "video/quicktime": ("video", "video/quicktime", "mov"),
    "video/3gpp": ("video", "video/3gpp", "3gp"),
}

# filetype's 3GP matcher looks for "ftyp3gp" at offset 0 instead of 4, so a real 3GP
# phone video comes out as video/mp4 or not at all. Its ftyp major brand is reliable.
_FTYP_BRANDS = {b"3gp": "video/3gpp", b"3g2": "video/3gpp"}
# A WebM (Matroska) track lists its codec as e.g. "V_VP9" or "A_OPUS"; browsers record
# voice memos as audio-only WebM, which filetype can only call video/webm.
_WEBM_CODEC_RE = re.compile(rb"\x86[\x81-\xa0]([AV])_")

_CHOICES = {
    "image": "een foto (JPG, PNG, GIF, WebP, HEIC)",
    "pdf": "een PDF",
    "audio": "een audio-opname (MP3, M4A, WAV, OGG, AAC, WebM)",
    "video": "een video-opname (MP4, WebM, MOV, 3GP)",
}
_ALL_CHOICES = (
    "Dit bestandstype wordt niet aanvaard. Kies een foto (JPG, PNG, GIF, WebP, HEIC), "
    "een PDF, of een audio- of video-opname (MP3, M4A, WAV, OGG, MP4, WebM, MOV)."
)


@dataclass(frozen=True)
class UploadInfo:
    """What an accepted upload turned out to be."""

    category: str  # "image" | "pdf" | "audio" | "video"
    mime: str
    extension: str  # without the dot
    size: int


class UploadRefused(Exception):
    """An upload we will not store; .message is a Dutch sentence for the user."""

    def __init__(self, message: str, *, reason: str, status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        # "missing" | "empty" | "type" | "size" | "storage", for logs and tests
        self.reason = reason
        self.status = status  # HTTP status: 422 for the file itself, 503 if storage failed


def format_size(n: int) -> str:
    """Format a byte count the Dutch way, e.g. 20 MB or 1,5 MB."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= factor:
            text = f"{n / factor:.1f}".removesuffix(".0").replace(".", ",")
            return f"{text} {unit}"
    return f"{n} bytes"


def _type_message(allowed: frozenset[str]) -> str:
    """Tell the user which kinds of file this field does take."""
    if allowed == CATEGORIES:
        return _ALL_CHOICES
    options = [_CHOICES[c] for c in ("image", "pdf", "audio", "video") if c in allowed]
    listed = options[0] if len(options) == 1 else ", ".join(options[:-1]) + " of " + options[-1]
    return f"Dit bestandstype wordt hier niet aanvaard. Kies {listed}."


def _sniff(head: bytes) -> str | None:
    """Return filetype's MIME for head, corrected where filetype is known to guess wrong."""
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        for prefix, mime in _FTYP_BRANDS.items():
            if brand.startswith(prefix):
                return mime
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime == "video/webm":
        codecs = set(_WEBM_CODEC_RE.findall(head))
        if codecs == {b"A"}:
            return "audio/webm"
    return mime


def inspect_upload(
    stream: BinaryIO,
    *,
    max_image_bytes: int,
    max_media_bytes: int,
    allowed: set[str] | None = None,
) -> UploadInfo:
    """Identify stream by content and check it is allowed; raise UploadRefused if not."""
    allowed_set = CATEGORIES if allowed is None else frozenset(allowed)
    if not allowed_set or not allowed_set <= CATEGORIES:
        raise ValueError(f"allowed must be a non-empty subset of {sorted(CATEGORIES)}")

    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    size = stream.seek(0, os.SEEK_END)
    # Callers hand the same stream to storage next, which reads from the current position.
    stream.seek(0)

    if size == 0:
        raise UploadRefused("Het bestand is leeg. Kies een ander bestand.", reason="empty")

    kind = _KINDS.get(_sniff(head) or "")
    if kind is None or kind[0] not in allowed_set:
        raise UploadRefused(_type_message(allowed_set), reason="type")
    category, mime, extension = kind

    if category in ("image", "pdf"):
        limit, what = max_image_bytes, "foto's en PDF's"
    else:
        limit, what = max_media_bytes, "audio- en video-opnames"
    if size > limit:
        raise UploadRefused(
            f"Het bestand is te groot: maximaal {format_size(limit)} voor {what}.",
            reason="size",
        )
    return UploadInfo(category=category, mime=mime, extension=extension, size=size)


# Extensions a name may keep for a type besides the canonical one (foto.jpeg stays .jpeg).
_ALIASES = {"image/jpeg": {"jpeg", "jpe"}, "video/quicktime": {"qt"}, "audio/mp4": {"mp4"}}


def download_name(name: str, mime: str) -> str:
    """Give a stored file's name the extension of the type found in its content.

    The client chose the name: PNG bytes called "poly.html" download as "poly.png", so no
    browser or desktop ever treats them as another type.
    """
    canonical = next((ext for _, known, ext in _KINDS.values() if known == mime), None)
    if canonical is None:
        return name
    stem, dot, extension = name.rpartition(".")
    if dot and stem and extension.lower() in {canonical} | _ALIASES.get(mime, set()):
        return name
    return f"{stem if dot and stem else name}.{canonical}"
