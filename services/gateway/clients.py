"""gRPC clients of the gateway, and the mapping of a service's refusal back to HTTP.

nameko-grpc's own client connects once at start-up (the gateway would not start before its
services) and, when a service restarts and its reconnect fails, waits forever for a
connection. ``ServiceClient`` keeps nameko-grpc's HTTP/2 connection handling but owns the
connection life: it reconnects with back-off in the background and a call with no live
connection after a short wait fails fast as 503, so a restarting service costs a few failed
requests, never a hung gateway.
"""
from __future__ import annotations

import json
import queue
import socket
import time
import weakref
from urllib.parse import urlparse

import eventlet
from grpc import StatusCode
from nameko_grpc.channel import CONNECT_TIMEOUT, ClientChannel, ClientConnectionPool
from nameko_grpc.connection import ClientConnectionManager
from nameko_grpc.dependency_provider import GrpcProxy
from nameko_grpc.errors import GrpcError

from services.shared.platform import config
from services.shared.contracts.errors import DomainError
from services.shared.platform.problems import from_json as refusal_from_json

WAIT_FOR_CONNECTION_SECONDS = 3.0


def _unavailable(message: str) -> GrpcError:
    return GrpcError(code=StatusCode.UNAVAILABLE, message=json.dumps({
        "type": "about:blank", "title": "Service Unavailable", "status": 503,
        "detail": message}))


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


def problem_from_grpc_error(error: GrpcError) -> DomainError | dict:
    """The service's problem (4xx) as a DomainError, else a problem dict (5xx)."""
    problem = refusal_from_json(error.message or "")
    if problem is not None:
        return problem
    try:
        data = json.loads(error.message or "")
        if isinstance(data, dict) and "status" in data:
            return data
    except ValueError:
        pass
    if error.code in (StatusCode.UNAVAILABLE, StatusCode.DEADLINE_EXCEEDED):
        return {"type": "about:blank", "title": "Service Unavailable", "status": 503,
                "detail": "A backing service did not answer in time; try again."}
    return {"type": "about:blank", "title": "Internal Server Error", "status": 500,
            "detail": "A backing service failed to handle this request."}
