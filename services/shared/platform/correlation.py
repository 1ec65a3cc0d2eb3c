"""The correlation id: one id per piece of work, carried from the HTTP request through the
gRPC metadata, the outbox envelope and the AMQP message headers to the consumer, and written
on every JSON log line (``logs.JsonFormatter``) as ``correlation_id``.

The gateway takes the client's ``X-Request-ID`` (or ``X-Correlation-ID``) when it is printable
ASCII of at most ``MAX_LENGTH`` characters, and makes one (a UUID4) otherwise; it answers with
it in ``X-Request-ID``. A service's ``rpc`` wrapper binds the id in the call's metadata, the
outbox envelope takes the bound id, the relay sends it as the message header
``x-correlation-id``, and the consumer binds the envelope's id while it handles the event.
Work that no request caused (a timer, a relay's round) binds an id of its own.

The id lives in a ``ContextVar``: each eventlet greenthread (a nameko worker) and each thread
starts with none bound, so one call's id never leaks into another's log lines.
"""
from __future__ import annotations

import contextvars
import functools
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

HTTP_HEADERS = ("X-Request-ID", "X-Correlation-ID")  # read in this order
RESPONSE_HEADER = "X-Request-ID"
METADATA_KEY = "x-correlation-id"  # gRPC metadata (lower-case, as HTTP/2 wants)
MESSAGE_HEADER = "x-correlation-id"  # AMQP message header set by the relay
MAX_LENGTH = 128
_VALID = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?")  # printable, no edge spaces

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "correlation_id", default=None)


def new_id() -> str:
    return str(uuid.uuid4())


def valid(value) -> bool:
    return (isinstance(value, str) and 0 < len(value) <= MAX_LENGTH
            and _VALID.fullmatch(value) is not None)


def accept(value) -> str:
    """``value`` when it is a usable correlation id, else a new one."""
    return value if valid(value) else new_id()


def current() -> str | None:
    """The id bound to this greenthread or thread, if any."""
    return _current.get()


@contextmanager
def bound(value: str | None = None) -> Iterator[str]:
    """Bind ``value`` (a new id when it is missing or unusable) for the block."""
    value = accept(value)
    token = _current.set(value)
    try:
        yield value
    finally:
        _current.reset(token)


def bind(value: str) -> None:
    """Bind ``value`` until the next ``bind`` in this greenthread (the gateway's connection
    greenthread, so that the access line written after the answer carries the id)."""
    _current.set(value)


def from_http_headers(headers) -> str:
    """The id a client sent (``X-Request-ID`` or ``X-Correlation-ID``), or a new one."""
    for name in HTTP_HEADERS:
        value = headers.get(name)
        if value is not None:
            return accept(value)
    return new_id()


def from_metadata(metadata: dict) -> str:
    """The id in a call's gRPC metadata (names lower-case), or a new one."""
    return accept(metadata.get(METADATA_KEY))


def from_message(headers: dict | None, body) -> str:
    """The id of an event message: its header, else its envelope's, else a new one."""
    value = (headers or {}).get(MESSAGE_HEADER)
    if not valid(value) and isinstance(body, dict):
        value = body.get("correlation_id")
    return accept(value)


def correlated(function):
    """A timer's run under an id of its own, so its log lines and the events it records
    (``make_envelope`` takes the bound id) can be followed like a request's."""
    @functools.wraps(function)
    def run(*args, **kwargs):
        with bound():
            return function(*args, **kwargs)
    return run
