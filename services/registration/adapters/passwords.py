"""Password hashing with argon2id (argon2-cffi). Hashing costs CPU on purpose; under eventlet it
runs in a native thread pool so one login does not stall every other request of the process.

Parameters: OWASP's argon2id recommendation (19 MiB, 2 iterations, 1 lane), about 20 ms here.
argon2-cffi's default (64 MiB, 3 iterations, 4 lanes) costs 100 ms of two cores per hash, and
registration day is thousands of sign-ups and sign-ins on a few cores (bench/README.md). The
parameters travel inside each hash, so a later change still verifies old ones.

The pool is bounded (issue 11, finding 1): at most ``PASSWORD_HASH_CONCURRENCY`` hashes run
at once (default: half the cores, at least one), so a flood of sign-ins leaves the other
cores to every other request; at most ``PASSWORD_HASH_QUEUE`` more wait for a turn, each at
most ``PASSWORD_HASH_WAIT_SECONDS``, and beyond that the sign-in is refused as busy (503)
instead of queueing without end. The hashing threads run ``PASSWORD_HASH_NICE`` (10) steps
below the process's CPU priority, so under a flood the cores serve other requests first."""
from __future__ import annotations

import os
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.exc import TimeoutError as PoolTimeout

_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Checked against when the e-mail is unknown, so both paths cost the same.
_DUMMY_HASH = _hasher.hash("not a real password")


def _setting(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


CONCURRENCY = int(_setting("PASSWORD_HASH_CONCURRENCY", max(1, (os.cpu_count() or 2) // 2)))
QUEUE = int(_setting("PASSWORD_HASH_QUEUE", 64))
WAIT_SECONDS = _setting("PASSWORD_HASH_WAIT_SECONDS", 5.0)
NICE = int(_setting("PASSWORD_HASH_NICE", 10))

_niced = threading.local()


def _at_low_priority(function, *args):
    """Run ``function`` in this (native, pool) thread at a lower CPU priority: the kernel
    gives the cores to the threads serving other requests first, and argon2 the rest. Linux
    takes a thread id for PRIO_PROCESS; elsewhere the priority stays as it is."""
    if NICE and not getattr(_niced, "done", False):
        _niced.done = True
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(),
                           os.getpriority(os.PRIO_PROCESS, 0) + NICE)
        except (AttributeError, OSError):
            pass
    return function(*args)


class Busy(PoolTimeout):
    """No turn to hash in time: the rpc wrapper answers it as it answers a full database
    pool, UNAVAILABLE ("busy; try again", 503 at the gateway)."""

    def __init__(self) -> None:
        super().__init__("Too many password checks at once.")


class _Turns:
    """At most ``concurrency`` hashing at once, at most ``queue`` waiting (green threads)."""

    def __init__(self, concurrency: int, queue: int, wait: float):
        from eventlet.semaphore import Semaphore
        self.slots, self.queue, self.wait = Semaphore(concurrency), queue, wait
        self.waiting = 0

    def run(self, function, *args):
        from eventlet import tpool
        if self.waiting >= self.queue:
            raise Busy()
        self.waiting += 1
        try:
            taken = self.slots.acquire(timeout=self.wait)
        finally:
            self.waiting -= 1
        if not taken:
            raise Busy()
        try:
            return tpool.execute(_at_low_priority, function, *args)
        finally:
            self.slots.release()


_turns: _Turns | None = None


def _offload(function, *args):
    global _turns
    try:
        from eventlet import patcher
        if patcher.is_monkey_patched("thread"):
            if _turns is None:
                _turns = _Turns(CONCURRENCY, QUEUE, WAIT_SECONDS)
            return _turns.run(function, *args)
    except ImportError:  # pragma: no cover - eventlet is always installed here
        pass
    return function(*args)


_ahead = threading.local()  # green under eventlet: one per call


def hash_ahead(password: str) -> None:
    """Hash ``password`` now, before the call's transaction begins: the next
    ``hash_password(password)`` of this (green) thread takes it instead of hashing again. For
    a call that must hash inside its transaction (sign-up: idempotent, its key claimed
    first), so no lock is held while argon2 runs."""
    _ahead.hashed = (password, _offload(_hasher.hash, password))


def forget_ahead() -> None:
    _ahead.hashed = None


def hash_password(password: str) -> str:
    ahead = getattr(_ahead, "hashed", None)
    if ahead is not None and ahead[0] == password:
        _ahead.hashed = None
        return ahead[1]
    return _offload(_hasher.hash, password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return bool(_offload(_hasher.verify, password_hash or _DUMMY_HASH, password)) \
            and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
