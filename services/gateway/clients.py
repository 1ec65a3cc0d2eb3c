"""gRPC clients of the gateway: one connection per backing service, and ``Backends``, the
clients every group of routes calls through.

nameko-grpc's own client connects once at start-up (the gateway would not start before its
services) and, when a service restarts and its reconnect fails, waits forever for a
connection. ``ServiceClient`` keeps nameko-grpc's HTTP/2 connection handling but owns the
connection life: it reconnects with back-off in the background and a call with no live
connection after a short wait fails fast (UNAVAILABLE, answered 503), so a restarting service
costs a few failed requests, never a hung gateway.
"""
from __future__ import annotations

import queue
import socket
import time
import weakref
from urllib.parse import urlparse

import eventlet
from grpc import StatusCode
from grpc_health.v1 import health_pb2_grpc
from nameko_grpc.channel import CONNECT_TIMEOUT, ClientChannel, ClientConnectionPool
from nameko_grpc.connection import ClientConnectionManager
from nameko_grpc.dependency_provider import GrpcProxy
from nameko_grpc.errors import GrpcError

import pembinaan_pb2_grpc
import registration_pb2_grpc
import selection_pb2_grpc
from services.shared.platform import config

TIMEOUT = 15  # seconds a route waits for a service; a call past it answers 503
WAIT_FOR_CONNECTION_SECONDS = 3.0


def _unavailable(message: str) -> GrpcError:
    return GrpcError(code=StatusCode.UNAVAILABLE, message=message)


class ReconnectingPool(ClientConnectionPool):
    def start(self):
        self.run = True
        for target in self.targets:
            self.spawn_thread(target=self._keep_connected, args=(urlparse(target),),
                              name=f"grpc client connection [{target}]")

    def _keep_connected(self, target):
        delay = 0.05
        while self.run:
            try:
                sock = socket.create_connection((target.hostname, target.port or 50051),
                                                timeout=CONNECT_TIMEOUT)
            except OSError:
                eventlet.sleep(delay)
                delay = min(delay * 2, 2.0)
                continue
            delay = 0.05
            # Headers and data may leave in separate small writes: without NODELAY, Nagle
            # holds the second until the server's delayed ACK, ~40 ms a call.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.settimeout(None)  # an idle connection is fine; h2 pings would be the keep-alive
            connection = ClientConnectionManager(sock)
            self.connections.put(weakref.ref(connection))
            connection.run_forever()  # returns when the connection ends; then reconnect

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
    """``GrpcProxy`` for one service and stub, reconnecting (see module docstring)."""

    def __init__(self, service: str, stub):
        super().__init__(config.grpc_target(service), stub)
        self.service = service

    def start(self):
        self.channel = ClientChannel(self.target, self.ssl, self.spawn_thread)
        self.channel.conn_pool = ReconnectingPool([self.target], self.ssl, self.spawn_thread)
        self.channel.start()


class Backends:
    """The services the routes call (nameko injects each client into the worker)."""

    registration = ServiceClient("registration", registration_pb2_grpc.RegistrationStub)
    selection = ServiceClient("selection", selection_pb2_grpc.SelectionStub)
    pembinaan = ServiceClient("pembinaan", pembinaan_pb2_grpc.PembinaanStub)
    registration_health = ServiceClient("registration", health_pb2_grpc.HealthStub)
    selection_health = ServiceClient("selection", health_pb2_grpc.HealthStub)
    assessment_health = ServiceClient("assessment", health_pb2_grpc.HealthStub)
    pembinaan_health = ServiceClient("pembinaan", health_pb2_grpc.HealthStub)


def optional(message, name: str):
    """A proto3 ``optional`` field as JSON wants it: ``None`` when unset."""
    return getattr(message, name) if message.HasField(name) else None
