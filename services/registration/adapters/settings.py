"""Settings only registration reads, from the environment (an empty variable counts as
unset); the README lists every variable."""
from __future__ import annotations

import os


def _env(name: str) -> str | None:
    return os.environ.get(name) or None


def superadmin_credentials() -> tuple[str, str] | None:
    """SUPERADMIN_EMAIL and SUPERADMIN_PASSWORD: the first superadmin, made at start-up."""
    email, password = _env("SUPERADMIN_EMAIL"), _env("SUPERADMIN_PASSWORD")
    return (email, password) if email and password else None
