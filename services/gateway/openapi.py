"""The OpenAPI 3 document, generated from the route registry and the same marshmallow schemas
that validate requests (apispec's marshmallow plugin).

It says what the gateway does: integer bounds (from the fields' ranges), the text rule of
every request field (``TEXT_PATTERN``), a body that has required fields is a required body,
and each route lists the refusals its shape can bring (a role -> 401/403, a path parameter ->
404, a write -> 409, a body or query -> 400/422, a body or an upload -> 413/415).
Schemathesis checks the document against the running system
(tests/e2e/test_schemathesis.py)."""
from __future__ import annotations

import functools
import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import fields

from services.gateway.schemas.base import TEXT_PATTERN, Problem
from services.gateway.web import IDEMPOTENCY_KEY_MAX, IDEMPOTENCY_KEY_PATTERN, ROUTES, RouteSpec
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
from services.shared.platform.problems import STATUS_OF

_SUCCESS_TEXT = {200: "OK", 201: "Created"}
# The refusals a route may answer by its shape alone; their statuses come from the one table.
_REFUSAL_TEXT: dict[type[DomainError], str] = {
    Malformed: "Malformed body", NotAuthenticated: "No or bad token",
    NotPermitted: "Not allowed", NotFound: "No such resource (or not yours to see)",
    Conflict: "Conflicts with the current state", TooLarge: "Too large",
    UnsupportedContent: "Unsupported media type", InvalidInput: "Well-formed but invalid"}


def _refusals(route: RouteSpec) -> list[type[DomainError]]:
    """The refusals a route may answer by its shape alone (RouteSpec)."""
    refusals: list[type[DomainError]] = []
    if route.body is not None:
        refusals.append(Malformed)
    if route.body is not None or route.query is not None or route.upload or route.writes:
        refusals.append(InvalidInput)  # a field, or the Idempotency-Key header
    if not route.public or route.roles is not None:
        refusals += [NotAuthenticated, NotPermitted]
    if "{" in route.openapi_path:
        refusals.append(NotFound)
    if route.writes:
        refusals.append(Conflict)
    if route.upload or route.body is not None:  # a JSON body too: over 1 MB, not JSON
        refusals += [TooLarge, UnsupportedContent]
    return refusals


def _text_rule(converter, field, **kwargs) -> dict:
    """apispec attribute function: a request's plain text field says the text rule (no control
    characters but tab and newline); a field with its own pattern or enum says more already.
    Answers (``...Out``) and the problem are the gateway's own text: no rule is promised."""
    schema_name = type(field.parent).__name__ if field.parent is not None else ""
    if (not isinstance(field, fields.String) or schema_name.endswith("Out")
            or schema_name == "Problem"
            or any(hasattr(v, "regex") or hasattr(v, "choices") for v in field.validators)):
        return {}
    return {"pattern": TEXT_PATTERN}


def _operation(route: RouteSpec) -> dict:
    responses = {}
    for status, schema in route.responses.items():
        response = {"description": _SUCCESS_TEXT.get(status, str(status))}
        if schema is not None:
            response["content"] = {"application/json": {"schema": schema}}
        responses[str(status)] = response
    for kind in _refusals(route):
        responses.setdefault(str(STATUS_OF[kind].http), {
            "description": _REFUSAL_TEXT[kind],
            "content": {"application/problem+json": {"schema": Problem}}})
    if route.limit:  # services/gateway/limits.py
        responses["429"] = {
            "description": "Rate limited: try again after Retry-After seconds",
            "headers": {"Retry-After": {"schema": {"type": "integer", "minimum": 1}}},
            "content": {"application/problem+json": {"schema": Problem}}}
    responses["default"] = {"description": "Any other problem",
                            "content": {"application/problem+json": {"schema": Problem}}}
    operation_id = route.method.lower() + "_" + re.sub(r"\W+", "_", route.openapi_path).strip("_")
    operation = {"summary": route.summary, "tags": [route.tag], "responses": responses,
                 "operationId": operation_id}
    parameters = [{"in": "path", "name": name, "required": True, "schema": {"type": "string"}}
                  for name in re.findall(r"\{(\w+)\}", route.openapi_path)]
    if route.query is not None:
        parameters.append({"in": "query", "schema": route.query})
    if route.writes:
        description = "A repeat with the same key returns the first result instead of acting twice"
        if route.derive_key:
            description += ("; without one, the same caller sending the same body again "
                            "gets the first result too")
        parameters.append({"in": "header", "name": "Idempotency-Key", "required": False,
                           "schema": {"type": "string", "maxLength": IDEMPOTENCY_KEY_MAX,
                                      "pattern": IDEMPOTENCY_KEY_PATTERN},
                           "description": description})
    if parameters:
        operation["parameters"] = parameters
    if route.body is not None:
        # An empty body is read as {}: a body is required when its schema has a required field.
        required = any(f.required for f in route.body().fields.values())
        operation["requestBody"] = {"required": required,
                                    "content": {"application/json": {"schema": route.body}}}
    if route.upload:
        operation["requestBody"] = {"required": True, "content": {
            media: {"schema": {"type": "string", "format": "binary"}} for media in route.upload}}
    if not route.public:
        operation["security"] = [{"bearer": []}]
    return operation


@functools.cache
def openapi_document() -> dict:
    marshmallow = MarshmallowPlugin()
    spec = APISpec(title="SOBAT BPS: recruitment of mitra statistik and pembinaan",
                   version="1.0.0", openapi_version="3.0.3", plugins=[marshmallow])
    marshmallow.converter.add_attribute_function(_text_rule)
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer",
                                               "bearerFormat": "JWT"})
    operations: dict[str, dict] = {}
    for route in ROUTES:
        operations.setdefault(route.openapi_path, {})[route.method.lower()] = _operation(route)
    for path, path_operations in operations.items():
        spec.path(path=path, operations=path_operations)
    return spec.to_dict()
