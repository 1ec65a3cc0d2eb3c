"""Where registration's uploaded documents live: the platform's document storage
(services/shared/platform/storage.py), shared with every service keeping documents: content-
addressed by sha256, a local directory by default (UPLOADS_DIR), an S3-compatible bucket with
STORAGE_BACKEND=s3 (what several replicas need)."""
from __future__ import annotations

from services.shared.platform.storage import (
    DocumentStorage,
    LocalDirectoryStorage,
    ObjectStorage,
    default_storage,
)

__all__ = ["DocumentStorage", "LocalDirectoryStorage", "ObjectStorage", "default_storage"]
