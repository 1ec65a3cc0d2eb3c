"""The gateway's HTTP server against slow and lying clients (security review, finding 7):
nameko's web server (eventlet's WSGI server) with

- a deadline for the request line and headers (``HTTP_HEADER_TIMEOUT_SECONDS``, also how long
  an idle keep-alive connection is kept), then the connection is closed;
- a deadline for any one read or write (``HTTP_IDLE_TIMEOUT_SECONDS``) and for the whole body
  (``HTTP_BODY_TIMEOUT_SECONDS``, enforced where the body is read: ``web.read_body``);
- a cap on the connections one address holds at once (``HTTP_MAX_CONNECTIONS_PER_ADDRESS``;
  addresses in ``RATE_LIMIT_EXEMPT_ADDRESSES``, a local reverse proxy, are not capped): past
  it a new connection is answered 429 and closed;
- a route can have the connection closed after its answer (``close_after``): a body announced
  over the limit is answered 413 at once and never read, instead of being waited for;
- the server's own errors (431 too many headers, 400 bad request line, ...) as problem+json,
  and no ``Server`` header naming BaseHTTP, Python or their versions.
"""
from __future__ import annotations

import collections
import http
import json
import logging
from functools import partial

import eventlet
from nameko.web.server import HttpOnlyProtocol, WebServer
from werkzeug.wrappers import Request

from services.shared.platform import config

log = logging.getLogger(__name__)

SERVER_NAME = "sobat-bps"
_CLOSE = "gateway.close_connection"


class HeaderTimeout(Exception):
    """The request line and headers did not arrive within their deadline."""


class BodyTimeout(Exception):
    """The body did not arrive within its deadline."""


def problem_bytes(status: int, detail: str, headers: tuple = ()) -> bytes:
    """A whole HTTP/1.1 answer, written by the server itself (no WSGI app involved)."""
    phrase = http.HTTPStatus(status).phrase
    body = json.dumps({"type": "about:blank", "title": phrase, "status": status,
                       "detail": detail}).encode()
    lines = [f"HTTP/1.1 {status} {phrase}", "Content-Type: application/problem+json",
             f"Content-Length: {len(body)}", "Connection: close",
             "X-Content-Type-Options: nosniff", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def close_after(request: Request) -> None:
    """The connection of ``request`` is closed once its answer is written: the rest of its
    body is never read (eventlet would otherwise read and discard it, however big)."""
    close = request.environ.get(_CLOSE)
    if close is not None:
        close()


class GuardedProtocol(HttpOnlyProtocol):
    """eventlet's HTTP protocol with the header deadline and problem+json errors."""

    server_version = SERVER_NAME
    sys_version = ""

    def version_string(self) -> str:
        return SERVER_NAME

    def handle_one_request(self):
        limits = self.server.http_limits
        self._header_timer = eventlet.Timeout(limits.header_timeout_seconds, HeaderTimeout)
        try:
            super().handle_one_request()
        except HeaderTimeout:
            self.close_connection = 1
        finally:
            self._header_timer.cancel()

    def get_environ(self):
        # Called once the request line and headers are read: their deadline is over.
        self._header_timer.cancel()
        environ = super().get_environ()
        environ[_CLOSE] = partial(setattr, self, "close_connection", 1)
        return environ

    def send_error(self, code, message=None, explain=None):
        """BaseHTTP's own refusals (431 too many headers, 400 bad request line, 505, ...):
        problem+json without an HTML page or a version."""
        self.close_connection = 1
        try:
            self.wfile.write(problem_bytes(code, message or http.HTTPStatus(code).phrase))
        except OSError:
            pass


class GuardedWebServer(WebServer):
    """nameko's web server with the limits above (``config.http_limits()``)."""

    def __init__(self):
        super().__init__()
        self._connections: collections.Counter = collections.Counter()

    def get_wsgi_server(self, sock, wsgi_app, protocol=GuardedProtocol, debug=False):
        server = super().get_wsgi_server(sock, wsgi_app, protocol=protocol, debug=debug)
        limits = config.http_limits()
        server.http_limits = limits
        server.socket_timeout = limits.idle_timeout_seconds
        server.keepalive = limits.header_timeout_seconds
        return server

    def run(self):
        limits = self._serv.http_limits
        exempt = config.rate_limit_exempt_addresses()
        while self._is_accepting:
            sock, address = self._sock.accept()
            host = address[0] if isinstance(address, tuple) else str(address)
            capped = limits.max_connections_per_address and host not in exempt
            if capped and self._connections[host] >= limits.max_connections_per_address:
                self._refuse(sock)
                continue
            sock.settimeout(self._serv.socket_timeout)
            self._connections[host] += 1
            self.container.spawn_managed_thread(partial(self._serve, sock, address, host))

    def _serve(self, sock, address, host) -> None:
        try:
            self.process_request(sock, address)
        finally:
            self._connections[host] -= 1
            if self._connections[host] <= 0:
                del self._connections[host]

    @staticmethod
    def _refuse(sock) -> None:
        try:
            sock.settimeout(0)
            sock.send(problem_bytes(429, "Too many connections from your address at once.",
                                    ("Retry-After: 1",)))
        except OSError:
            pass
        finally:
            sock.close()
