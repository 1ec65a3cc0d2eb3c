"""The official grpcio server (C-core HTTP/2, a pool of plain threads) for a service's hot
calls, in a process of its own beside the service's nameko process (issue 8: test day's
answer save).

The methods served are the service's own ``rpc``-wrapped entrypoint methods, unchanged: the
same identity and token-state check, one transaction, the caller's deadline, idempotency and
refusals through the problem table. Only the transport differs: grpcio's server instead of
nameko-grpc's, which with the eventlet hub cost about half of the service's CPU per call. No
event is consumed or published here: the use cases record their events in the outbox, and the
service's relay publishes them as for any other call.

``serve`` gives the server (``grpc.health.v1`` included, answered by the service's own
``HealthCheck``); ``run`` serves until SIGTERM or SIGINT, then lets the calls in flight end.
"""
from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Iterable
from concurrent import futures

import grpc
from google.protobuf import descriptor_pool, message_factory
from grpc_health.v1 import health_pb2
from nameko_grpc.errors import GrpcError

from services.shared.platform import config

log = logging.getLogger(__name__)

HEALTH_SERVICE = "grpc.health.v1.Health"
STOP_GRACE_SECONDS = 5.0


class _Deadline:
    __slots__ = ("deadline",)

    def __init__(self, deadline: float | None):
        self.deadline = deadline


class CallContext:
    """What the ``rpc`` wrapper reads of a call (services/shared/platform/rpc.py), from a
    grpcio ``ServicerContext``: the metadata, and the caller's deadline on this process's
    monotonic clock as ``request_stream.deadline`` (where nameko-grpc's server has it)."""

    __slots__ = ("_context", "request_stream")

    def __init__(self, context: grpc.ServicerContext):
        self._context = context
        remaining = context.time_remaining()
        # grpcio answers a huge number when the caller set no deadline
        self.request_stream = _Deadline(
            None if remaining is None or remaining > 10 ** 6 else time.monotonic() + remaining)

    def invocation_metadata(self):
        return self._context.invocation_metadata()


def _unary(method, request_class, response_class):
    def handle(request, context):
        try:
            return method(request, CallContext(context))
        except GrpcError as error:  # a refusal or failure the wrapper already logged
            context.abort(error.code, error.message or "")
    return grpc.unary_unary_rpc_method_handler(
        handle, request_deserializer=request_class.FromString,
        response_serializer=response_class.SerializeToString)


def _method_classes(service_name: str, method: str):
    descriptor = descriptor_pool.Default().FindServiceByName(service_name)
    found = descriptor.methods_by_name[method]
    return (message_factory.GetMessageClass(found.input_type),
            message_factory.GetMessageClass(found.output_type))


def serve(service, service_name: str, methods: Iterable[str], port: int,
          workers: int | None = None, health=None) -> grpc.Server:
    """Start serving ``service``'s ``methods`` of the proto service ``service_name`` (its
    full name, e.g. ``bps.assessment.v1.Assessment``) on ``port``; ``health(request, context)``
    answers ``grpc.health.v1.Health/Check``. ``workers`` calls run at once (MAX_WORKERS by
    default, as a nameko service: its database pool is sized for them); a call beyond them
    waits for a thread, within its deadline."""
    workers = workers or config.max_workers()
    handlers = {name: _unary(getattr(service, name), *_method_classes(service_name, name))
                for name in methods}
    generic = [grpc.method_handlers_generic_handler(service_name, handlers)]
    if health is not None:
        generic.append(grpc.method_handlers_generic_handler(HEALTH_SERVICE, {
            "Check": grpc.unary_unary_rpc_method_handler(
                lambda request, context: health(request, CallContext(context)),
                request_deserializer=health_pb2.HealthCheckRequest.FromString,
                response_serializer=health_pb2.HealthCheckResponse.SerializeToString)}))
    keepalive = config.grpc_keepalive()
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="grpc-call"),
        handlers=generic,
        options=[("grpc.so_reuseport", 0),  # a second server on the port fails, not shares
                 ("grpc.keepalive_time_ms", int(keepalive.interval_seconds * 1000)),
                 ("grpc.keepalive_timeout_ms", int(keepalive.timeout_seconds * 1000)),
                 ("grpc.http2.min_ping_interval_without_data_ms", 1000),
                 ("grpc.keepalive_permit_without_calls", 1)])
    if server.add_insecure_port(f"{config.grpc_bind_host()}:{port}") == 0:
        raise OSError(f"cannot listen on gRPC port {port}")
    server.start()
    return server


def run(server: grpc.Server, name: str) -> None:
    """Serve until SIGTERM or SIGINT; then refuse new calls and give those in flight
    STOP_GRACE_SECONDS to end."""
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    log.info("%s serving", name)
    stopping.wait()
    log.info("%s stopping", name)
    server.stop(STOP_GRACE_SECONDS).wait()
