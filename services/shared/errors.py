"""Problem errors shared by every service.

A domain rule that refuses something raises one of these. The gRPC entrypoint wrapper turns
it into a gRPC status whose message carries the problem as JSON; the gateway turns that back
into an ``application/problem+json`` response with the same HTTP status. One class per HTTP
status of API.md, so a reader knows what a caller will see.
"""
from __future__ import annotations

import json

from grpc import StatusCode


class ProblemError(Exception):
    """Base class: a refusal the caller can act on (never a server fault)."""

    status = 400
    title = "Bad Request"
    grpc_code = StatusCode.INVALID_ARGUMENT

    def __init__(self, detail: str = "", errors: dict | None = None):
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors or None

    def to_problem(self) -> dict:
        problem = {
            "type": "about:blank",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if self.errors:
            problem["errors"] = self.errors
        return problem

    def to_json(self) -> str:
        return json.dumps(self.to_problem(), ensure_ascii=False)


class BadRequest(ProblemError):
    status, title, grpc_code = 400, "Bad Request", StatusCode.INVALID_ARGUMENT


class Unauthenticated(ProblemError):
    status, title, grpc_code = 401, "Unauthorized", StatusCode.UNAUTHENTICATED


class Forbidden(ProblemError):
    status, title, grpc_code = 403, "Forbidden", StatusCode.PERMISSION_DENIED


class NotFound(ProblemError):
    status, title, grpc_code = 404, "Not Found", StatusCode.NOT_FOUND


class Conflict(ProblemError):
    status, title, grpc_code = 409, "Conflict", StatusCode.FAILED_PRECONDITION


class PayloadTooLarge(ProblemError):
    status, title, grpc_code = 413, "Payload Too Large", StatusCode.OUT_OF_RANGE


class UnsupportedMediaType(ProblemError):
    status, title, grpc_code = 415, "Unsupported Media Type", StatusCode.INVALID_ARGUMENT


class InvalidInput(ProblemError):
    """Well-formed but invalid: ``errors`` maps each field to its messages."""

    status, title, grpc_code = 422, "Unprocessable Entity", StatusCode.INVALID_ARGUMENT

    def __init__(self, errors: dict, detail: str = "The request is not valid."):
        super().__init__(detail, errors)


class TooManyRequests(ProblemError):
    status, title, grpc_code = 429, "Too Many Requests", StatusCode.RESOURCE_EXHAUSTED


_BY_STATUS = {cls.status: cls for cls in (
    BadRequest, Unauthenticated, Forbidden, NotFound, Conflict, PayloadTooLarge,
    UnsupportedMediaType, InvalidInput, TooManyRequests,
)}


def problem_from_json(text: str) -> ProblemError | None:
    """Rebuild a ProblemError from the JSON a service put in its gRPC status message."""
    try:
        data = json.loads(text)
        cls = _BY_STATUS[int(data["status"])]
    except (ValueError, TypeError, KeyError):
        return None
    error = ProblemError.__new__(cls)
    ProblemError.__init__(error, data.get("detail", ""), data.get("errors"))
    return error
