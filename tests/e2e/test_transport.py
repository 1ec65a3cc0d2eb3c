"""Finding 7 of the security review, slow and lying clients, on raw sockets: a body announced
over the limit is answered 413 at once; a body or headers that do not arrive end the
connection within their deadlines; one address cannot hold more than its share of
connections. A second gateway with tight limits (seconds, 4 connections) runs beside the
session's system, on the same services."""
from __future__ import annotations

import socket
import time

import pytest
import requests

from services.shared.ops.launcher import System
from tests.support import api
from tests.support.infra import free_port, wait_until

HEADER_TIMEOUT = 3
IDLE_TIMEOUT = 1
BODY_TIMEOUT = 2
MAX_CONNECTIONS = 4
# How long a test waits for the server at most: far above every deadline, so a server that
# never answers (the finding) fails the test instead of hanging it.
CLIENT_TIMEOUT = 30


@pytest.fixture(scope="module")
def strict_gateway(system, tmp_path_factory):
    port = free_port()
    env = {**system.env, "GATEWAY_PORT": str(port),
           "BPS_VAR_DIR": str(tmp_path_factory.mktemp("strict-gateway") / "var"),
           "HTTP_HEADER_TIMEOUT_SECONDS": str(HEADER_TIMEOUT),
           "HTTP_IDLE_TIMEOUT_SECONDS": str(IDLE_TIMEOUT),
           "HTTP_BODY_TIMEOUT_SECONDS": str(BODY_TIMEOUT),
           "HTTP_MAX_CONNECTIONS_PER_ADDRESS": str(MAX_CONNECTIONS),
           "RATE_LIMIT_EXEMPT_ADDRESSES": "none"}
    gateway = System(env)
    gateway.start("gateway")
    url = f"http://127.0.0.1:{port}"

    def healthy():
        try:
            return requests.get(url + "/healthz", timeout=2).status_code == 200
        except requests.ConnectionError:
            return False

    try:
        wait_until(healthy, timeout=60, message="the strict gateway to answer")
        yield ("127.0.0.1", port)
    finally:
        gateway.stop("gateway")


def connect(address) -> socket.socket:
    sock = socket.create_connection(address, timeout=CLIENT_TIMEOUT)
    sock.settimeout(CLIENT_TIMEOUT)
    return sock


def address_of(base_url: str) -> tuple[str, int]:
    host, port = base_url.removeprefix("http://").split(":")
    return host, int(port)


def read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (a client-side timeout,
    far beyond the server's deadlines, fails the test instead)."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def request_head(path: str, length: int, method="POST") -> bytes:
    return (f"{method} {path} HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
            f"Content-Length: {length}\r\n\r\n").encode()


def test_a_body_announced_at_10_gb_is_answered_413_at_once_and_never_read(base_url):
    with connect(address_of(base_url)) as sock:
        sock.sendall(request_head("/api/v1/accounts", 10 * 1024**3) + b'{"a": 1')
        answer = sock.recv(65536)
        assert answer.startswith(b"HTTP/1.1 413 "), answer
        assert b"application/problem+json" in answer
        read_until_closed(sock)  # closed: the server does not wait for 10 GB


def test_an_upload_announced_over_the_limit_is_413_at_once_too(base_url, mail_sink):
    candidate = api.registered_candidate(base_url, mail_sink)
    with connect(address_of(base_url)) as sock:
        sock.sendall((f"PUT /api/v1/me/documents/cv HTTP/1.1\r\nHost: gateway\r\n"
                      f"Authorization: Bearer {candidate.token}\r\n"
                      f"Content-Type: application/pdf\r\nContent-Length: {10 * 1024**3}\r\n"
                      f"\r\n%PDF-1.4").encode())
        assert sock.recv(65536).startswith(b"HTTP/1.1 413 ")
        read_until_closed(sock)


def test_a_body_that_stops_coming_ends_the_connection_with_408(strict_gateway):
    with connect(strict_gateway) as sock:
        sock.sendall(request_head("/api/v1/accounts", 1000) + b'{"a": 1')  # 7 of 1,000
        answer = read_until_closed(sock)
        assert answer.startswith(b"HTTP/1.1 408 "), answer


def test_a_connection_that_sends_nothing_is_closed_after_the_header_deadline(strict_gateway):
    with connect(strict_gateway) as sock:
        assert read_until_closed(sock) == b""


def test_headers_sent_a_byte_at_a_time_are_cut_off_at_their_deadline(strict_gateway):
    header = b"GET /healthz HTTP/1.1\r\nHost: gateway\r\nX-Slow: " + b"a" * 200
    sent = 0
    with connect(strict_gateway) as sock:
        try:
            for byte in header:  # one byte every half idle timeout: each read succeeds
                sock.sendall(bytes([byte]))
                sent += 1
                time.sleep(IDLE_TIMEOUT / 2)  # the trickle is the attack itself
                if sent > 2 * (HEADER_TIMEOUT / (IDLE_TIMEOUT / 2)):
                    break
            closed = read_until_closed(sock) == b""
        except (BrokenPipeError, ConnectionResetError):
            closed = True
    assert closed
    assert sent < len(header)


def test_one_address_holds_at_most_its_share_of_connections(strict_gateway):
    held = [connect(strict_gateway) for _ in range(MAX_CONNECTIONS)]
    try:
        # the server has accepted them all once each answers a request
        for sock in held:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: gateway\r\n\r\n")
            assert sock.recv(65536).startswith(b"HTTP/1.1 200 ")
        with connect(strict_gateway) as extra:
            answer = read_until_closed(extra)
        assert answer.startswith(b"HTTP/1.1 429 "), answer
        assert b"Retry-After: 1" in answer
    finally:
        for sock in held:
            sock.close()
    host, port = strict_gateway

    def answered():
        try:
            return requests.get(f"http://{host}:{port}/healthz", timeout=5).status_code == 200
        except requests.ConnectionError:
            return False

    wait_until(answered, timeout=CLIENT_TIMEOUT, message="a connection once the others closed")
