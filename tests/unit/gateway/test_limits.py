"""Issue 11, finding 1: rate limits with 429 and Retry-After, the per-account lockout after
failed sign-ins (doubling, at most 20 failures in 15 minutes), lifted once by the owner's
unlock token; the counts shared through Redis by two limiter instances (two replicas)."""
from __future__ import annotations

import uuid

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.gateway import limits
from services.shared.contracts.errors import Malformed
from services.shared.platform.identity import email_digest, issue_unlock_token, read_unlock_token


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setenv("JWT_SECRET", "limits-tests-secret-of-32-bytes-at-least")
    clock = Clock()
    limits.use_store(limits.MemoryStore(clock))
    yield clock
    limits.use_store(None)


def request(address: str = "10.0.0.1") -> Request:
    return Request(EnvironBuilder(method="POST", environ_base={"REMOTE_ADDR": address})
                   .get_environ())


def test_sign_up_per_address_and_per_email(clock):
    for _ in range(5):
        assert limits.check("sign_up", request(), {"email": "Siti@example.com"}) is None
    refused = limits.check("sign_up", request("10.0.0.2"), {"email": "siti@example.com "})
    assert refused.status_code == 429
    assert refused.content_type == "application/problem+json"
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    per_address = limits.LIMITS["sign_up"][0].count
    for number in range(per_address - 5):
        assert limits.check("sign_up", request(), {"email": f"x{number}@example.com"}) is None
    assert limits.check("sign_up", request(), {"email": "new@example.com"}).status_code == 429
    assert limits.check("sign_up", request("10.0.0.3"), {"email": "new@example.com"}) is None
    clock.now += 3600
    assert limits.check("sign_up", request(), {"email": "other@example.com"}) is None


def test_failed_sign_ins_lock_the_account_longer_each_time(clock):
    email = "siti@example.com"
    for _ in range(limits.LOCK_AFTER - 1):
        limits.sign_in_failed(email)
    assert limits.sign_in_refusal(email) is None
    waits = []
    for _ in range(limits.LOCK_AFTER, limits.HARD_LIMIT):
        limits.sign_in_failed(email)
        refused = limits.sign_in_refusal(email)
        assert refused.status_code == 429
        waits.append(int(refused.headers["Retry-After"]))
        clock.now += limits.lock_seconds(len(waits) + limits.LOCK_AFTER - 1)  # wait it out
    assert waits[:4] == [1, 2, 4, 8] and waits == sorted(waits)
    assert limits.sign_in_refusal(email) is None
    limits.sign_in_failed(email)  # the 20th failure
    refused = limits.sign_in_refusal(email)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) == limits.FAILURE_WINDOW
    assert limits.sign_in_refusal("rina@example.com") is None  # another account is not
    clock.now += limits.FAILURE_WINDOW
    assert limits.sign_in_refusal(email) is None


def test_a_success_clears_the_count(clock):
    for _ in range(limits.LOCK_AFTER - 1):
        limits.sign_in_failed("siti@example.com")
    limits.sign_in_succeeded("siti@example.com")
    limits.sign_in_failed("siti@example.com")
    assert limits.sign_in_refusal("siti@example.com") is None


def test_the_owner_lifts_the_lock_once(clock):
    for _ in range(limits.HARD_LIMIT):
        limits.sign_in_failed("siti@example.com")
    assert limits.sign_in_refusal("siti@example.com").status_code == 429
    digest, token_id = read_unlock_token(issue_unlock_token("Siti@Example.com"))
    assert digest == email_digest("siti@example.com")
    assert limits.lift(digest, token_id) is True
    assert limits.sign_in_refusal("siti@example.com") is None
    for _ in range(limits.HARD_LIMIT):
        limits.sign_in_failed("siti@example.com")
    assert limits.lift(digest, token_id) is False  # single use
    assert limits.sign_in_refusal("siti@example.com").status_code == 429
    with pytest.raises(Malformed):
        read_unlock_token("not-a-token")


def test_redis_counts_are_shared_by_two_limiters():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"bps-test-{uuid.uuid4().hex[:8]}:"
    first, second = (limits.RedisStore(redis.Redis.from_url("redis://127.0.0.1:6379/0"),
                                       prefix) for _ in range(2))
    try:
        for store in (first, second) * 2:
            limits.use_store(store)
            limits.sign_in_failed("siti@example.com")
        limits.use_store(first)
        limits.sign_in_failed("siti@example.com")  # the fifth, across both replicas
        limits.use_store(second)
        refused = limits.sign_in_refusal("siti@example.com")
        assert refused is not None and refused.status_code == 429
        assert first.get(f"signin:failures:{email_digest('siti@example.com')}")[0] == 5
        count, left = second.incr("k", 60)
        assert (count, first.incr("k", 60)[0]) == (1, 2) and 0 < left <= 60
    finally:
        limits.use_store(None)
        for key in client.scan_iter(prefix + "*"):
            client.delete(key)


def forwarded(peer: str, chain: str | None) -> Request:
    headers = {"X-Forwarded-For": chain} if chain is not None else {}
    return Request(EnvironBuilder(method="POST", path="/api/v1/auth/token", headers=headers,
                                  environ_base={"REMOTE_ADDR": peer}).get_environ())


@pytest.mark.parametrize(("peer", "chain", "client"), [
    ("10.1.2.3", "203.0.113.7", "203.0.113.7"),  # through the ingress controller
    ("10.1.2.3", "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # a client-written hop stays left
    ("10.1.2.3", "203.0.113.7, 10.9.9.9", "203.0.113.7"),  # two proxies of ours
    ("10.1.2.3", None, "10.1.2.3"),
    ("10.1.2.3", "not-an-address", "10.1.2.3"),
    ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not from a proxy: the header is ignored
])
def test_the_client_behind_trusted_proxies(monkeypatch, peer, chain, client):
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8")
    limits._proxy_networks.cache_clear()
    try:
        assert limits.client_address(forwarded(peer, chain)) == client
    finally:
        limits._proxy_networks.cache_clear()


def test_without_trusted_proxies_the_header_is_ignored(monkeypatch):
    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    limits._proxy_networks.cache_clear()
    assert limits.client_address(forwarded("10.1.2.3", "203.0.113.7")) == "10.1.2.3"
