"""gRPC clients of the gateway: one connection per backing service, and ``Backends``, the
clients every group of routes calls through.

nameko-grpc's own client connects once at start-up (the gateway would not start before its
services) and, when a service restarts and its reconnect fails, waits forever for a
connection. ``ServiceClient`` keeps nameko-grpc's HTTP/2 connection handling but owns the
connection life: it reconnects with back-off in the background and a call with no live
connection after a short wait fails fast (UNAVAILABLE, answered 503), so a restarting service
costs a few failed requests, never a hung gateway.

A dead connection (a node gone without closing it) is noticed: an HTTP/2 PING goes out after
``GRPC_KEEPALIVE_SECONDS`` without a byte from the service and, unanswered for
``GRPC_KEEPALIVE_TIMEOUT_SECONDS``, the connection is dropped and a new one made; the socket
has TCP keepalive and TCP_USER_TIMEOUT too, and a connection whose calls keep running past
their deadline is replaced. A slow service cannot take every worker of the gateway: each
service gets at most ``GATEWAY_BACKEND_CONCURRENCY`` calls at once, a call waits a little
for a slot (none while the service is failing) and is otherwise answered 503 at once.

Every call carries the bound correlation id (``x-correlation-id`` metadata) when the caller's
metadata has none yet.
"""
from __future__ import annotations

import functools
import logging
import queue
import socket
import threading
import time
import weakref
from urllib.parse import urlparse

import eventlet
import grpc
from eventlet.semaphore import Semaphore
from grpc import StatusCode
from grpc_health.v1 import health_pb2, health_pb2_grpc
from nameko_grpc.channel import CONNECT_TIMEOUT, ClientChannel, ClientConnectionPool
from nameko_grpc.client import Method
from nameko_grpc.connection import ClientConnectionManager
from nameko_grpc.context import metadata_from_context_data
from nameko_grpc.dependency_provider import GrpcProxy
from nameko_grpc.errors import GrpcError

import assessment_pb2_grpc
import pembinaan_pb2_grpc
import registration_pb2_grpc
import selection_pb2_grpc
from services.shared.platform import config, correlation

log = logging.getLogger(__name__)

# Seconds a route waits for a service; sent as the call's deadline (the service rolls back
# past it). Read at start, as every setting.
TIMEOUT = config.gateway_deadline_seconds()
WAIT_FOR_CONNECTION_SECONDS = 3.0
ATTEMPT_SERVER = "attempt-server"  # its name in /readyz's checks and the busy answer
PING_DATA = b"keepaliv"  # HTTP/2 PING carries 8 opaque bytes


def _unavailable(message: str) -> GrpcError:
    return GrpcError(code=StatusCode.UNAVAILABLE, message=message)


class KeepaliveConnection(ClientConnectionManager):
    """nameko-grpc's client connection, with an HTTP/2 PING when the service has been silent
    for the keepalive interval: unanswered within the timeout, the connection is ended (its
    calls fail UNAVAILABLE) and the pool connects again. ``retire`` takes it out of use
    without cutting the calls still on it."""

    def __init__(self, sock, keepalive: config.GrpcKeepalive, target: str):
        super().__init__(sock)
        self.keepalive, self.target = keepalive, target
        # Header values as plain HPACK literals, not Huffman-coded: h2 keeps the bearer token
        # out of the compression table (never indexed), so every call coded all of it anew,
        # in Python, and the service decoded it again (issue 8's profile: ~4% of the gateway's
        # CPU). On loopback the ~100 bytes more per call cost nothing; any HTTP/2 peer reads
        # both forms.
        self.conn.encoder.encode = functools.partial(self.conn.encoder.encode, huffman=False)
        self.retired = threading.Event()  # green: the gateway runs monkey-patched
        self.last_heard = time.monotonic()
        self.ping_sent_at: float | None = None
        receive = self.conn.receive_data

        def heard(data):  # every read of the socket passes here: the peer is alive
            self.last_heard = time.monotonic()
            return receive(data)
        self.conn.receive_data = heard

    def on_iteration(self):
        now = time.monotonic()
        if self.ping_sent_at is not None and self.last_heard >= self.ping_sent_at:
            self.ping_sent_at = None
        if self.ping_sent_at is not None:
            if now - self.ping_sent_at > self.keepalive.timeout_seconds:
                return self._dead("no answer to a keepalive ping")
        elif self.terminating:
            # Closing (retired, or the service said GOAWAY): no new PING may be sent, so a
            # connection silent for a whole interval and timeout counts as dead.
            if now - self.last_heard > (self.keepalive.interval_seconds
                                        + self.keepalive.timeout_seconds):
                return self._dead("silent while closing")
        elif now - self.last_heard >= self.keepalive.interval_seconds:
            self.conn.ping(PING_DATA)
            self.ping_sent_at = now
        super().on_iteration()

    def _dead(self, why: str) -> None:
        log.warning("gRPC connection to %s: %s; reconnecting", self.target, why)
        self.run = False  # the loop ends; the calls still on it end with UNAVAILABLE

    def run_forever(self):
        try:
            super().run_forever()
        finally:
            self.retired.set()

    def retire(self):
        """No new calls on this connection; those on it finish, or the keepalive ends them."""
        self.terminating = True
        self.retired.set()


def configure_socket(sock, keepalive: config.GrpcKeepalive) -> None:
    # Headers and data may leave in separate small writes: without NODELAY, Nagle holds the
    # second until the server's delayed ACK, ~40 ms a call.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    # The kernel's own checks under the PING: probes on an idle connection, and data left
    # unacknowledged for the keepalive timeout ends the connection (instead of ~15 minutes
    # of retransmissions).
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE,
                    max(1, round(keepalive.interval_seconds)))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL,
                    max(1, round(keepalive.timeout_seconds / 3)))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 3)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT,
                    max(1, round(keepalive.timeout_seconds * 1000)))
    # Reads wait in select(); a write blocked this long has a peer that reads nothing.
    sock.settimeout(keepalive.interval_seconds + keepalive.timeout_seconds)


class ReconnectingPool(ClientConnectionPool):
    def start(self):
        self.run = True
        self.keepalive = config.grpc_keepalive()
        self.current: KeepaliveConnection | None = None
        for target in self.targets:
            self.spawn_thread(target=self._keep_connected, args=(urlparse(target),),
                              name=f"grpc client connection [{target}]")

    def _keep_connected(self, target):
        delay = 0.05
        while self.run:
            started = time.monotonic()
            try:
                sock = socket.create_connection((target.hostname, target.port or 50051),
                                                timeout=CONNECT_TIMEOUT)
            except OSError:
                eventlet.sleep(delay)
                delay = min(delay * 2, 2.0)
                continue
            delay = 0.05
            configure_socket(sock, self.keepalive)
            connection = KeepaliveConnection(sock, self.keepalive, target.netloc)
            self.current = connection
            self.connections.put(weakref.ref(connection))
            self.spawn_thread(target=connection.run_forever,
                              name=f"grpc client connection [{target.netloc}]")
            # A new connection as soon as this one ends or is retired (a retired one finishes
            # its calls meanwhile); one that ended at once is not retried in a tight loop.
            connection.retired.wait()
            if connection.stopped.is_set() and time.monotonic() - started < 1.0:
                eventlet.sleep(0.2)

    def recycle(self):
        connection = self.current
        if connection is not None and connection.alive:
            log.warning("gRPC connection to %s: calls keep running past their deadline; "
                        "replacing the connection", connection.target)
            connection.retire()

    def get(self):
        deadline = time.monotonic() + WAIT_FOR_CONNECTION_SECONDS
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _unavailable("A backing service is not reachable right now.")
            try:
                connection_ref = self.connections.get(timeout=remaining)
            except queue.Empty:
                continue
            connection = connection_ref()
            if connection is not None and connection.alive:
                self.connections.put(connection_ref)
                return connection


class ServiceClient(GrpcProxy):
    """``GrpcProxy`` for one service and stub, reconnecting (see module docstring). A client
    with ``limited`` counts its calls against the service's slots; the health clients do not
    (readiness must see a busy service)."""

    def __init__(self, service: str, stub, limited: bool = True, target: str | None = None):
        super().__init__(target or config.grpc_target(service), stub)
        self.service = service
        self.limited = limited

    def setup(self):
        self.slots = Semaphore(config.gateway_backend_concurrency())
        self.slot_wait = config.gateway_backend_wait_seconds()
        self.recycle_after = config.grpc_keepalive().recycle_after_deadlines
        self.failing = False  # the last call ended without an answer (deadline, unreachable)
        self.deadline_streak = 0

    def start(self):
        self.channel = ClientChannel(self.target, self.ssl, self.spawn_thread)
        self.channel.conn_pool = ReconnectingPool([self.target], self.ssl, self.spawn_thread)
        self.channel.start()

    def timeout(self, send_stream, response_stream, deadline):
        """Ends the call at its deadline, sleeping (nameko-grpc polls every millisecond)."""
        end = time.monotonic() + deadline
        while not (send_stream.closed and response_stream.closed):
            left = end - time.monotonic()
            if left <= 0:
                response_stream.close(GrpcError(code=StatusCode.DEADLINE_EXCEEDED,
                                                message="Deadline Exceeded"))
                send_stream.close()
                return
            eventlet.sleep(min(left, 0.05))

    def get_dependency(self, worker_ctx):
        return CallProxy(self, metadata_from_context_data(worker_ctx.context_data))

    def call(self, name: str, request, extra_metadata, **kwargs):
        kwargs.setdefault("timeout", TIMEOUT)
        kwargs["metadata"] = with_correlation_id(kwargs.get("metadata"))
        if not self.limited:
            return Method(self, name, extra_metadata)(request, **kwargs)
        taken = (self.slots.acquire(blocking=False) if self.failing
                 else self.slots.acquire(timeout=self.slot_wait))
        if not taken:
            raise _unavailable(f"{self.service} is busy; try again.")
        try:
            reply = Method(self, name, extra_metadata)(request, **kwargs)
        except GrpcError as error:
            self._answered(error.code)
            raise
        finally:
            self.slots.release()
        self._answered(StatusCode.OK)
        return reply

    def _answered(self, code) -> None:
        self.failing = code in (StatusCode.DEADLINE_EXCEEDED, StatusCode.UNAVAILABLE)
        if code != StatusCode.DEADLINE_EXCEEDED:
            self.deadline_streak = 0
            return
        self.deadline_streak += 1
        if self.deadline_streak >= self.recycle_after:
            self.deadline_streak = 0
            self.channel.conn_pool.recycle()

    def check(self, timeout: float) -> bool:
        """The service's grpc.health.v1 answer is SERVING (readiness; outside any worker)."""
        try:
            reply = Method(self, "Check")(health_pb2.HealthCheckRequest(), timeout=timeout)
        except Exception:
            return False
        return reply.status == health_pb2.HealthCheckResponse.SERVING


def with_correlation_id(metadata) -> list:
    """``metadata`` with the bound correlation id added, unless it has one already."""
    metadata = list(metadata or [])
    bound = correlation.current()
    if bound and not any(name == correlation.METADATA_KEY for name, _ in metadata):
        metadata.append((correlation.METADATA_KEY, bound))
    return metadata


class CallProxy:
    """What a route sees as ``self.registration``: ``.Method(request, metadata=, timeout=)``
    through its client's slots, with the deadline of the settings unless given."""

    def __init__(self, client: ServiceClient, extra_metadata):
        self.client, self.extra_metadata = client, extra_metadata

    def __getattr__(self, name):
        def call(request, **kwargs):
            return self.client.call(name, request, self.extra_metadata, **kwargs)
        return call


class GrpcioClient:
    """One service's calls over the official grpcio channel, for the attempt gateway (plain
    threads: grpcio's locks are real ones, it cannot run under eventlet): the same
    ``.Method(request, metadata=, timeout=)`` as ``CallProxy``, the correlation id added the
    same way, and a failed call raised as the ``GrpcError`` the routes' mapping knows. grpcio
    keeps the connection itself (reconnecting with back-off, keepalive PINGs); a call while
    the service is unreachable fails UNAVAILABLE at once (503), as ``ServiceClient``'s do."""

    def __init__(self, target: str, stub_class):
        keepalive = config.grpc_keepalive()
        self.channel = grpc.insecure_channel(urlparse(target).netloc, options=[
            ("grpc.keepalive_time_ms", int(keepalive.interval_seconds * 1000)),
            ("grpc.keepalive_timeout_ms", int(keepalive.timeout_seconds * 1000)),
            ("grpc.keepalive_permit_without_calls", 1),
            ("grpc.initial_reconnect_backoff_ms", 50),
            ("grpc.max_reconnect_backoff_ms", 2000)])
        self.stub = stub_class(self.channel)

    def __getattr__(self, name):
        method = getattr(self.stub, name)

        def call(request, metadata=None, timeout=TIMEOUT):
            try:
                return method(request, metadata=with_correlation_id(metadata), timeout=timeout)
            except grpc.RpcError as error:
                raise GrpcError(code=error.code(), message=error.details() or "") from None
        self.__dict__[name] = call  # made once per method
        return call

    def check(self, timeout: float) -> bool:
        """The service's grpc.health.v1 answer is SERVING."""
        try:
            reply = health_pb2_grpc.HealthStub(self.channel).Check(
                health_pb2.HealthCheckRequest(), timeout=timeout)
        except grpc.RpcError:
            return False
        return reply.status == health_pb2.HealthCheckResponse.SERVING

    def close(self) -> None:
        self.channel.close()


class Backends:
    """The services the routes call (nameko injects each client into the worker)."""

    registration = ServiceClient("registration", registration_pb2_grpc.RegistrationStub)
    selection = ServiceClient("selection", selection_pb2_grpc.SelectionStub)
    pembinaan = ServiceClient("pembinaan", pembinaan_pb2_grpc.PembinaanStub)
    assessment = ServiceClient("assessment", assessment_pb2_grpc.AssessmentStub)
    # The candidate's attempt: assessment's attempt server (services/assessment/
    # attempt_server.py), slots of its own.
    attempts = ServiceClient(ATTEMPT_SERVER, assessment_pb2_grpc.AttemptsStub,
                             target=config.attempt_server_target())
    registration_health = ServiceClient("registration", health_pb2_grpc.HealthStub, False)
    selection_health = ServiceClient("selection", health_pb2_grpc.HealthStub, False)
    assessment_health = ServiceClient("assessment", health_pb2_grpc.HealthStub, False)
    pembinaan_health = ServiceClient("pembinaan", health_pb2_grpc.HealthStub, False)
    attempt_server_health = ServiceClient(ATTEMPT_SERVER, health_pb2_grpc.HealthStub, False,
                                          target=config.attempt_server_target())


def optional(message, name: str):
    """A proto3 ``optional`` field as JSON wants it: ``None`` when unset."""
    return getattr(message, name) if message.HasField(name) else None
