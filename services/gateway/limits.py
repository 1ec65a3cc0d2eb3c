"""Rate limits of the public account routes (issue 11, finding 1), answered 429 with
``Retry-After`` before any service (or any password hashing) is reached.

- Every limited route counts requests per client address and, where the body names an
  e-mail address, per address named (sign-up, activation mail, password reset): a fixed
  window per key (``LIMITS``).
- Sign-in counts *failed* attempts per account (the e-mail address signed in to) over
  ``FAILURE_WINDOW`` (15 minutes, renewed by each failure): from the ``LOCK_AFTER``-th
  failure on the account is locked for a time doubling with each further failure
  (``LOCK_BASE`` s, 2x, 4x, ... up to ``LOCK_MAX``), and at ``HARD_LIMIT`` (20) failures it
  is answered 429 until the window has passed. A success clears the count. The owner can
  lift the lock with the token of the mail sent when it first locks (``POST
  /api/v1/auth/unlock``). The check comes before the password is verified, so a locked
  account costs no hashing.

The counts live in Redis when ``REDIS_URL`` is set (every gateway replica sees the same
counts; each operation is one atomic command or pipeline), otherwise in this process (the
zero-config run; each replica then counts on its own).
"""
from __future__ import annotations

import functools
import ipaddress
import json
import logging
import math
import threading
import time
from dataclasses import dataclass

from werkzeug.wrappers import Request, Response

from services.shared.platform import config
from services.shared.platform.identity import email_digest

log = logging.getLogger(__name__)

FAILURE_WINDOW = 15 * 60  # seconds over which failed sign-ins of one account are counted
HARD_LIMIT = 20  # failures in the window after which sign-in is refused for the window
LOCK_AFTER = 5  # the failure from which the account is locked for a while
LOCK_BASE = 1.0  # seconds of the first lock; doubled for each failure after it
LOCK_MAX = 5 * 60  # shorter than the window: waiting a lock out keeps the count
UNLOCK_TTL = 60 * 60  # an unlock token works this long


@dataclass(frozen=True)
class Limit:
    per: str  # "address" (the client's) or "email" (the address in the body)
    count: int
    window: int  # seconds


# Per route kind (``@route(limit=...)``): requests allowed per key and window. The
# per-address counts are generous on purpose: many candidates share one address behind a
# mobile carrier's NAT or an internet cafe; the per-account and per-e-mail limits are the
# tight ones.
LIMITS: dict[str, tuple[Limit, ...]] = {
    "sign_in": (Limit("address", 600, 15 * 60),),
    "sign_up": (Limit("address", 100, 60 * 60), Limit("email", 5, 60 * 60)),
    "activation": (Limit("address", 200, 60 * 60), Limit("email", 10, 60 * 60)),
    "account_mail": (Limit("address", 100, 60 * 60), Limit("email", 5, 60 * 60)),
    "reset_confirm": (Limit("address", 100, 60 * 60),),
    "unlock": (Limit("address", 100, 60 * 60),),
}


# -- stores ---------------------------------------------------------------------------------

class MemoryStore:
    """Counters with expiry in this process (the zero-config run)."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.values: dict[str, tuple[float, int]] = {}  # key -> (expires at, value)
        self.lock = threading.Lock()

    def _live(self, key: str, now: float):
        entry = self.values.get(key)
        if entry is not None and entry[0] <= now:
            del self.values[key]
            return None
        return entry

    def incr(self, key: str, ttl: float, renew: bool = False) -> tuple[int, float]:
        """Add one; the key expires ``ttl`` after its first count (after this one with
        ``renew``). Returns (count, seconds left)."""
        with self.lock:
            now = self.clock()
            entry = self._live(key, now)
            expires = now + ttl if entry is None or renew else entry[0]
            count = (entry[1] if entry else 0) + 1
            self.values[key] = (expires, count)
            if len(self.values) > 200_000:
                self._sweep(now)
            return count, expires - now

    def get(self, key: str) -> tuple[int, float]:
        with self.lock:
            now = self.clock()
            entry = self._live(key, now)
            return (entry[1], entry[0] - now) if entry else (0, 0.0)

    def set(self, key: str, value: int, ttl: float) -> None:
        with self.lock:
            self.values[key] = (self.clock() + ttl, value)

    def delete(self, *keys: str) -> None:
        with self.lock:
            for key in keys:
                self.values.pop(key, None)

    def _sweep(self, now: float) -> None:
        for key in [k for k, (at, _) in self.values.items() if at <= now]:
            del self.values[key]


class RedisStore:
    """The same counters in Redis, shared by every gateway replica."""

    def __init__(self, client, prefix: str = "bps:limits:"):
        self.redis, self.prefix = client, prefix

    @classmethod
    def from_url(cls, url: str) -> RedisStore:
        import redis
        return cls(redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1))

    def incr(self, key: str, ttl: float, renew: bool = False) -> tuple[int, float]:
        key = self.prefix + key
        ms = max(1, int(ttl * 1000))
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            if renew:
                pipe.pexpire(key, ms)
            else:
                pipe.pexpire(key, ms, nx=True)
            pipe.pttl(key)
            count, _, left = pipe.execute()
        return int(count), max(left, 0) / 1000

    def get(self, key: str) -> tuple[int, float]:
        key = self.prefix + key
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.get(key)
            pipe.pttl(key)
            value, left = pipe.execute()
        return (int(value), max(left, 0) / 1000) if value is not None else (0, 0.0)

    def set(self, key: str, value: int, ttl: float) -> None:
        self.redis.set(self.prefix + key, value, px=max(1, int(ttl * 1000)))

    def delete(self, *keys: str) -> None:
        self.redis.delete(*(self.prefix + key for key in keys))


_store = None
_store_lock = threading.Lock()


def store():
    """The process's store: Redis when REDIS_URL is set, else in memory."""
    global _store
    with _store_lock:
        if _store is None:
            url = config.redis_url()
            _store = RedisStore.from_url(url) if url else MemoryStore()
        return _store


def use_store(new_store) -> None:
    """Tests: count in ``new_store`` from now on."""
    global _store
    with _store_lock:
        _store = new_store


# -- the answers ----------------------------------------------------------------------------

def too_many(retry_after: float, detail: str) -> Response:
    seconds = max(1, math.ceil(retry_after))
    body = {"type": "about:blank", "title": "Too Many Requests", "status": 429,
            "detail": detail, "code": "too_many_requests"}
    return Response(json.dumps(body), status=429, content_type="application/problem+json",
                    headers={"Retry-After": str(seconds)})


def _digest(value: str) -> str:
    """Keys name no e-mail address in clear (the store is not a place for personal data)."""
    return email_digest(value)


@functools.cache
def _proxy_networks() -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in config.trusted_proxies())


def _is_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _proxy_networks())


def client_address(request: Request) -> str:
    """Who sent the request: the socket's peer, or, when that peer is a trusted proxy
    (TRUSTED_PROXIES), the nearest address of ``X-Forwarded-For`` that is not one. Each
    proxy appends the address it heard from, so only the addresses right of the last
    untrusted one were written by our proxies; what a client wrote itself stays left."""
    peer = request.remote_addr or "unknown"
    if not _is_proxy(peer):
        return peer
    hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return peer  # a hop that is no address: the header cannot be read, trust none
        if not _is_proxy(hop):
            return hop
    return peer


_exempt = functools.cache(config.rate_limit_exempt_addresses)


def check(kind: str, request: Request, body) -> Response | None:
    """Count this request of route kind ``kind``; a 429 answer once a limit is passed."""
    email = body.get("email") if isinstance(body, dict) else None
    for limit in LIMITS[kind]:
        if limit.per == "email":
            if not isinstance(email, str):
                continue
            key = f"{kind}:email:{_digest(email)}"
        else:
            address = client_address(request)
            if address in _exempt():
                continue
            key = f"{kind}:address:{address}"
        try:
            count, left = store().incr(key, limit.window)
        except Exception as error:  # the store down: no limit rather than no service
            log.warning("rate limits: the store failed (%s); not limited",
                        type(error).__name__)
            return None
        if count > limit.count:
            return too_many(left, "Too many requests; try again later.")
    return None


# -- failed sign-ins of one account ---------------------------------------------------------

def _failures_key(email: str) -> str:
    return f"signin:failures:{_digest(email)}"


def _lock_key(email: str) -> str:
    return f"signin:lock:{_digest(email)}"


def lock_seconds(failures: int) -> float:
    """How long the account is locked after its ``failures``-th failure in the window."""
    if failures < LOCK_AFTER:
        return 0.0
    return min(LOCK_BASE * 2 ** (failures - LOCK_AFTER), LOCK_MAX)


def sign_in_refusal(email: str) -> Response | None:
    """429 while the account is locked or has had HARD_LIMIT failures in the window."""
    try:
        failures, window_left = store().get(_failures_key(email))
        locked, lock_left = store().get(_lock_key(email))
    except Exception as error:
        log.warning("rate limits: the store failed (%s); not limited", type(error).__name__)
        return None
    if failures >= HARD_LIMIT:
        return too_many(window_left, "Too many failed sign-ins for this account; try again "
                        "later or lift the lock with the link mailed to its owner.")
    if locked:
        return too_many(lock_left, "Too many failed sign-ins for this account; try again "
                        "later.")
    return None


def sign_in_failed(email: str) -> int:
    """Count a failed sign-in; the number of failures in the window."""
    try:
        failures, _ = store().incr(_failures_key(email), FAILURE_WINDOW, renew=True)
        lock = lock_seconds(failures)
        if lock:
            store().set(_lock_key(email), 1, lock)
        return failures
    except Exception as error:
        log.warning("rate limits: the store failed (%s)", type(error).__name__)
        return 0


def sign_in_succeeded(email: str) -> None:
    try:
        store().delete(_failures_key(email), _lock_key(email))
    except Exception as error:
        log.warning("rate limits: the store failed (%s)", type(error).__name__)


def lift(digest: str, token_id: str) -> bool:
    """The owner lifted the lock with the unlock mail's token (``email_digest`` of the
    address, the token's id): the account's count starts again. False when the token was
    used already."""
    used, _ = store().incr(f"unlock:used:{token_id}", UNLOCK_TTL)
    if used > 1:
        return False
    store().delete(f"signin:failures:{digest}", f"signin:lock:{digest}")
    return True
