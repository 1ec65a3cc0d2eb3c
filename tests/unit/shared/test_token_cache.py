"""Issue 8 (test day's speed): a token read again (the gateway, then the service, on every
request of a signed-in caller) is not verified again from scratch, but a token kept as
verified is refused exactly when a fresh decode would refuse it: past its expiry, under
another secret, with a smaller leeway or a shorter lifetime cap than when it was kept."""
from __future__ import annotations

import time

import jwt
import pytest

from services.shared.contracts.errors import NotAuthenticated
from services.shared.contracts.identity import Identity
from services.shared.platform import identity as identity_module
from services.shared.platform.identity import ISSUER, decode_token

SECRET = "a-secret-for-the-token-cache-tests-32-bytes"


@pytest.fixture(autouse=True)
def settings(monkeypatch):
    monkeypatch.setenv("JWT_SECRET", SECRET)
    for name in ("JWT_LEEWAY_SECONDS", "JWT_TTL_SECONDS", "SERVICE_TOKEN_TTL_DAYS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(identity_module, "_verified", {})


class Clock:
    def __init__(self):
        self.ahead = 0.0

    def time(self) -> float:
        return time.time() + self.ahead


@pytest.fixture
def clock(monkeypatch):
    """Moves the clock of the kept tokens' checks and PyJWT's alike."""
    clock = Clock()
    monkeypatch.setattr(identity_module, "time", clock)

    class Moved:
        @staticmethod
        def now(tz=None):
            from datetime import datetime
            return datetime.fromtimestamp(clock.time(), tz)
    monkeypatch.setattr(jwt.api_jwt, "datetime", Moved)
    return clock


def token(lifetime: float = 3600, **claims) -> str:
    now = int(time.time())
    return jwt.encode({"sub": "acc", "role": "mitra", "iss": ISSUER, "iat": now,
                       "exp": now + lifetime, **claims}, SECRET, algorithm="HS256")


def test_a_token_read_again_is_not_verified_again(monkeypatch):
    decoded = []
    real = jwt.decode
    monkeypatch.setattr(jwt, "decode", lambda *a, **k: decoded.append(1) or real(*a, **k))
    kept = token()
    assert decode_token(kept) == decode_token(kept) == Identity("acc", "mitra")
    assert len(decoded) == 1
    decode_token(token(satker_code="3528"))  # another token: verified
    assert len(decoded) == 2


def test_a_kept_token_is_refused_once_expired(clock):
    kept = token(lifetime=60)
    assert decode_token(kept) == Identity("acc", "mitra")
    clock.ahead = 60 + 5  # within the default leeway of 10 s
    assert decode_token(kept) == Identity("acc", "mitra")
    clock.ahead = 60 + 11
    with pytest.raises(NotAuthenticated):
        decode_token(kept)


def test_a_kept_token_is_refused_under_another_secret(monkeypatch):
    kept = token()
    decode_token(kept)
    monkeypatch.setenv("JWT_SECRET", "another-secret-of-at-least-32-bytes-long")
    with pytest.raises(NotAuthenticated):
        decode_token(kept)


def test_a_kept_token_meets_the_settings_of_now(monkeypatch, clock):
    expiring = token(lifetime=60)
    decode_token(expiring)
    clock.ahead = 65
    assert decode_token(expiring) == Identity("acc", "mitra")
    monkeypatch.setenv("JWT_LEEWAY_SECONDS", "0")
    with pytest.raises(NotAuthenticated):
        decode_token(expiring)

    clock.ahead = 0
    long_lived = token(lifetime=3600)
    decode_token(long_lived)
    monkeypatch.setenv("JWT_TTL_SECONDS", "600")
    with pytest.raises(NotAuthenticated):
        decode_token(long_lived)


def test_a_kept_token_not_yet_valid_elsewhere_stays_so(monkeypatch, clock):
    monkeypatch.setenv("JWT_LEEWAY_SECONDS", "60")
    early = token(nbf=int(time.time()) + 30)
    assert decode_token(early) == Identity("acc", "mitra")
    monkeypatch.setenv("JWT_LEEWAY_SECONDS", "10")
    with pytest.raises(NotAuthenticated):
        decode_token(early)
    clock.ahead = 25
    assert decode_token(early) == Identity("acc", "mitra")


def test_a_refused_token_is_not_kept_and_the_cache_is_bounded(monkeypatch):
    with pytest.raises(NotAuthenticated):
        decode_token(token(role="nobody"))
    assert identity_module._verified == {}
    monkeypatch.setattr(identity_module, "VERIFIED_MAX_ENTRIES", 3)
    for i in range(7):
        decode_token(token(satker_code=str(i)))
    assert 1 <= len(identity_module._verified) <= 3
