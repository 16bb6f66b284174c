"""One contract suite for every storage backend: local disk and S3 (moto over real HTTP)."""

from __future__ import annotations

import io
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from portfolio.storage import LocalStorage, S3Storage, Storage, new_key, storage_from_config


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    """Yield each backend in turn, each starting from an empty store."""
    if request.param == "local":
        return LocalStorage(tmp_path / "uploads")
    # s3_settings (conftest) gives each test its own key prefix in the shared moto bucket.
    return storage_from_config(request.getfixturevalue("s3_settings"))


def _save(storage: Storage, key: str, data: bytes, content_type: str = "image/png") -> None:
    storage.save(key, io.BytesIO(data), content_type=content_type, size=len(data))


def _fetch(url: str) -> tuple[bytes, dict[str, str]]:
    # An empty ProxyHandler guarantees urllib connects to the URL's own (loopback) host.
    assert url.startswith("http://127.0.0.1:")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=10) as response:
        return response.read(), {k.lower(): v for k, v in response.headers.items()}


def test_round_trip(storage: Storage) -> None:
    data = bytes(range(256)) * 300  # binary, and more than one read buffer
    key = new_key(7, ".png")
    _save(storage, key, data)
    with storage.open(key) as fh:
        assert fh.read() == data


def test_save_reads_from_the_current_position_and_leaves_the_stream_open(
    storage: Storage,
) -> None:
    stream = io.BytesIO(b"HEADbody")
    stream.seek(4)
    storage.save("placements/1/b.bin", stream, content_type="application/octet-stream", size=4)
    assert not stream.closed  # boto3's upload_fileobj would close it if we let it
    with storage.open("placements/1/b.bin") as fh:
        assert fh.read() == b"body"


def test_exists(storage: Storage) -> None:
    assert not storage.exists("placements/1/a.pdf")
    _save(storage, "placements/1/a.pdf", b"%PDF-1.4")
    assert storage.exists("placements/1/a.pdf")
    assert not storage.exists("placements/1/b.pdf")


def test_delete_is_idempotent(storage: Storage) -> None:
    _save(storage, "placements/1/a.pdf", b"%PDF-1.4")
    storage.delete("placements/1/a.pdf")
    assert not storage.exists("placements/1/a.pdf")
    storage.delete("placements/1/a.pdf")
    storage.delete("placements/1/never-there.pdf")


def test_open_missing_raises_file_not_found(storage: Storage) -> None:
    with pytest.raises(FileNotFoundError):
        storage.open("placements/1/missing.png")


def test_open_a_directory_like_prefix_raises_file_not_found(storage: Storage) -> None:
    _save(storage, "placements/1/a.png", b"x")
    with pytest.raises(FileNotFoundError):
        storage.open("placements/1")


def test_overwrite_replaces_content(storage: Storage) -> None:
    _save(storage, "placements/2/x.mp3", b"first version, longer")
    _save(storage, "placements/2/x.mp3", b"second")
    with storage.open("placements/2/x.mp3") as fh:
        assert fh.read() == b"second"


@pytest.mark.parametrize(
    "key",
    [
        "",
        "/etc/passwd",
        "../escape",
        "placements/../../x",
        "a//b",
        "a/./b",
        "dir/",
        "a b",
        "a\\b",
        "a\x00b",
        "caf\u00e9.png",
        "a?b",
    ],
)
def test_bad_keys_are_refused(storage: Storage, key: str) -> None:
    with pytest.raises(ValueError):
        _save(storage, key, b"x")
    for call in (storage.open, storage.exists, storage.delete):
        with pytest.raises(ValueError):
            call(key)


def test_size_mismatch_stores_nothing(storage: Storage) -> None:
    stream = io.BytesIO(b"0123456789")
    stream.read(4)  # a caller that sniffed the head and forgot to rewind
    with pytest.raises(ValueError):
        storage.save("placements/3/a.png", stream, content_type="image/png", size=10)
    assert not storage.exists("placements/3/a.png")


def test_new_key_shape() -> None:
    key = new_key(42, ".jpg")
    assert key.startswith("placements/42/") and key.endswith(".jpg")
    assert len(key.rsplit("/", 1)[1]) == 32 + 4
    assert new_key(42, ".jpg") != key


def test_storage_from_config_defaults_to_local(tmp_path: Path) -> None:
    storage = storage_from_config({"S3_BUCKET": "", "UPLOAD_FOLDER": str(tmp_path)})
    assert isinstance(storage, LocalStorage)
    assert storage.root == tmp_path.resolve()


def test_local_writes_atomically_and_leaves_no_temp_files(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    _save(storage, "placements/1/a.png", b"old")

    class Exploding(io.BytesIO):
        def read(self, n: int = -1) -> bytes:
            raise OSError("disk on fire")

    with pytest.raises(OSError, match="disk on fire"):
        storage.save("placements/1/a.png", Exploding(b"new!"), content_type="image/png", size=4)
    with storage.open("placements/1/a.png") as fh:
        assert fh.read() == b"old"
    assert sorted(p.name for p in (tmp_path / "placements/1").iterdir()) == ["a.png"]


def test_download_url(storage: Storage) -> None:
    data = b"%PDF-1.4 fake"
    _save(storage, "placements/5/doc.pdf", data, content_type="application/pdf")
    url = storage.download_url(
        "placements/5/doc.pdf", filename='Verslag "week 1" é.pdf', content_type="application/pdf"
    )
    if isinstance(storage, LocalStorage):
        assert url is None
        return
    assert isinstance(storage, S3Storage)
    # moto's server checks neither signature nor expiry, so assert the signing scheme here:
    # botocore would otherwise presign with legacy SigV2, which newer regions reject.
    assert url is not None and "X-Amz-Algorithm=AWS4-HMAC-SHA256" in url
    assert "X-Amz-Expires=300" in url
    body, headers = _fetch(url)
    assert body == data
    assert headers["content-type"] == "application/pdf"
    disposition = headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Verslag%20%22week%201%22%20%C3%A9.pdf" in disposition


def test_download_url_inline(storage: Storage) -> None:
    _save(storage, "placements/5/foto.png", b"png bytes")
    url = storage.download_url(
        "placements/5/foto.png", filename="foto.png", content_type="image/png", inline=True
    )
    if isinstance(storage, LocalStorage):
        assert url is None
        return
    body, headers = _fetch(url)
    assert body == b"png bytes"
    assert headers["content-disposition"].startswith('inline; filename="foto.png"')
    assert headers["cache-control"] == "private"


def test_local_path(storage: Storage) -> None:
    _save(storage, "placements/6/a.pdf", b"%PDF-1.4")
    path = storage.local_path("placements/6/a.pdf")
    if isinstance(storage, S3Storage):
        assert path is None  # S3 objects are served by presigned URL, not streamed by us
        return
    assert path is not None and path.read_bytes() == b"%PDF-1.4"
    with pytest.raises(FileNotFoundError):
        storage.local_path("placements/6/missing.pdf")
    with pytest.raises(ValueError):
        storage.local_path("../escape")


def test_iter_keys_lists_stored_files_with_their_time(storage: Storage) -> None:
    before = datetime.now(UTC) - timedelta(minutes=5)
    _save(storage, "placements/7/a.png", b"a")
    _save(storage, "placements/8/b.mp4", b"b")
    listed = dict(storage.iter_keys())
    assert sorted(listed) == ["placements/7/a.png", "placements/8/b.mp4"]
    assert all(
        before < moment <= datetime.now(UTC) + timedelta(minutes=5) for moment in listed.values()
    )
    storage.delete("placements/7/a.png")
    assert [key for key, _ in storage.iter_keys()] == ["placements/8/b.mp4"]


def test_copy_to_streams_the_file_and_refuses_a_missing_one(storage: Storage) -> None:
    data = bytes(range(256)) * 5000
    _save(storage, "placements/1/groot.bin", data, "application/octet-stream")
    target = io.BytesIO()
    storage.copy_to("placements/1/groot.bin", target, chunk_size=4096)
    assert target.getvalue() == data
    with pytest.raises(FileNotFoundError):
        storage.copy_to("placements/1/weg.bin", io.BytesIO())
