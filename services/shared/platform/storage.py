"""Where uploaded files live: one interface, content-addressed by sha256, so the same bytes are
stored once and a stored file can be checked against its name. Local directory by default
(UPLOADS_DIR, ``var/uploads``); with STORAGE_BACKEND=s3 an S3-compatible bucket
(``ObjectStorage``), which every replica of a service shares.

Moved here from services/registration/adapters/storage.py so that every service keeping
documents (registration's candidate documents, pembinaan's establishment and evidence files)
shares one storage; registration's module is to import these names from here."""
from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path
from typing import Protocol

from services.shared.platform import config


class DocumentStorage(Protocol):
    def put(self, content: bytes) -> str: ...
    def get(self, sha256: str) -> bytes: ...


class LocalDirectoryStorage:
    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, content: bytes) -> str:
        digest = hashlib.sha256(content).hexdigest()
        path = self._path(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)  # atomic: a reader never sees a partial file
        return digest

    def get(self, sha256: str) -> bytes:
        return self._path(sha256).read_bytes()


def uploads_dir() -> Path:
    """Where uploaded documents are kept: UPLOADS_DIR, by default ``var/uploads``."""
    return Path(os.environ.get("UPLOADS_DIR") or config.var_dir() / "uploads")


def _key(sha256: str) -> str:
    """Where a document is kept: ``ab/cd/<sha256>``, the local directory's layout."""
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a sha256 hex digest")
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


class ObjectStorage:
    """Documents in a bucket of an S3-compatible object store (AWS S3, SeaweedFS, MinIO,
    Ceph), through boto3, keyed as on the local disk (``ab/cd/<sha256>``). ``put`` asks first
    whether the key exists and uploads only when it does not: the same bytes are stored once
    (two replicas racing on new bytes both upload them; S3 keeps one object, the same bytes).
    ``get`` of a missing key raises FileNotFoundError, as the local storage does. The bucket
    is the operator's to make (deploy/); boto3 retries transient errors itself."""

    def __init__(self, bucket: str, *, endpoint_url: str | None = None,
                 region: str = "us-east-1", access_key_id: str | None = None,
                 secret_access_key: str | None = None):
        self.bucket = bucket
        self._options = {"endpoint_url": endpoint_url, "region_name": region,
                         "aws_access_key_id": access_key_id,
                         "aws_secret_access_key": secret_access_key}
        self._client = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: config.ObjectStoreSettings) -> ObjectStorage:
        return cls(settings.bucket, endpoint_url=settings.endpoint_url, region=settings.region,
                   access_key_id=settings.access_key_id,
                   secret_access_key=settings.secret_access_key)

    @property
    def client(self):
        """Made at first use (a service makes its storage as it is imported); one client,
        thread-safe, for every worker."""
        with self._lock:
            if self._client is None:
                import boto3  # here: only a process that stores documents in S3 loads boto3
                from botocore.config import Config

                self._client = boto3.session.Session().client("s3", config=Config(
                    # Path-style URLs (bucket in the path) work with every S3-compatible
                    # store; AWS still accepts them.
                    s3={"addressing_style": "path" if self._options["endpoint_url"]
                        else "auto"},
                    # Checksums only where S3 requires them: not every S3-compatible store
                    # accepts the CRC headers newer botocore sends by default.
                    request_checksum_calculation="when_required",
                    response_checksum_validation="when_required",
                    connect_timeout=5, read_timeout=30,
                    retries={"mode": "standard", "max_attempts": 3}), **self._options)
            return self._client

    def _missing(self, error) -> bool:
        return error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound")

    def put(self, content: bytes) -> str:
        from botocore.exceptions import ClientError

        digest = hashlib.sha256(content).hexdigest()
        key = _key(digest)
        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
            return digest  # stored already: content-addressed, so the same bytes
        except ClientError as error:
            if not self._missing(error):
                raise
        self.client.put_object(Bucket=self.bucket, Key=key, Body=content,
                               ContentType="application/octet-stream")
        return digest

    def get(self, sha256: str) -> bytes:
        from botocore.exceptions import ClientError

        key = _key(sha256)
        try:
            reply = self.client.get_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if self._missing(error):
                raise FileNotFoundError(f"no document {sha256} in bucket {self.bucket}") \
                    from None
            raise
        with reply["Body"] as body:
            return body.read()


def default_storage() -> DocumentStorage:
    """STORAGE_BACKEND: ``local`` (UPLOADS_DIR) or ``s3`` (config.object_store_settings)."""
    if config.storage_backend() == config.S3_STORAGE:
        return ObjectStorage.from_settings(config.object_store_settings())
    return LocalDirectoryStorage(uploads_dir())
