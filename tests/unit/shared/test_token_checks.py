"""Issue 11, finding 9: a token's lifetime is capped when it is read (a signed `exp` in year
9999 is refused), and a token whose subject changed since (revoked, role changed, deleted
service token) is refused by the cached token state every service checks."""
from __future__ import annotations

import threading
import time

import jwt
import pytest
from nameko_grpc.errors import GrpcError

from services.shared.contracts.errors import NotAuthenticated
from services.shared.contracts.identity import Identity
from services.shared.platform.identity import ISSUER, decode_token, issue_token
from services.shared.platform.token_state import TokenStates

SECRET = "a-secret-for-the-token-tests-only-32-bytes"


@pytest.fixture(autouse=True)
def secret(monkeypatch):
    monkeypatch.setenv("JWT_SECRET", SECRET)
    for name in ("JWT_LEEWAY_SECONDS", "JWT_TTL_SECONDS", "SERVICE_TOKEN_TTL_DAYS"):
        monkeypatch.delenv(name, raising=False)


def signed(role: str = "mitra", lifetime: float = 3600, **claims) -> str:
    now = int(time.time())
    return jwt.encode({"sub": "acc", "role": role, "iss": ISSUER, "iat": now,
                       "exp": now + lifetime, **claims}, SECRET, algorithm="HS256")


def test_a_signed_token_living_to_year_9999_is_refused():
    year_9999 = 253402300799 - int(time.time())
    with pytest.raises(NotAuthenticated):
        decode_token(signed(lifetime=year_9999))
    with pytest.raises(NotAuthenticated):
        decode_token(signed(lifetime=3600 + 60))  # longer than JWT_TTL_SECONDS issues
    assert decode_token(signed(lifetime=3600)) == Identity("acc", "mitra")


def test_a_service_token_may_live_a_year_and_no_longer():
    assert decode_token(signed("service", 365 * 86400, satker_code="3500")).role == "service"
    with pytest.raises(NotAuthenticated):
        decode_token(signed("service", 366 * 86400))
    with pytest.raises(NotAuthenticated):
        decode_token(signed("service", lifetime=3600, ver="not a number"))


def test_the_token_version_travels():
    token, _ = issue_token(Identity("acc", "mitra", None, token_version=4))
    assert decode_token(token).token_version == 4
    assert decode_token(signed()).token_version == 0  # a token from before versions


class Registration:
    def __init__(self):
        self.states = {"acc": {"found": True, "active": True, "role": "mitra",
                               "satker_code": None, "token_version": 1}}
        self.asked = 0
        self.down = False

    def __call__(self, subject):
        self.asked += 1
        if self.down:
            raise ConnectionRefusedError()
        return self.states.get(subject, {"found": False, "active": False, "role": "",
                                         "satker_code": None, "token_version": 0})


def test_the_state_is_cached_then_asked_again():
    registration, now = Registration(), [0.0]
    states = TokenStates(registration, fresh_for=5, stale_for=300, clock=lambda: now[0])
    current, old = Identity("acc", "mitra", None, 1), Identity("acc", "mitra", None, 0)
    for _ in range(100):
        states.check(current)
    assert registration.asked == 1
    with pytest.raises(NotAuthenticated):
        states.check(old)
    registration.states["acc"]["token_version"] = 2  # the password changed
    states.check(current)  # within the cache's few seconds
    now[0] = 5.0
    with pytest.raises(NotAuthenticated):
        states.check(current)
    assert registration.asked == 2
    with pytest.raises(NotAuthenticated):
        states.check(Identity("someone", "mitra"))


def test_registration_unreachable_stale_answer_then_503():
    registration, now = Registration(), [0.0]
    states = TokenStates(registration, fresh_for=5, stale_for=300, clock=lambda: now[0])
    states.check(Identity("acc", "mitra", None, 1))
    registration.down = True
    now[0] = 100.0
    states.check(Identity("acc", "mitra", None, 1))  # the answer of 100 s ago will do
    now[0] = 400.0
    with pytest.raises(GrpcError) as unavailable:
        states.check(Identity("acc", "mitra", None, 1))
    assert unavailable.value.code.name == "UNAVAILABLE"


def test_after_a_failed_ask_registration_is_left_alone_for_a_moment():
    registration, now = Registration(), [0.0]
    states = TokenStates(registration, fresh_for=5, stale_for=300, clock=lambda: now[0])
    states.check(Identity("acc", "mitra", None, 1))
    registration.down = True
    now[0] = 10.0
    states.check(Identity("acc", "mitra", None, 1))  # asked, failed: the stale answer
    asked = registration.asked
    for _ in range(50):  # every miss right after: no ask (no wait), answered at once
        states.check(Identity("acc", "mitra", None, 1))
        with pytest.raises(GrpcError):
            states.check(Identity("never-seen", "mitra"))
    assert registration.asked == asked
    registration.down = False
    now[0] = 12.0
    states.check(Identity("acc", "mitra", None, 1))
    assert registration.asked == asked + 1


def test_while_one_request_asks_the_others_take_the_answer_of_a_moment_ago():
    """A subject's entry ages out while several of its requests arrive: one asks registration,
    the others meanwhile take the previous answer instead of asking too."""
    registration, now = Registration(), [0.0]
    asking, may_answer = threading.Event(), threading.Event()

    def slow_registration(subject):
        if registration.asked:  # the first ask fills the cache at once
            asking.set()
            assert may_answer.wait(10)
        return registration(subject)

    states = TokenStates(slow_registration, fresh_for=5, stale_for=300, clock=lambda: now[0])
    current = Identity("acc", "mitra", None, 1)
    states.check(current)
    now[0] = 6.0  # aged out
    first = threading.Thread(target=states.check, args=(current,))
    first.start()
    assert asking.wait(10)
    for _ in range(10):
        states.check(current)  # at once, from the entry of 6 s ago
    may_answer.set()
    first.join(10)
    assert registration.asked == 2 and states.asks == 2


def test_a_subject_in_steady_use_is_asked_again_in_the_background():
    """Past half its fresh time an entry is still answered from, and asked again in the
    background: a candidate saving answers never waits for registration, and a revocation is
    seen as soon as that answer is in (never later than the fresh time)."""
    registration, now, background = Registration(), [0.0], []
    states = TokenStates(registration, fresh_for=5, stale_for=300, clock=lambda: now[0],
                         refresh=background.append)
    current = Identity("acc", "mitra", None, 1)
    states.check(current)
    now[0] = 2.4
    states.check(current)
    assert background == [] and registration.asked == 1
    now[0] = 2.6
    states.check(current)  # from the entry; one ask queued in the background
    states.check(current)  # one at a time
    assert registration.asked == 1 and len(background) == 1
    registration.states["acc"]["token_version"] = 2  # the password changed meanwhile
    background.pop()()
    assert registration.asked == 2
    with pytest.raises(NotAuthenticated):
        states.check(current)

    registration.down = True  # a failed background ask: the entry ages out as before
    now[0] = 5.2
    states.check(Identity("acc", "mitra", None, 2))
    background.pop()()
    assert registration.asked == 3 and background == []
    now[0] = 100.0  # stale and registration still down: the answer of a moment ago will do
    states.check(Identity("acc", "mitra", None, 2))
