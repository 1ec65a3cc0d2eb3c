"""Where uploaded files live: one interface, content-addressed by sha256, so the same bytes are
stored once and a stored file can be checked against its name. Local directory by default
(UPLOADS_DIR, ``var/uploads``); an object store can implement the same two methods."""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol

from services.registration.adapters import settings


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


def default_storage() -> DocumentStorage:
    return LocalDirectoryStorage(settings.uploads_dir())
