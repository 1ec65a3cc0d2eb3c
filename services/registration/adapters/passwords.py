"""Password hashing with argon2id (argon2-cffi). Hashing costs CPU on purpose; under eventlet it
runs in a native thread pool so one login does not stall every other request of the process.

Parameters: OWASP's argon2id recommendation (19 MiB, 2 iterations, 1 lane), about 20 ms here.
argon2-cffi's default (64 MiB, 3 iterations, 4 lanes) costs 100 ms of two cores per hash, and
registration day is thousands of sign-ups and sign-ins on a few cores (bench/README.md). The
parameters travel inside each hash, so a later change still verifies old ones."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Checked against when the e-mail is unknown, so both paths cost the same.
_DUMMY_HASH = _hasher.hash("not a real password")


def _offload(function, *args):
    try:
        from eventlet import patcher, tpool
        if patcher.is_monkey_patched("thread"):
            return tpool.execute(function, *args)
    except ImportError:  # pragma: no cover - eventlet is always installed here
        pass
    return function(*args)


def hash_password(password: str) -> str:
    return _offload(_hasher.hash, password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return bool(_offload(_hasher.verify, password_hash or _DUMMY_HASH, password)) \
            and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
