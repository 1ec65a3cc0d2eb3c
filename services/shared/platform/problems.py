"""The one table from a domain error to its gRPC status and its HTTP problem response.

The ``rpc`` wrapper sends a refusal as a gRPC status whose message is the problem JSON; the
gateway reads that JSON back into the same kind of domain error and answers with the HTTP
status this table gives it. The gateway's own refusals (a body that is not JSON, a missing
token) are domain errors too and answer through the same table.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from grpc import StatusCode

from services.shared.contracts.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    Malformed,
    NotAuthenticated,
    NotFound,
    NotPermitted,
    TooLarge,
    UnsupportedContent,
)


@dataclass(frozen=True)
class Status:
    grpc: StatusCode
    http: int
    title: str


STATUS_OF: dict[type[DomainError], Status] = {
    Malformed: Status(StatusCode.INVALID_ARGUMENT, 400, "Bad Request"),
    NotAuthenticated: Status(StatusCode.UNAUTHENTICATED, 401, "Unauthorized"),
    NotPermitted: Status(StatusCode.PERMISSION_DENIED, 403, "Forbidden"),
    NotFound: Status(StatusCode.NOT_FOUND, 404, "Not Found"),
    Conflict: Status(StatusCode.FAILED_PRECONDITION, 409, "Conflict"),
    TooLarge: Status(StatusCode.OUT_OF_RANGE, 413, "Payload Too Large"),
    UnsupportedContent: Status(StatusCode.INVALID_ARGUMENT, 415, "Unsupported Media Type"),
    InvalidInput: Status(StatusCode.INVALID_ARGUMENT, 422, "Unprocessable Entity"),
}
_KIND_OF_HTTP = {status.http: kind for kind, status in STATUS_OF.items()}


def status_of(error: DomainError) -> Status:
    for kind in type(error).__mro__:
        if kind in STATUS_OF:
            return STATUS_OF[kind]
    raise LookupError(f"{type(error).__name__} is no kind of refusal in STATUS_OF")


def problem(error: DomainError) -> dict:
    """The ``application/problem+json`` body of a refusal."""
    status = status_of(error)
    body = {"type": "about:blank", "title": status.title, "status": status.http,
            "detail": error.detail, "code": error.code()}
    if error.errors:
        body["errors"] = error.errors
    return body


def to_json(error: DomainError) -> str:
    return json.dumps(problem(error), ensure_ascii=False)


class RemoteRefusal(DomainError):
    """A refusal read back from a service's problem JSON: its kind, detail, errors and
    code travel; its class (a name of the other service's domain) does not."""

    remote_code = "refused"

    def code(self) -> str:  # type: ignore[override]
        return self.remote_code


def from_json(text: str) -> DomainError | None:
    """The refusal a service put in its gRPC status message, or None if it is none."""
    try:
        data = json.loads(text)
        kind = _KIND_OF_HTTP[int(data["status"])]
    except (ValueError, TypeError, KeyError):
        return None
    refusal_class = type(f"Remote{kind.__name__}", (RemoteRefusal, kind), {})
    error = DomainError.__new__(refusal_class)
    DomainError.__init__(error, data.get("detail"), data.get("errors"))
    error.remote_code = str(data.get("code") or kind.code())
    return error
