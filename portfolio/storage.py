"""Where uploaded files live: a small storage interface with a local and an S3 backend.

Keys are opaque, slash-separated names chosen by the app (see `new_key`); they never
come from user input, but both backends still validate them so a bug cannot escape
the upload root or the bucket prefix.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote
from uuid import uuid4

from botocore.exceptions import ClientError

_KEY_RE = re.compile(r"[A-Za-z0-9/_.-]+")
# S3 reports a missing object differently per call: get_object says NoSuchKey,
# head_object has no body and so only carries the HTTP status.
_MISSING_CODES = {"NoSuchKey", "404", "NotFound"}
# Export results (ZIPs of background jobs) live under this prefix; no upload row names them.
EXPORTS_PREFIX = "exports/"


def validate_key(key: str) -> str:
    """Return key unchanged if it is a safe relative name, else raise ValueError."""
    if not isinstance(key, str) or not _KEY_RE.fullmatch(key):
        raise ValueError(f"invalid storage key: {key!r}")
    if key.startswith("/") or ".." in key or any(p in ("", ".") for p in key.split("/")):
        raise ValueError(f"invalid storage key: {key!r}")
    return key


def new_key(placement_id: int, suffix: str) -> str:
    """Return a fresh, unguessable key for a file belonging to a placement."""
    return f"placements/{placement_id}/{uuid4().hex}{suffix}"


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """Build a Content-Disposition header that survives quotes and non-ASCII names."""
    # Old clients only read the ASCII filename=, modern ones prefer RFC 5987 filename*=.
    fallback = re.sub(r"[^A-Za-z0-9._ -]", "_", filename).strip() or "download"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _check_size(stream: BinaryIO, size: int) -> None:
    """Raise ValueError if a seekable stream does not hold exactly size bytes from here."""
    # Catches the classic bug of sniffing a stream and forgetting to rewind it,
    # which would otherwise store a silently truncated file.
    if not stream.seekable():
        return
    start = stream.tell()
    end = stream.seek(0, os.SEEK_END)
    stream.seek(start)
    if end - start != size:
        raise ValueError(f"stream holds {end - start} bytes from its position, expected {size}")


class _KeepOpen:
    """Proxy a readable stream but ignore close(): the caller owns the stream."""

    # boto3's upload_fileobj closes the file object it is given once the upload is done,
    # which would surprise callers that still hold the upload (and LocalStorage does not).
    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)

    def close(self) -> None:
        """Leave the wrapped stream open."""


class Storage(ABC):
    """Store, fetch and hand out uploaded files by key."""

    @abstractmethod
    def save(self, key: str, stream: BinaryIO, *, content_type: str, size: int) -> None:
        """Store the rest of stream under key, replacing any previous file."""

    @abstractmethod
    def open(self, key: str) -> BinaryIO:
        """Return a readable binary stream of the file; raise FileNotFoundError if missing."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove the file if present; do nothing if it is already gone."""

    @abstractmethod
    def exists(self, key: str) -> bool:
        """Report whether a file is stored under key."""

    @abstractmethod
    def download_url(
        self,
        key: str,
        *,
        filename: str,
        content_type: str,
        expires_in: int = 300,
        inline: bool = False,
    ) -> str | None:
        """Return a direct, short-lived download URL, or None if the app must stream it."""

    def local_path(self, key: str) -> Path | None:
        """Return the file's path on this machine if it has one (so it can be streamed)."""
        return None

    def copy_to(self, key: str, target: BinaryIO, *, chunk_size: int = 1024 * 1024) -> None:
        """Write the file into target in chunks; raise FileNotFoundError if missing."""
        with self.open(key) as source:
            shutil.copyfileobj(source, target, length=chunk_size)

    @abstractmethod
    def iter_keys(self) -> Iterator[tuple[str, datetime]]:
        """Yield (key, last modified as aware UTC) for every stored file."""


class LocalStorage(Storage):
    """Keep files in a directory on the local filesystem."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()

    def _path(self, key: str) -> Path:
        path = (self.root / validate_key(key)).resolve()
        # Belt and braces: validation already forbids "..", but symlinks could still escape.
        if not path.is_relative_to(self.root):
            raise ValueError(f"invalid storage key: {key!r}")
        return path

    def save(self, key: str, stream: BinaryIO, *, content_type: str, size: int) -> None:
        """Write stream to a temp file next to the target, then atomically rename it."""
        path = self._path(key)
        _check_size(stream, size)
        path.parent.mkdir(parents=True, exist_ok=True)
        # A temp file in the same directory keeps os.replace on one filesystem, so
        # readers see either the old file or the complete new one, never a partial one.
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".upload-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as tmp:
                shutil.copyfileobj(stream, tmp)
                tmp.flush()
                os.fsync(tmp.fileno())
            os.replace(tmp_name, path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise

    def open(self, key: str) -> BinaryIO:
        """Open the stored file for reading."""
        path = self._path(key)
        if not path.is_file():
            raise FileNotFoundError(key)
        return path.open("rb")

    def delete(self, key: str) -> None:
        """Remove the stored file if it exists."""
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        """Report whether the stored file exists."""
        return self._path(key).is_file()

    def download_url(
        self,
        key: str,
        *,
        filename: str,
        content_type: str,
        expires_in: int = 300,
        inline: bool = False,
    ) -> str | None:
        """Return None: local files have no URL of their own, the app streams them."""
        self._path(key)
        return None

    def local_path(self, key: str) -> Path | None:
        """Return the stored file's path; raise FileNotFoundError if it is missing."""
        path = self._path(key)
        if not path.is_file():
            raise FileNotFoundError(key)
        return path

    def iter_keys(self) -> Iterator[tuple[str, datetime]]:
        """Walk the upload root; temp files of saves in progress are not stored files."""
        if not self.root.is_dir():
            return
        for path in self.root.rglob("*"):
            if path.name.startswith(".upload-") or not path.is_file():
                continue
            key = path.relative_to(self.root).as_posix()
            if _KEY_RE.fullmatch(key):
                yield key, datetime.fromtimestamp(path.stat().st_mtime, UTC)


def _is_missing(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") in _MISSING_CODES


class S3Storage(Storage):
    """Keep files in an S3 (or S3-compatible) bucket, optionally under a key prefix."""

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        prefix: str = "",
    ) -> None:
        self.bucket = bucket
        self.prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
        # S3-compatible services (MinIO, Garage, moto) rarely do virtual-host buckets,
        # and presigned URLs need SigV4 for any region opened after 2014.
        s3_options = {"addressing_style": "path"} if endpoint_url else {}
        # Imported here: boto3 adds some 13 MB to every web worker, and the embedded default
        # keeps files on disk (botocore's exceptions, above, are a small module).
        import boto3
        from botocore.config import Config

        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            config=Config(signature_version="s3v4", s3=s3_options),
        )

    def _key(self, key: str) -> str:
        return self.prefix + validate_key(key)

    def save(self, key: str, stream: BinaryIO, *, content_type: str, size: int) -> None:
        """Upload stream; S3 only makes the object visible once the upload completes."""
        object_key = self._key(key)
        _check_size(stream, size)
        self.client.upload_fileobj(
            _KeepOpen(stream), self.bucket, object_key, ExtraArgs={"ContentType": content_type}
        )

    def _get_object(self, key: str) -> dict:
        """Return S3's response for the object; raise FileNotFoundError if it is missing."""
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if _is_missing(exc):
                raise FileNotFoundError(key) from exc
            raise

    def open(self, key: str) -> BinaryIO:
        """Download the object into memory and return it as a stream."""
        with self._get_object(key)["Body"] as body:
            return io.BytesIO(body.read())

    def copy_to(self, key: str, target: BinaryIO, *, chunk_size: int = 1024 * 1024) -> None:
        """Stream the object into target chunk by chunk (a video never sits in memory whole)."""
        body = self._get_object(key)["Body"]
        try:
            for chunk in body.iter_chunks(chunk_size):
                target.write(chunk)
        finally:
            body.close()

    def delete(self, key: str) -> None:
        """Delete the object; S3 itself treats deleting a missing key as success."""
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def exists(self, key: str) -> bool:
        """Check for the object with a HEAD request."""
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if _is_missing(exc):
                return False
            raise
        return True

    def iter_keys(self) -> Iterator[tuple[str, datetime]]:
        """List the objects under our prefix, a page (1000 keys) at a time."""
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
            for entry in page.get("Contents", []):
                yield entry["Key"].removeprefix(self.prefix), entry["LastModified"]

    def download_url(
        self,
        key: str,
        *,
        filename: str,
        content_type: str,
        expires_in: int = 300,
        inline: bool = False,
    ) -> str | None:
        """Return a presigned GET URL that makes S3 send our filename, type and caching."""
        return self.client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": self._key(key),
                "ResponseContentDisposition": content_disposition(filename, inline=inline),
                "ResponseContentType": content_type,
                "ResponseCacheControl": "private",
            },
            ExpiresIn=expires_in,
        )


def storage_from_config(config: Mapping) -> Storage:
    """Build the storage backend the app config asks for: S3 if a bucket is set, else local."""
    bucket = config.get("S3_BUCKET")
    if bucket:
        return S3Storage(
            bucket,
            endpoint_url=config.get("S3_ENDPOINT_URL") or None,
            region=config.get("S3_REGION") or None,
            access_key=config.get("S3_ACCESS_KEY_ID") or None,
            secret_key=config.get("S3_SECRET_ACCESS_KEY") or None,
            prefix=config.get("S3_PREFIX") or "",
        )
    return LocalStorage(Path(config["UPLOAD_FOLDER"]))
