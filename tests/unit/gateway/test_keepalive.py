"""Issue 7, finding 10: the gateway's gRPC sockets carry the kernel's own dead-peer checks
beside the HTTP/2 PING (tests/e2e/test_gateway_faults.py shows the PING at work): TCP
keepalive probes and TCP_USER_TIMEOUT, so unacknowledged data ends the connection after the
keepalive timeout instead of ~15 minutes of retransmissions."""
from __future__ import annotations

import socket

from services.gateway.clients import configure_socket
from services.shared.platform.config import GrpcKeepalive


def test_the_socket_options_follow_the_keepalive_settings():
    keepalive = GrpcKeepalive(interval_seconds=10, timeout_seconds=6, recycle_after_deadlines=3)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        configure_socket(sock, keepalive)
        option = sock.getsockopt
        assert option(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
        assert option(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE) == 10
        assert option(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL) == 2
        assert option(socket.IPPROTO_TCP, socket.TCP_KEEPCNT) == 3
        assert option(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT) == 6000
        assert option(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        assert sock.gettimeout() == 16
