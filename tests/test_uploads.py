"""Content sniffing for uploads: tiny hand-built files must be told apart by their bytes."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from werkzeug.datastructures import FileStorage

from portfolio.uploads import (
    MAX_IMAGE_BYTES,
    MAX_MEDIA_BYTES,
    UploadInfo,
    UploadRefused,
    inspect_upload,
)

BIG = {"max_image_bytes": MAX_IMAGE_BYTES, "max_media_bytes": MAX_MEDIA_BYTES}


def _png() -> bytes:
    """Build a PNG signature plus a valid IHDR chunk for a 1x1 RGB image."""
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )


def _ftyp(major: bytes, *compatible: bytes) -> bytes:
    """Build an ISO-BMFF ftyp box followed by an empty mdat box."""
    body = b"ftyp" + major + struct.pack(">I", 0x200) + b"".join(compatible)
    return struct.pack(">I", len(body) + 4) + body + struct.pack(">I", 8) + b"mdat"


def _webm(*codecs: bytes) -> bytes:
    """Build an EBML header with DocType webm and a CodecID element per track."""
    header = b"\x1a\x45\xdf\xa3\x8f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm"
    entries = [b"\x86" + bytes([0x80 | len(c)]) + c for c in codecs]  # CodecID
    tracks = b"".join(b"\xae" + bytes([0x80 | len(e)]) + e for e in entries)  # TrackEntry
    return header + b"\x16\x54\xae\x6b" + bytes([0x80 | len(tracks)]) + tracks  # Tracks


FILES = {
    "png": _png(),
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9",
    "gif": b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    "webp": b"RIFF\x1a\x00\x00\x00WEBPVP8 \x0e\x00\x00\x00" + bytes(14),
    "heic": _ftyp(b"heic", b"mif1", b"heic"),
    "pdf": b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n",
    "mp3": b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" + bytes(32),
    "wav": b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00"
    + b"\x44\xac\x00\x00\x88\x58\x01\x00\x02\x00\x10\x00data\x00\x00\x00\x00",
    "ogg": b"OggS\x00\x02" + bytes(22),
    "m4a": _ftyp(b"M4A ", b"M4A ", b"mp42", b"isom"),
    "mp4": _ftyp(b"isom", b"isom", b"iso2", b"avc1", b"mp41"),
    "mov": _ftyp(b"qt  ", b"qt  "),
    "3gp": _ftyp(b"3gp4", b"isom", b"3gp4"),
    "webm": _webm(b"V_VP9", b"A_OPUS"),
    "webm_audio": _webm(b"A_OPUS"),
}


@pytest.mark.parametrize(
    ("name", "category", "mime", "extension"),
    [
        ("png", "image", "image/png", "png"),
        ("jpeg", "image", "image/jpeg", "jpg"),
        ("gif", "image", "image/gif", "gif"),
        ("webp", "image", "image/webp", "webp"),
        ("heic", "image", "image/heic", "heic"),
        ("pdf", "pdf", "application/pdf", "pdf"),
        ("mp3", "audio", "audio/mpeg", "mp3"),
        ("wav", "audio", "audio/wav", "wav"),
        ("ogg", "audio", "audio/ogg", "ogg"),
        ("m4a", "audio", "audio/mp4", "m4a"),
        ("mp4", "video", "video/mp4", "mp4"),
        ("mov", "video", "video/quicktime", "mov"),
        ("3gp", "video", "video/3gpp", "3gp"),
        ("webm", "video", "video/webm", "webm"),
        ("webm_audio", "audio", "audio/webm", "webm"),
    ],
)
def test_recognises_allowed_kinds(name: str, category: str, mime: str, extension: str) -> None:
    data = FILES[name]
    stream = io.BytesIO(data)
    info = inspect_upload(stream, **BIG)
    assert info == UploadInfo(category=category, mime=mime, extension=extension, size=len(data))
    assert stream.tell() == 0


def test_name_and_browser_type_are_ignored() -> None:
    upload = FileStorage(io.BytesIO(_png()), filename="cv.pdf", content_type="application/pdf")
    info = inspect_upload(upload.stream, **BIG)
    assert (info.category, info.mime, info.extension) == ("image", "image/png", "png")


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(30),  # zip, also docx
        b"MZ\x90\x00\x03\x00\x00\x00" + bytes(60),  # Windows executable
    ],
)
def test_refuses_other_content_even_with_a_photo_name(data: bytes) -> None:
    upload = FileStorage(io.BytesIO(data), filename="photo.jpg", content_type="image/jpeg")
    with pytest.raises(UploadRefused) as excinfo:
        inspect_upload(upload.stream, **BIG)
    assert excinfo.value.reason == "type"
    assert excinfo.value.message == (
        "Dit bestandstype wordt niet aanvaard. Kies een foto (JPG, PNG, GIF, WebP, HEIC), "
        "een PDF, of een audio- of video-opname (MP3, M4A, WAV, OGG, MP4, WebM, MOV)."
    )
    assert upload.stream.tell() == 0


def test_refuses_empty_file() -> None:
    with pytest.raises(UploadRefused) as excinfo:
        inspect_upload(io.BytesIO(b""), **BIG)
    assert excinfo.value.reason == "empty"
    assert "leeg" in excinfo.value.message


def test_image_and_pdf_use_the_image_limit() -> None:
    data = FILES["pdf"]
    inspect_upload(io.BytesIO(data), max_image_bytes=len(data), max_media_bytes=1)
    with pytest.raises(UploadRefused) as excinfo:
        inspect_upload(io.BytesIO(data), max_image_bytes=len(data) - 1, max_media_bytes=10**9)
    assert excinfo.value.reason == "size"
    assert excinfo.value.message.startswith("Het bestand is te groot: maximaal ")
    assert excinfo.value.message.endswith(" voor foto's en PDF's.")


def test_audio_and_video_use_the_media_limit() -> None:
    data = FILES["mp4"] + bytes(3 * 1024 * 1024)
    inspect_upload(io.BytesIO(data), max_image_bytes=1, max_media_bytes=len(data))
    with pytest.raises(UploadRefused) as excinfo:
        inspect_upload(io.BytesIO(data), max_image_bytes=10**9, max_media_bytes=2 * 1024 * 1024)
    assert excinfo.value.message == (
        "Het bestand is te groot: maximaal 2 MB voor audio- en video-opnames."
    )


def test_size_message_uses_the_configured_limit() -> None:
    data = _png() + bytes(MAX_IMAGE_BYTES)
    with pytest.raises(UploadRefused) as excinfo:
        inspect_upload(io.BytesIO(data), **BIG)
    assert excinfo.value.message == "Het bestand is te groot: maximaal 20 MB voor foto's en PDF's."


def test_allowed_restricts_categories() -> None:
    with pytest.raises(UploadRefused) as excinfo:
        inspect_upload(io.BytesIO(FILES["pdf"]), allowed={"image"}, **BIG)
    assert excinfo.value.reason == "type"
    assert excinfo.value.message == (
        "Dit bestandstype wordt hier niet aanvaard. Kies een foto (JPG, PNG, GIF, WebP, HEIC)."
    )
    assert inspect_upload(io.BytesIO(FILES["png"]), allowed={"image"}, **BIG).category == "image"


def test_allowed_rejects_unknown_categories() -> None:
    with pytest.raises(ValueError):
        inspect_upload(io.BytesIO(FILES["png"]), allowed={"images"}, **BIG)


def test_rewinds_a_stream_that_was_already_read() -> None:
    stream = io.BytesIO(FILES["jpeg"])
    stream.read(5)
    info = inspect_upload(stream, **BIG)
    assert info.mime == "image/jpeg"
    assert info.size == len(FILES["jpeg"])
    assert stream.tell() == 0
