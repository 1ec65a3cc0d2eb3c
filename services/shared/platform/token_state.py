"""Is a well-signed token still good? Every service's ``rpc`` wrapper asks here after the
signature, the lifetime cap and the role check passed.

A token is refused (401) when its subject (an account or a service token) is unknown, no
longer active (a deleted service token), has another role or satker now than the token says,
or is at a newer token version than the token's ``ver`` claim (the password was changed or
reset, or the role changed, after the token was issued).

Registration keeps that state. A service learns it by asking registration's
``TokenStates.GetTokenState`` (protos/identity.proto) and keeps each answer
``TOKEN_STATE_CACHE_SECONDS`` (5): a signed-in caller costs one small call per subject every
few seconds, the rest is a dictionary look-up. A subject in steady use is asked again in the
background once its answer is half that old, so its requests do not wait for the ask.
Registration itself answers from its own database (the service class defines
``token_state_of(subject)``), cached the same way.
The asks travel over one kept HTTP/2 connection, each bounded by ASK_TIMEOUT_SECONDS.
While registration cannot be reached, a service goes on with an answer up to
``TOKEN_STATE_MAX_STALE_SECONDS`` old and otherwise answers UNAVAILABLE (503): a token is
never taken as good without having been checked. After a failed ask registration is left
alone for RETRY_AFTER_FAILURE, so calls meanwhile are answered at once, not after a wait.

Why a call and not an event: a revocation must reach every service, including services that
consume no registration event today, and a call needs no table, migration nor consumer in
each of them; the cache keeps it cheap, and its few seconds are the revocation delay.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

from grpc import StatusCode
from nameko_grpc.errors import GrpcError

from services.shared.contracts.errors import NotAuthenticated
from services.shared.contracts.identity import Identity
from services.shared.platform import config

log = logging.getLogger(__name__)

ASK_TIMEOUT_SECONDS = 2.0
RETRY_AFTER_FAILURE = 1.0  # seconds without asking registration after an ask failed
REFRESH_AHEAD = 0.5  # of the fresh time: an entry this old is asked again in the background
CACHE_MAX_ENTRIES = 100_000


class _RecentlyFailed(ConnectionError):
    """Registration failed an ask a moment ago: not asked again yet."""


@dataclass(frozen=True)
class TokenState:
    found: bool
    active: bool
    role: str
    satker_code: str | None
    token_version: int

    @classmethod
    def of(cls, data: dict) -> TokenState:
        return cls(bool(data["found"]), bool(data["active"]), data["role"] or "",
                   data.get("satker_code") or None, int(data["token_version"]))


def refusal(identity: Identity, state: TokenState) -> str | None:
    """Why the token of ``identity`` is no longer good, or None if it is."""
    if not state.found or not state.active:
        return "The access token's account or service token is no longer active."
    if state.role != identity.role or state.satker_code != (identity.satker_code or None):
        return "The account's role changed since the access token was issued; sign in again."
    if identity.token_version < state.token_version:
        return "The access token was revoked (the password changed); sign in again."
    return None


class TokenStates:
    """The cache of subjects' states, over ``ask(subject) -> dict`` (the GetTokenState
    answer's fields).

    With ``refresh`` (a function that runs a callable in the background), an entry past
    REFRESH_AHEAD of its fresh time is still answered from, and asked again in the background
    meanwhile: a caller in steady use (a candidate saving answers) never waits for
    registration, and no answer older than the fresh time is ever taken for good."""

    def __init__(self, ask: Callable[[str], dict], fresh_for: float | None = None,
                 stale_for: float | None = None, clock: Callable[[], float] = time.monotonic,
                 refresh: Callable[[Callable[[], None]], object] | None = None):
        self.ask = ask
        self.refresh = refresh
        self.fresh_for = config.token_state_cache_seconds() if fresh_for is None else fresh_for
        self.stale_for = (config.token_state_max_stale_seconds() if stale_for is None
                          else stale_for)
        self.clock = clock
        self.entries: dict[str, tuple[float, TokenState]] = {}
        self.asks = 0  # how many times the cache missed (tests, metrics)
        # After a failed ask, registration is not asked again for RETRY_AFTER_FAILURE
        # seconds: meanwhile a miss answers at once (stale or 503) instead of waiting again.
        self.not_before = float("-inf")
        # Subjects being asked about right now: a request for one of them meanwhile takes the
        # answer of a moment ago instead of asking too (a signed-in candidate's requests come
        # several at once when the entry ages out; one ask each would be a burst).
        self.asking: set[str] = set()

    def state(self, subject: str) -> TokenState:
        now = self.clock()
        entry = self.entries.get(subject)
        if entry is not None and now - entry[0] < self.fresh_for:
            if (self.refresh is not None and now - entry[0] >= self.fresh_for * REFRESH_AHEAD
                    and subject not in self.asking and now >= self.not_before):
                self.asking.add(subject)
                self.refresh(lambda: self._refresh(subject))
            return entry[1]
        if entry is not None and subject in self.asking and now - entry[0] < self.stale_for:
            return entry[1]
        self.asking.add(subject)
        try:
            if now < self.not_before:
                raise _RecentlyFailed()
            self.asks += 1
            state = TokenState.of(self.ask(subject))
        except Exception as error:
            if not isinstance(error, _RecentlyFailed):
                self.not_before = self.clock() + RETRY_AFTER_FAILURE
                log.warning("token state: registration not reachable (%s)",
                            type(error).__name__)
            if entry is not None and now - entry[0] < self.stale_for:
                return entry[1]  # the answer of a moment ago will do meanwhile
            raise GrpcError(code=StatusCode.UNAVAILABLE,
                            message="The access token cannot be checked right now; "
                                    "try again.") from None
        finally:
            self.asking.discard(subject)
        if len(self.entries) >= CACHE_MAX_ENTRIES:
            self._evict(now)
        self.entries[subject] = (now, state)
        return state

    def _refresh(self, subject: str) -> None:
        """Ask about ``subject`` again, in the background (``refresh``)."""
        try:
            self.asks += 1
            state = TokenState.of(self.ask(subject))
        except Exception as error:  # noqa: BLE001 - the entry ages out and is asked for then
            self.not_before = self.clock() + RETRY_AFTER_FAILURE
            log.warning("token state: registration not reachable (%s)", type(error).__name__)
            return
        finally:
            self.asking.discard(subject)
        self.entries[subject] = (self.clock(), state)

    def _evict(self, now: float) -> None:
        for subject, (at, _) in list(self.entries.items()):
            if now - at >= self.fresh_for:
                del self.entries[subject]
        if len(self.entries) >= CACHE_MAX_ENTRIES:
            self.entries.clear()

    def check(self, identity: Identity) -> None:
        """Raise NotAuthenticated unless the token of ``identity`` is still good."""
        reason = refusal(identity, self.state(identity.account_id))
        if reason is not None:
            raise NotAuthenticated(reason)


class RegistrationAsker:
    """Asks registration over one kept connection (HTTP/2 carries concurrent asks side by
    side). Any failure drops the connection; the next ask makes a new one. Each ask, the
    connecting included, is bounded by ASK_TIMEOUT_SECONDS (an eventlet timeout in a green
    process, which also ends a wait for a connection that died)."""

    def __init__(self) -> None:
        self.client = None
        self.proxy = None
        self.lock = threading.Lock()

    def _connected(self):
        import identity_pb2_grpc
        with self.lock:
            if self.proxy is None:
                target = config.grpc_target("registration")
                if _green():
                    from nameko_grpc.client import Client
                    client = Client(target, identity_pb2_grpc.TokenStatesStub)
                    self.proxy, self.client = client.start(), client.stop
                else:
                    # A process of plain threads (assessment's attempt server): grpcio's own
                    # channel. nameko-grpc's client there watched each call's deadline in a
                    # thread polling every millisecond (issue 8: 60% of that process's CPU).
                    import grpc
                    channel = grpc.insecure_channel(urlsplit(target).netloc)
                    self.proxy = identity_pb2_grpc.TokenStatesStub(channel)
                    self.client = channel.close
            return self.proxy

    def _drop(self) -> None:
        with self.lock:
            close, self.client, self.proxy = self.client, None, None
        if close is not None:
            try:
                close()
            except Exception:  # noqa: BLE001 - a broken connection may fail to stop
                log.debug("token state: closing the registration connection failed")

    def __call__(self, subject: str) -> dict:
        import identity_pb2

        timer = _timeout(ASK_TIMEOUT_SECONDS)
        try:
            reply = self._connected().GetTokenState(
                identity_pb2.TokenStateRequest(subject=subject), timeout=ASK_TIMEOUT_SECONDS)
        except BaseException:
            self._drop()
            raise
        finally:
            if timer is not None:
                timer.cancel()
        return {"found": reply.found, "active": reply.active, "role": reply.role,
                "satker_code": reply.satker_code if reply.HasField("satker_code") else None,
                "token_version": reply.token_version}


def _green() -> bool:
    """This process runs under eventlet (a nameko service), not on plain threads."""
    try:
        from eventlet import patcher
    except ImportError:  # pragma: no cover - eventlet is always installed here
        return False
    return patcher.is_monkey_patched("thread")


def _timeout(seconds: float):
    """An eventlet timeout around the whole ask (connecting included) in a green process."""
    if not _green():
        return None
    from eventlet import Timeout
    return Timeout(seconds, TimeoutError("registration did not answer in time"))


_lock = threading.Lock()
_remote: TokenStates | None = None


def for_service(service) -> TokenStates:
    """The cache a service instance checks tokens with: its own database's answers when the
    service keeps the state (``token_state_of``), registration's otherwise. One per service
    class and process."""
    global _remote
    local = getattr(type(service), "token_state_of", None)
    if local is not None:
        states = type(service).__dict__.get("_token_states")
        if states is None:
            states = TokenStates(lambda subject: {})
            type(service)._token_states = states
        states.ask = lambda subject: local(service, subject)  # this worker's dependencies
        return states
    with _lock:
        if _remote is None:
            # Background asks on a few threads of their own (green ones in a nameko service).
            refresher = ThreadPoolExecutor(max_workers=2, thread_name_prefix="token-state")
            _remote = TokenStates(RegistrationAsker(), refresh=refresher.submit)
        return _remote
