"""The gateway's HTTP plumbing: the ``route`` decorator (auth, body limits, validation,
problem+json errors, metrics) and the registry the OpenAPI document is built from.

A route handler receives a ``Call`` with the caller's identity, the validated body and query,
and the metadata to forward over gRPC; it returns ``(status, payload)``. Everything a client
can get wrong ends as a 4xx problem here, before any service is called. A refusal, the
gateway's own or a service's, is a domain error answered through the one status table
(``services.shared.platform.problems``); only failures (no such method, a service down or
broken) are answered as ``failure`` problems.

A write route declared with ``derive_key`` gets an ``Idempotency-Key`` made by the gateway
when the client sent none (a keyed hash of the caller, the path and the validated body): a
client that retries after a 503 or a lost answer gets the first result instead of acting
twice. Only routes where the same caller sending the same body twice can only mean the same
thing are declared so (see ``derived_idempotency_key``).

Every answer carries ``X-Request-ID``: the correlation id the client sent (``X-Request-ID`` or
``X-Correlation-ID``, printable ASCII up to 128 characters) or one made here. A route binds it
for its log lines; every gRPC call made while it is bound carries it in its metadata
(``x-correlation-id``: services/gateway/clients.py).

``/healthz`` is answered before any nameko worker is taken (``worker_free``): liveness must
not wait behind busy workers.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import eventlet
import marshmallow as ma
from grpc import StatusCode
from nameko.web.handlers import HttpRequestHandler
from nameko_grpc.errors import GrpcError
from prometheus_client import Counter, Histogram
from werkzeug.exceptions import ClientDisconnected
from werkzeug.wrappers import Request, Response

from services.gateway import limits
from services.gateway.http_server import BodyTimeout, GuardedWebServer, close_after
from services.gateway.schemas.base import FORBIDDEN_TEXT
from services.shared.contracts.errors import (
    DomainError,
    InvalidInput,
    Malformed,
    NotAuthenticated,
    NotFound,
    NotPermitted,
    TooLarge,
    UnsupportedContent,
)
from services.shared.contracts.identity import SERVICE
from services.shared.platform import config, correlation, problems
from services.shared.platform.identity import Identity, bearer_token, decode_token

log = logging.getLogger(__name__)

JSON_MAX_BYTES = 1024 * 1024
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
IDEMPOTENCY_KEY_MAX = 200
IDEMPOTENCY_KEY_PATTERN = "^[\\x20-\\x7e]*$"  # printable ASCII: it travels as gRPC metadata
JSON_MAX_DEPTH = 32  # deeper nesting -> 400, found before json.loads would recurse into it
# A whole string (skipped: brackets in it do not count), a bracket, or a quote that starts a
# string never closed (the rest is no JSON: the scan stops there, so it stays linear).
_JSON_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]|"', re.DOTALL)
# A body announced over the limit is answered 413 at once, unread. Up to this much, the
# server then reads (and drops) the rest, so a client still sending sees the answer, not a
# reset connection; beyond it, or when the body did not announce its length, the connection
# is closed after the answer.
DRAIN_MAX_BYTES = 64 * 1024 * 1024

REQUESTS = Counter("gateway_http_requests_total", "HTTP requests by route and status",
                   ["method", "route", "status"])
LATENCY = Histogram("gateway_http_request_duration_seconds", "HTTP request latency by route",
                    ["method", "route"],
                    buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10))


@dataclass(frozen=True)
class RouteSpec:
    method: str
    path: str
    summary: str
    tag: str
    responses: dict
    body: type[ma.Schema] | None = None
    query: type[ma.Schema] | None = None
    roles: tuple[str, ...] | None = None
    public: bool = False
    # A raw-body route: the media types it takes (the service judges the bytes); () = none.
    upload: tuple[str, ...] = ()
    derive_key: bool = False
    limit: str | None = None  # a kind of services/gateway/limits.py LIMITS: 429 past it

    @property
    def writes(self) -> bool:
        """A write route forwards ``Idempotency-Key``; the service's ``rpc(idempotent=...)``
        alone decides whether a repeat is answered from the first result."""
        return self.method in WRITE_METHODS

    @property
    def openapi_path(self) -> str:
        # werkzeug's "<string:activity_id>" becomes OpenAPI's "{activity_id}"
        parts = []
        for part in self.path.split("/"):
            if part.startswith("<"):
                part = "{" + part.strip("<>").split(":")[-1] + "}"
            parts.append(part)
        return "/".join(parts)


ROUTES: list[RouteSpec] = []

# Answered by the WSGI layer itself, without a nameko worker: path -> fn(server, request).
WORKER_FREE: dict[str, Callable] = {}


def worker_free(path: str):
    """Declare a GET route answered without taking a worker (``fn(web_server, request)``
    returns a Response): a probe must answer while every worker waits on a slow service."""
    def register(fn):
        WORKER_FREE[path] = fn
        return fn
    return register


def _worker_free_routes(app, server):
    def middleware(environ, start_response):
        fn = WORKER_FREE.get(environ.get("PATH_INFO", ""))
        if fn is None or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return app(environ, start_response)
        try:
            response = fn(server, Request(environ))
        except Exception:
            log.exception("%s failed", environ.get("PATH_INFO"))
            response = problem_response(failure(500, "The gateway failed on this request."))
        return response(environ, start_response)
    return middleware


def _unrouted_as_problem(app):
    """WSGI middleware: werkzeug answers an unknown path (404) or method (405) with an HTML
    page; a client of this API gets problem+json like everywhere else."""
    def middleware(environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured.update(status=status, headers=headers)
            content_type = {k.lower(): v for k, v in headers}.get("content-type", "")
            code = int(status.split()[0])
            if code in (404, 405) and content_type.startswith("text/html"):
                captured["replace"] = code
                return lambda data: None
            return start_response(status, headers, exc_info)

        body = app(environ, capture)
        code = captured.get("replace")
        if code is None:
            return body
        if hasattr(body, "close"):
            body.close()
        problem = (problems.problem(NotFound("No such route.")) if code == 404 else
                   failure(405, "This route does not take that method."))
        payload = json.dumps(problem).encode()
        headers = [("Content-Type", "application/problem+json"),
                   ("Content-Length", str(len(payload)))]
        headers += [(k, v) for k, v in captured["headers"] if k.lower() == "allow"]
        start_response(captured["status"], headers)
        return [payload]
    return middleware


def _security_headers(app):
    """WSGI middleware (security review, finding 8): every answer has ``X-Content-Type-Options:
    nosniff``; every answer to a signed-in request (personal data, or a refusal about it) and
    every file has ``Cache-Control: no-store``; a file is a download (``attachment``) under
    ``Content-Security-Policy: sandbox``, never a page of this origin."""
    def middleware(environ, start_response):
        def start(status, headers, exc_info=None):
            names = {name.lower(): value for name, value in headers}
            disposition = names.get("content-disposition")
            headers = [(name, value) for name, value in headers
                       if name.lower() not in ("x-content-type-options", "server")]
            headers.append(("X-Content-Type-Options", "nosniff"))
            if disposition is not None:
                headers = [(n, v) for n, v in headers if n.lower() != "content-disposition"]
                headers.append(("Content-Disposition",
                                re.sub(r"^\s*inline", "attachment", disposition)))
                headers.append(("Content-Security-Policy", "sandbox; default-src 'none'"))
            if (environ.get("HTTP_AUTHORIZATION") or disposition is not None) \
                    and "no-store" not in names.get("cache-control", ""):
                headers = [(n, v) for n, v in headers if n.lower() != "cache-control"]
                headers.append(("Cache-Control", "no-store"))
            return start_response(status, headers, exc_info)
        return app(environ, start)
    return middleware


CORRELATION_ENVIRON = "bps.correlation_id"


def _request_id(app):
    """WSGI middleware: the request's correlation id (the client's, if usable, else a new one)
    in the environ for the route, and in ``X-Request-ID`` on every answer."""
    def middleware(environ, start_response):
        value = None
        for name in correlation.HTTP_HEADERS:
            value = environ.get("HTTP_" + name.upper().replace("-", "_"))
            if value is not None:
                break
        value = environ[CORRELATION_ENVIRON] = correlation.accept(value)
        correlation.bind(value)  # this connection's greenthread: its access line, say

        def start(status, headers, exc_info=None):
            headers = [(n, v) for n, v in headers
                       if n.lower() != correlation.RESPONSE_HEADER.lower()]
            headers.append((correlation.RESPONSE_HEADER, value))
            return start_response(status, headers, exc_info)
        return app(environ, start)
    return middleware


def request_correlation_id(request: Request) -> str:
    return (request.environ.get(CORRELATION_ENVIRON)
            or correlation.from_http_headers(request.headers))


def with_common_headers(app):
    """``app`` answering with ``X-Request-ID`` and the security headers: both gateways
    (this one, and attempt_gateway.py) wrap their app in it."""
    return _request_id(_security_headers(app))


class ProblemWebServer(GuardedWebServer):
    def get_wsgi_app(self):
        return with_common_headers(
            _worker_free_routes(_unrouted_as_problem(super().get_wsgi_app()), self))


class ProblemHttpRequestHandler(HttpRequestHandler):
    server = ProblemWebServer()


http = ProblemHttpRequestHandler.decorator


@dataclass
class Call:
    request: Request
    path_args: dict
    identity: Identity | None = None
    body: dict | bytes | None = None
    query: dict = field(default_factory=dict)
    metadata: list = field(default_factory=list)


# Answers that refuse nothing the client sent: the method does not exist on the route, or the
# gateway or a service failed. Refusals go through ``problems.problem`` instead.
_FAILURES = {405: ("Method Not Allowed", "method_not_allowed"),
             408: ("Request Timeout", "request_timeout"),
             500: ("Internal Server Error", "internal_error"),
             503: ("Service Unavailable", "unavailable")}


def failure(status: int, detail: str) -> dict:
    title, code = _FAILURES[status]
    return {"type": "about:blank", "title": title, "status": status, "detail": detail,
            "code": code}


def problem_from_grpc_error(error: GrpcError) -> DomainError | dict:
    """A service's refusal as the domain error it sent, else the failure to answer with."""
    refusal = problems.from_json(error.message or "")
    if refusal is not None:
        return refusal
    if error.code in (StatusCode.UNAVAILABLE, StatusCode.RESOURCE_EXHAUSTED):
        return failure(503, "A backing service is not reachable right now; try again.")
    if error.code == StatusCode.DEADLINE_EXCEEDED:
        return failure(503, "A backing service did not answer in time; try again.")
    return failure(500, "A backing service failed to handle this request.")


def _json_text(payload) -> str:
    text = json.dumps(payload, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate quoted back (a field name): escape it
        text = json.dumps(payload)
    return text


def problem_response(problem: dict, headers: dict | None = None) -> Response:
    return Response(_json_text(problem), status=problem["status"],
                    content_type="application/problem+json", headers=headers)


def refusal_response(refusal: DomainError) -> Response:
    challenge = {"WWW-Authenticate": "Bearer"} if isinstance(refusal, NotAuthenticated) else None
    return problem_response(problems.problem(refusal), challenge)


def json_response(status: int, payload) -> Response:
    return Response(_json_text(payload), status=status,
                    content_type="application/json; charset=utf-8")


class BodyNotSent(Exception):
    """The client stopped sending the body it announced (the body deadline passed, a read
    waited past the idle timeout, or the connection dropped)."""


def read_body(request: Request, limit: int) -> bytes:
    length = request.content_length
    if length is not None and length > limit:
        if length > DRAIN_MAX_BYTES:
            close_after(request)
        raise TooLarge(f"The body is larger than the limit of {limit} bytes.")
    try:
        with _body_deadline():
            data = request.stream.read(limit + 1)
    except (BodyTimeout, OSError, ClientDisconnected):
        close_after(request)
        raise BodyNotSent() from None
    if len(data) > limit:  # no length announced (chunked): never read the rest
        close_after(request)
        raise TooLarge(f"The body is larger than the limit of {limit} bytes.")
    if length is not None and len(data) < length:
        close_after(request)
        raise BodyNotSent()
    return data


def _body_deadline():
    """The whole body's deadline in the green gateway (eventlet's server hands the app a body
    still arriving). A plain thread's read cannot be cut short: the attempt gateway (granian)
    relies on the Ingress reading each body whole before passing it on (deploy/)."""
    if not eventlet.patcher.is_monkey_patched("socket"):
        return contextlib.nullcontext()
    return eventlet.Timeout(config.http_limits().body_timeout_seconds, BodyTimeout)


def _media_type(request: Request) -> str:
    return (request.headers.get("Content-Type") or "").split(";")[0].strip().lower()


def load_json_body(request: Request, schema: type[ma.Schema]) -> dict:
    raw = read_body(request, JSON_MAX_BYTES)
    if not raw.strip():
        data = {}
    else:
        media_type = _media_type(request)
        if media_type and media_type != "application/json" and not media_type.endswith("+json"):
            raise UnsupportedContent("Send the body as application/json.")
        if json_depth(raw) > JSON_MAX_DEPTH:
            raise Malformed(f"The body nests deeper than {JSON_MAX_DEPTH} levels.")
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise Malformed("The body is not valid JSON.") from None
    return load(schema, data)


def json_depth(raw: bytes) -> int:
    """How deep the arrays and objects of a JSON text nest (brackets inside strings do not
    count; 0 when there are too few brackets to nest deeper than the limit); a scan that never
    recurses, so a 100,000-deep body costs little."""
    if raw.count(b"[") + raw.count(b"{") <= JSON_MAX_DEPTH:
        return 0
    depth = deepest = 0
    for token in _JSON_TOKEN.finditer(raw):
        first = token.group()[:1]
        if first in (b"[", b"{"):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > JSON_MAX_DEPTH:
                    break
        elif first in (b"]", b"}"):
            depth -= 1
        elif len(token.group()) == 1:  # an unterminated string
            break
    return deepest


# One instance per schema, made at its first use: making one binds every field anew, which
# cost more than the load itself (issue 8: ~0.1 ms a request). A schema keeps no state
# between loads (marshmallow 4 has no context), so one instance serves every request.
_SCHEMAS: dict[type[ma.Schema], ma.Schema] = {}


def load(schema: type[ma.Schema], data) -> dict:
    instance = _SCHEMAS.get(schema)
    if instance is None:
        instance = _SCHEMAS[schema] = schema()
    try:
        return instance.load(data)
    except ma.ValidationError as error:
        messages = error.messages
        if not isinstance(messages, dict):
            messages = {"_schema": messages}
        raise InvalidInput(messages) from None


def derived_idempotency_key(spec: RouteSpec, call: Call) -> str:
    """The key of a request the client sent without one: the same caller sending the same
    body to the same path gets the same key. Keyed (the body of a sign-up holds a password,
    and the key is stored by the service), and prefixed so it never meets a client's."""
    material = json.dumps({"caller": call.identity.account_id if call.identity else None,
                           "route": f"{spec.method} {call.request.path}", "body": call.body},
                          sort_keys=True, ensure_ascii=False, default=str).encode()
    secret = hashlib.sha256(b"derived-idempotency-key:" + config.jwt_secret().encode()).digest()
    return "derived-" + hmac.new(secret, material, hashlib.sha256).hexdigest()


def authenticate(request: Request) -> tuple[Identity | None, str | None]:
    token = bearer_token(request.headers.get("Authorization"))
    return (decode_token(token), token) if token else (None, None)


def route(method: str, path: str, *, summary: str, tag: str, responses: dict,
          body: type[ma.Schema] | None = None, query: type[ma.Schema] | None = None,
          roles: tuple[str, ...] | None = None, public: bool = False,
          upload: tuple[str, ...] = (),
          derive_key: bool = False, limit: str | None = None):
    spec = RouteSpec(method, path, summary, tag, responses, body, query, roles, public, upload,
                     derive_key, limit)
    ROUTES.append(spec)

    def decorator(fn):
        @functools.wraps(fn)
        def handler(self, request: Request, **path_args):
            return answer(self, fn, spec, request, path_args)
        handler.route_spec = spec
        return http(method, path)(handler)
    return decorator


def answer(backends, fn, spec: RouteSpec, request: Request, path_args: dict) -> Response:
    """One request to one route, with ``backends`` giving the routes' service clients: the
    nameko gateway's worker, or the attempt gateway's grpcio clients (attempt_gateway.py)."""
    started = time.perf_counter()
    with correlation.bound(request_correlation_id(request)):
        response = _handle(backends, fn, spec, request, path_args)
    LATENCY.labels(spec.method, spec.path).observe(time.perf_counter() - started)
    REQUESTS.labels(spec.method, spec.path, str(response.status_code)).inc()
    return response


def _handle(service, fn, spec: RouteSpec, request: Request, path_args: dict) -> Response:
    try:
        call = Call(request=request, path_args=path_args)
        call.identity, token = authenticate(request)
        if call.identity is None and not spec.public:
            raise NotAuthenticated("Sign in first: send 'Authorization: Bearer <access_token>'.")
        if call.identity is not None and call.identity.role == SERVICE:
            # A service token is another satker's system's key to the gRPC API
            # (MitraDirectory), not an account: no HTTP route is for it.
            raise NotPermitted("A service token is for the gRPC API, not for HTTP routes.")
        if spec.roles is not None and call.identity is not None \
                and call.identity.role not in spec.roles:
            raise NotPermitted("Your role may not do this.")
        if any(FORBIDDEN_TEXT.search(value) for value in path_args.values()
               if isinstance(value, str)):
            raise NotFound("No such resource.")  # no id holds a control character
        if token:
            call.metadata.append(("authorization", f"Bearer {token}"))
        key = request.headers.get("Idempotency-Key")
        if spec.writes and key:
            if len(key) > IDEMPOTENCY_KEY_MAX:
                raise InvalidInput({"Idempotency-Key": [
                    f"Use at most {IDEMPOTENCY_KEY_MAX} characters."]})
            if not re.fullmatch(IDEMPOTENCY_KEY_PATTERN, key):
                raise InvalidInput({"Idempotency-Key": ["Use printable ASCII characters only."]})
            call.metadata.append(("idempotency-key", key))
        if spec.query is not None:
            call.query = load(spec.query, request.args.to_dict())
        if spec.upload:
            call.body = read_body(request, config.upload_max_bytes())
        elif spec.body is not None:
            call.body = load_json_body(request, spec.body)
        if spec.limit and (limited := limits.check(spec.limit, request, call.body)):
            return limited
        if spec.derive_key and not key:
            call.metadata.append(("idempotency-key", derived_idempotency_key(spec, call)))
        result = fn(service, call)
        if isinstance(result, Response):  # a file
            return result
        status, payload = result
        return json_response(status, payload)
    except DomainError as refusal:
        return refusal_response(refusal)
    except BodyNotSent:
        return problem_response(failure(408, "The body did not arrive in time."),
                                {"Connection": "close"})
    except GrpcError as error:
        problem = problem_from_grpc_error(error)
        if isinstance(problem, DomainError):
            return refusal_response(problem)
        log.error("%s %s: backing service answered %s", spec.method, spec.path, error.code)
        return problem_response(problem)
    except Exception:
        log.exception("%s %s failed", spec.method, spec.path)
        return problem_response(failure(500, "The gateway failed on this request."))
