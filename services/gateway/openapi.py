"""The OpenAPI 3 document, generated from the route registry and the same marshmallow schemas
that validate requests (apispec's marshmallow plugin)."""
from __future__ import annotations

import functools
import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from services.gateway.schemas import Problem
from services.gateway.web import ROUTES, RouteSpec

_STATUS_TEXT = {200: "OK", 201: "Created", 400: "Malformed body", 401: "No or bad token",
                403: "Not allowed", 404: "Unknown id", 409: "Conflicts with current state",
                413: "Too large", 415: "Unsupported media type",
                422: "Well-formed but invalid", 503: "A backing service is unavailable"}
UPLOAD_TYPES = ("image/jpeg", "image/png", "application/pdf")


def _operation(route: RouteSpec) -> dict:
    responses = {}
    for status, schema in route.responses.items():
        response = {"description": _STATUS_TEXT.get(status, str(status))}
        if schema is not None:
            response["content"] = {"application/json": {"schema": schema}}
        responses[str(status)] = response
    problems = [400, 422] if (route.body or route.query) else []
    problems += [] if route.public else [401, 403]
    problems += [413, 415] if route.upload else []
    for status in problems:
        responses.setdefault(str(status), {
            "description": _STATUS_TEXT[status],
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
    if route.idempotent:
        parameters.append({"in": "header", "name": "Idempotency-Key", "required": False,
                           "schema": {"type": "string", "maxLength": 200},
                           "description": "A repeat with the same key returns the first result"})
    if parameters:
        operation["parameters"] = parameters
    if route.body is not None:
        operation["requestBody"] = {"required": False,
                                    "content": {"application/json": {"schema": route.body}}}
    if route.upload:
        operation["requestBody"] = {"required": True, "content": {
            media: {"schema": {"type": "string", "format": "binary"}} for media in UPLOAD_TYPES}}
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
