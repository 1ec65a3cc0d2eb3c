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


def test_the_headers_of_a_call_go_out_without_huffman_coding():
    # Issue 8: the bearer token is never indexed (h2 keeps it out of the compression
    # table), so Huffman coding it cost the gateway CPU on every call for a few bytes.
    from hpack import Decoder

    from services.gateway.clients import KeepaliveConnection

    keepalive = GrpcKeepalive(interval_seconds=10, timeout_seconds=6, recycle_after_deadlines=3)
    ours, theirs = socket.socketpair()
    with ours, theirs:
        connection = KeepaliveConnection(ours, keepalive, "127.0.0.1:1")
        connection.conn.initiate_connection()
        token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhY2MifQ.c2lnbmF0dXJl"
        headers = [(":method", "POST"), (":scheme", "http"), (":path", "/a.A/SaveAnswer"),
                   (":authority", "127.0.0.1:1"), ("authorization", f"Bearer {token}")]
        connection.conn.send_headers(1, headers)
        sent = connection.conn.data_to_send()
        assert f"Bearer {token}".encode() in sent  # a plain literal
        at = sent.index(b"\x01\x04\x00\x00\x00\x01")  # type HEADERS, END_HEADERS, stream 1
        length = int.from_bytes(sent[at - 3:at], "big")
        decoded = dict(Decoder().decode(sent[at + 6:at + 6 + length]))
        assert decoded["authorization"] == f"Bearer {token}"  # and any decoder reads it
