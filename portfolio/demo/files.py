"""Demo files: a photo of the feedbackschrift page on the verkenningsgesprek."""

from __future__ import annotations

import io
import struct
import zlib

from flask import current_app
from sqlmodel import Session, select
from werkzeug.datastructures import FileStorage

from portfolio.domain import files
from portfolio.models import Item, ItemKind

WIDTH, HEIGHT = 240, 160


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def notebook_page_png() -> bytes:
    """Draw a lined notebook page (cream paper, blue lines, a red margin) as a PNG."""
    rows = []
    for y in range(HEIGHT):
        line = y % 16 == 15
        pixels = bytearray()
        for x in range(WIDTH):
            if x == 28:
                pixels += b"\xd0\x30\x30"
            elif line:
                pixels += b"\x8a\xa8\xd8"
            else:
                pixels += b"\xfb\xf6\xe4"
        rows.append(b"\x00" + bytes(pixels))
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _chunk(b"IEND", b"")
    )


def seed(session: Session, demo) -> None:
    placement = demo.placements["student"]
    verkenning = session.exec(
        select(Item).where(Item.placement_id == placement.id, Item.kind == ItemKind.VERKENNING)
    ).first()
    if verkenning is None:  # the item pages' demo did not run
        return
    files.store_upload(
        session,
        item=verkenning,
        file=FileStorage(io.BytesIO(notebook_page_png()), filename="feedbackschrift.png"),
        caption="Foto van de afspraken in het feedbackschrift",
        actor=demo.users["student"],
        storage=files.get_storage(),
        max_image_bytes=current_app.config["MAX_IMAGE_BYTES"],
        max_media_bytes=current_app.config["MAX_MEDIA_BYTES"],
    )
