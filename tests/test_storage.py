"""One contract suite for every storage backend: local disk and S3 (moto over real HTTP)."""

from __future__ import annotations

import io
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from portfolio.storage import LocalStorage, S3Storage, Storage, new_key, storage_from_config

BUCKET = "portfolio-test"
REGION = "eu-west-1"
# Proxy variables would route loopback traffic elsewhere; AWS_* files could inject real
# credentials or endpoints. Neutralise them so the suite only ever talks to 127.0.0.1.
_HOSTILE_ENV = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


def _isolate_env(mp: pytest.MonkeyPatch) -> None:
    for name in _HOSTILE_ENV:
        mp.delenv(name, raising=False)
    mp.setenv("NO_PROXY", "127.0.0.1,localhost")
    mp.setenv("no_proxy", "127.0.0.1,localhost")
    mp.setenv("AWS_CONFIG_FILE", "/nonexistent/aws-config")
    mp.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials")
    mp.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """Run moto's S3 server on a free loopback port for the whole session."""
    # port=0 is handed straight to werkzeug's make_server, so the OS picks a free port.
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        with pytest.MonkeyPatch.context() as mp:
            _isolate_env(mp)
            client = boto3.client(
                "s3",
                endpoint_url=endpoint,
                region_name=REGION,
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )
            client.create_bucket(
                Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
            )
        yield endpoint
    finally:
        server.stop()


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch) -> Storage:
    """Yield each backend in turn, each starting from an empty store."""
    _isolate_env(monkeypatch)
    if request.param == "local":
        return LocalStorage(tmp_path / "uploads")
    endpoint = request.getfixturevalue("moto_endpoint")
    # A prefix per test keeps tests independent although they share one bucket.
    return storage_from_config(
        {
            "S3_BUCKET": BUCKET,
            "S3_ENDPOINT_URL": endpoint,
            "S3_REGION": REGION,
            "S3_ACCESS_KEY_ID": "testing",
            "S3_SECRET_ACCESS_KEY": "testing",
            "S3_PREFIX": f"t/{request.node.name}/".replace("[", "-").replace("]", ""),
        }
    )


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
