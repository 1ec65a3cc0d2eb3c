"""A TCP proxy on loopback that the fault tests put between a process and a real server (the
broker): it forwards both ways until told to stop forwarding (``pause``: the network stalls,
nothing is lost or closed, as with a partition or a broker that stopped reading), and resumes
on ``resume``. ``held_bytes`` counts what it holds back meanwhile.

With ``amqp=True`` it forwards the server's side frame by frame and can put a frame of its own
between two of them (``send_to_clients``), e.g. the broker's ``connection.blocked`` notice,
which the real broker only sends under a node-wide memory alarm.
"""
from __future__ import annotations

import socket
import struct
import threading
from urllib.parse import urlsplit, urlunsplit

from tests.support.infra import free_port

FRAME_END = b"\xce"


def amqp_method_frame(class_id: int, method_id: int, arguments: bytes = b"",
                      channel: int = 0) -> bytes:
    payload = struct.pack(">HH", class_id, method_id) + arguments
    return struct.pack(">BHI", 1, channel, len(payload)) + payload + FRAME_END


def connection_blocked_frame(reason: str = "low on memory") -> bytes:
    encoded = reason.encode()
    return amqp_method_frame(10, 60, struct.pack(">B", len(encoded)) + encoded)


def connection_unblocked_frame() -> bytes:
    return amqp_method_frame(10, 61)


class _Link:
    """One client connection and its upstream one."""

    def __init__(self, proxy: TcpProxy, client: socket.socket, upstream: socket.socket):
        self.proxy, self.client, self.upstream = proxy, client, upstream
        for sock in (client, upstream):
            # No Nagle delay: a small frame goes out now, as it would without the proxy.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.to_client_lock = threading.Lock()
        self.closed = threading.Event()
        for source, target, framed in ((client, upstream, False),
                                       (upstream, client, proxy.amqp)):
            threading.Thread(target=self._pump, args=(source, target, framed),
                             daemon=True).start()

    def _pump(self, source, target, framed):
        pending = b""
        source.settimeout(0.05)
        try:
            while not self.closed.is_set():
                try:
                    data = source.recv(65536)
                except TimeoutError:
                    data = None
                if data == b"":
                    if self.proxy.forwarding.is_set() and pending:
                        self._send(target, pending)
                    break
                if data:
                    pending += data
                    if not self.proxy.forwarding.is_set():
                        with self.proxy.lock:
                            self.proxy.held_bytes += len(data)
                if not self.proxy.forwarding.is_set() or not pending:
                    continue
                if framed:
                    frames, pending = _whole_frames(pending)
                    if frames:
                        self._send(target, frames)
                else:
                    self._send(target, pending)
                    pending = b""
        except OSError:
            pass
        finally:
            self.close()

    def _send(self, target, data):
        if target is self.client:
            with self.to_client_lock:
                target.sendall(data)
        else:
            target.sendall(data)

    def send_to_client(self, data: bytes) -> None:
        # Whole frames only go out under this lock: ``data`` lands between two frames.
        with self.to_client_lock:
            self.client.sendall(data)

    def close(self):
        self.closed.set()
        for sock in (self.client, self.upstream):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()


def _whole_frames(buffer: bytes) -> tuple[bytes, bytes]:
    end = 0
    while len(buffer) - end >= 7:
        size = struct.unpack(">I", buffer[end + 3:end + 7])[0]
        if len(buffer) - end < 7 + size + 1:
            break
        end += 7 + size + 1
    return buffer[:end], buffer[end:]


class TcpProxy:
    def __init__(self, upstream_host: str, upstream_port: int, amqp: bool = False):
        self.upstream = (upstream_host, upstream_port)
        self.amqp = amqp
        self.port = free_port()
        self.forwarding = threading.Event()
        self.forwarding.set()
        self.lock = threading.Lock()
        self.held_bytes = 0
        self.links: list[_Link] = []
        self.accepted = 0
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._listener.settimeout(0.1)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> TcpProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.close()

    def _accept(self):
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                self.accepted += 1
                self.links.append(_Link(self, client, upstream))

    def pause(self) -> None:
        """Stop forwarding: what either side sends is held, connections stay open."""
        with self.lock:
            self.held_bytes = 0
        self.forwarding.clear()

    def resume(self) -> None:
        self.forwarding.set()

    def send_to_clients(self, data: bytes) -> None:
        with self.lock:
            links = [link for link in self.links if not link.closed.is_set()]
        for link in links:
            link.send_to_client(data)

    def open_links(self) -> int:
        with self.lock:
            return sum(1 for link in self.links if not link.closed.is_set())

    def close(self):
        self._stopping.set()
        self._listener.close()
        with self.lock:
            links = list(self.links)
        for link in links:
            link.close()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def uri_for(self, uri: str) -> str:
        """``uri`` (amqp://user:pass@host:port/vhost) with host and port replaced by the proxy's."""
        parts = urlsplit(uri)
        credentials = parts.netloc.rpartition("@")[0]
        netloc = f"{credentials}@127.0.0.1:{self.port}" if credentials else \
            f"127.0.0.1:{self.port}"
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def proxy_for(uri: str, amqp: bool = False) -> TcpProxy:
    """A proxy to the server ``uri`` names (not started: use it as a context manager)."""
    parts = urlsplit(uri)
    return TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5672, amqp=amqp)
