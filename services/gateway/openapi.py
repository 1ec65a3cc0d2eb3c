"""The OpenAPI 3 document, generated from the route registry and the same marshmallow schemas
that validate requests (apispec's marshmallow plugin)."""
from __future__ import annotations

import functools
import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from services.gateway.schemas.base import Problem
from services.gateway.web import IDEMPOTENCY_KEY_MAX, ROUTES, RouteSpec
from services.shared.contracts.errors import (
    DomainError,
    InvalidInput,
    Malformed,
    NotAuthenticated,
    NotPermitted,
    TooLarge,
    UnsupportedContent,
)
from services.shared.platform.problems import STATUS_OF

_SUCCESS_TEXT = {200: "OK", 201: "Created"}
# The refusals a route may answer by its shape alone; their statuses come from the one table.
_REFUSAL_TEXT: dict[type[DomainError], str] = {
    Malformed: "Malformed body", NotAuthenticated: "No or bad token",
    NotPermitted: "Not allowed", TooLarge: "Too large",
    UnsupportedContent: "Unsupported media type", InvalidInput: "Well-formed but invalid"}


def _operation(route: RouteSpec) -> dict:
    responses = {}
    for status, schema in route.responses.items():
        response = {"description": _SUCCESS_TEXT.get(status, str(status))}
        if schema is not None:
            response["content"] = {"application/json": {"schema": schema}}
        responses[str(status)] = response
    refusals = [Malformed, InvalidInput] if (route.body or route.query) else []
    refusals += [] if route.public else [NotAuthenticated, NotPermitted]
    refusals += [TooLarge, UnsupportedContent] if route.upload else []
    for kind in refusals:
        responses.setdefault(str(STATUS_OF[kind].http), {
            "description": _REFUSAL_TEXT[kind],
            "content": {"application/problem+json": {"schema": Problem}}})
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
                           "schema": {"type": "string", "maxLength": IDEMPOTENCY_KEY_MAX},
                           "description": description})
    if parameters:
        operation["parameters"] = parameters
    if route.body is not None:
        operation["requestBody"] = {"required": False,
                                    "content": {"application/json": {"schema": route.body}}}
    if route.upload:
        operation["requestBody"] = {"required": True, "content": {
            media: {"schema": {"type": "string", "format": "binary"}} for media in route.upload}}
    if not route.public:
        operation["security"] = [{"bearer": []}]
    return operation


@functools.cache
def openapi_document() -> dict:
    spec = APISpec(title="SOBAT BPS: recruitment of mitra statistik and pembinaan",
                   version="1.0.0", openapi_version="3.0.3", plugins=[MarshmallowPlugin()])
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer",
                                               "bearerFormat": "JWT"})
    operations: dict[str, dict] = {}
    for route in ROUTES:
        operations.setdefault(route.openapi_path, {})[route.method.lower()] = _operation(route)
    for path, path_operations in operations.items():
        spec.path(path=path, operations=path_operations)
    return spec.to_dict()
