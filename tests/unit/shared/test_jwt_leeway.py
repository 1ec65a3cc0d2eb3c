"""Issue 7, finding 14: pods' clocks differ by a few seconds; a token issued by a pod whose
clock runs ahead must not be refused elsewhere for those seconds (JWT_LEEWAY_SECONDS)."""
from __future__ import annotations

import time

import jwt
import pytest

from services.shared.contracts.errors import NotAuthenticated
from services.shared.contracts.identity import Identity
from services.shared.platform.identity import ISSUER, decode_token

SECRET = "a-secret-for-the-leeway-tests-only-32-bytes"


@pytest.fixture(autouse=True)
def secret(monkeypatch):
    monkeypatch.setenv("JWT_SECRET", SECRET)
    monkeypatch.delenv("JWT_LEEWAY_SECONDS", raising=False)


def token(iat_offset: float, exp_offset: float = 3600, nbf_offset: float | None = None) -> str:
    # Offsets, not times: the claims are made when the test runs, not when it is collected.
    now = time.time()
    claims = {"sub": "acc", "role": "mitra", "iss": ISSUER, "iat": int(now + iat_offset),
              "exp": int(now + exp_offset)}
    if nbf_offset is not None:
        claims["nbf"] = int(now + nbf_offset)
    return jwt.encode(claims, SECRET, algorithm="HS256")


def test_a_token_from_a_clock_a_few_seconds_ahead_is_accepted():
    assert decode_token(token(iat_offset=5)) == Identity("acc", "mitra")
    assert decode_token(token(iat_offset=0, nbf_offset=5)) == Identity("acc", "mitra")


def test_a_token_expired_a_few_seconds_ago_by_another_clock_is_accepted():
    assert decode_token(token(iat_offset=-3600, exp_offset=-5)) == Identity("acc", "mitra")


@pytest.mark.parametrize("claims", [{"iat_offset": 30}, {"iat_offset": -3600, "exp_offset": -30},
                                    {"iat_offset": 0, "nbf_offset": 30}])
def test_beyond_the_leeway_a_token_is_refused(claims):
    with pytest.raises(NotAuthenticated):
        decode_token(token(**claims))


def test_the_leeway_is_a_setting(monkeypatch):
    monkeypatch.setenv("JWT_LEEWAY_SECONDS", "0")
    with pytest.raises(NotAuthenticated):
        decode_token(token(iat_offset=5))
    monkeypatch.setenv("JWT_LEEWAY_SECONDS", "60")
    assert decode_token(token(iat_offset=30)) == Identity("acc", "mitra")
