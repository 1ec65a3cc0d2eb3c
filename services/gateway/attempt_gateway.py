"""The attempt gateway: test day's hot routes, everything under ``/api/v1/attempts/`` (save
an answer, submit, read the attempt), on granian (an HTTP server in Rust that runs the WSGI
app on plain threads, no eventlet), calling assessment's attempt server
(services/assessment/attempt_server.py) over the official grpcio channel:
``python -m services.gateway.attempt_gateway``.

The routes are the gateway's own (routes/assessment.py), answered by the same ``web.answer``:
the same token, role, body and idempotency checks, the same problem+json, correlation id and
security headers. Only the HTTP server and the gRPC client differ from the nameko gateway's.
Issue 8's profile: eventlet's server and nameko-grpc's client were most of the gateway's CPU
per answer saved; grpcio's client takes a third of nameko-grpc's CPU and cannot run under
eventlet; granian takes half of gunicorn's CPU per request (README, "Test day").

The nameko gateway answers the same routes too, through the same attempt server: an
installation without a path rule in front (``make up`` on a laptop) works the same, only
slower. In Kubernetes the Ingress sends ``/api/v1/attempts/`` here (deploy/).

Of the nameko gateway's defences against slow clients, the header deadline is granian's
(``HTTP_HEADER_TIMEOUT_SECONDS``); the cap on connections per address is not repeated: this
server sits behind the Ingress, which reads each request whole before passing it on.
"""
from __future__ import annotations

import logging

from granian import Granian
from granian.constants import HTTPModes, Interfaces
from granian.http import HTTP1Settings
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.exceptions import NotFound as NoRoute
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

import assessment_pb2_grpc
from services.gateway.clients import GrpcioClient
from services.gateway.routes.assessment import AssessmentRoutes
from services.gateway.web import (
    answer,
    failure,
    problem_response,
    refusal_response,
    with_common_headers,
)
from services.shared.contracts.errors import NotFound
from services.shared.platform import config
from services.shared.platform.logs import configure_logging

log = logging.getLogger(__name__)

PREFIX = "/api/v1/attempts/"
ROUTES = (AssessmentRoutes.save_answer, AssessmentRoutes.submit_attempt,
          AssessmentRoutes.get_attempt)
READY_TIMEOUT_SECONDS = 1.0


class AttemptBackends:
    """What the routes call: ``self.attempts``, assessment's attempt server."""

    def __init__(self):
        self.attempts = GrpcioClient(config.attempt_server_target(),
                                     assessment_pb2_grpc.AttemptsStub)


def make_app(backends: AttemptBackends | None = None):
    """The WSGI application; granian calls this factory in each worker process (a grpcio
    channel must not cross a fork)."""
    if backends is None:
        configure_logging()
        backends = AttemptBackends()
    routes = {}
    rules = []
    for handler in ROUTES:
        spec = handler.route_spec
        assert spec.path.startswith(PREFIX), spec.path  # the Ingress rule sends only these
        key = f"{spec.method} {spec.path}"
        routes[key] = (spec, handler.__wrapped__)
        rules.append(Rule(spec.path, methods=[spec.method], endpoint=key))
    url_map = Map(rules)

    def app(environ, start_response):
        request = Request(environ)
        if request.path in ("/healthz", "/readyz", "/metrics"):
            response = _operations(request.path, backends)
        else:
            try:
                key, path_args = url_map.bind_to_environ(environ).match()
            except NoRoute:
                response = refusal_response(NotFound("No such route."))
            except MethodNotAllowed as refused:
                response = problem_response(
                    failure(405, "This route does not take that method."),
                    {"Allow": ", ".join(refused.valid_methods or ())})
            else:
                spec, fn = routes[key]
                response = answer(backends, fn, spec, request, path_args)
        return response(environ, start_response)

    return with_common_headers(app)


def _operations(path: str, backends: AttemptBackends) -> Response:
    if path == "/healthz":
        return Response('{"status": "ok"}', content_type="application/json")
    if path == "/metrics":
        return Response(generate_latest(), content_type=CONTENT_TYPE_LATEST)
    ready = backends.attempts.check(READY_TIMEOUT_SECONDS)
    return Response('{"status": "ready"}' if ready else '{"status": "not ready"}',
                    status=200 if ready else 503, content_type="application/json")


def server() -> Granian:
    """granian, configured from the settings, serving ``make_app()`` in each worker."""
    settings = config.attempt_gateway()
    limits = config.http_limits()
    return Granian(
        f"{__name__}:make_app", factory=True, interface=Interfaces.WSGI,
        address=config.gateway_bind_host(), port=config.attempt_gateway_port(),
        workers=settings.processes, blocking_threads=settings.threads,
        http=HTTPModes.http1, websockets=False,
        http1_settings=HTTP1Settings(
            header_read_timeout=int(limits.header_timeout_seconds * 1000)),
        log_level="warning", log_access=False,  # a path holds ids only; no access line kept
        respawn_failed_workers=True, workers_kill_timeout=5)


def main() -> None:
    server().serve()


if __name__ == "__main__":
    main()
