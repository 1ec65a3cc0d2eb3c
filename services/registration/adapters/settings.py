"""Settings only registration reads, from the environment (an empty variable counts as
unset); the README lists every variable."""
from __future__ import annotations

import os
from pathlib import Path

from services.shared.platform import config


def _env(name: str) -> str | None:
    return os.environ.get(name) or None


def uploads_dir() -> Path:
    """Where uploaded documents are kept: UPLOADS_DIR, by default ``var/uploads``."""
    return Path(_env("UPLOADS_DIR") or config.var_dir() / "uploads")


def superadmin_credentials() -> tuple[str, str] | None:
    """SUPERADMIN_EMAIL and SUPERADMIN_PASSWORD: the first superadmin, made at start-up."""
    email, password = _env("SUPERADMIN_EMAIL"), _env("SUPERADMIN_PASSWORD")
    return (email, password) if email and password else None
