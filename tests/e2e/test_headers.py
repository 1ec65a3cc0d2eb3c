"""Finding 8 of the security review, on the running gateway: nosniff on every answer,
no-store on every signed-in answer, a PDF that acts when opened refused at upload, and the
server's own refusals (431) as problem+json without BaseHTTP's page or version."""
from __future__ import annotations

import socket

import pytest
import requests

from tests.support import api

PDF_WITH_OPEN_ACTION = (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction "
                        b"<< /S /JavaScript /JS (app.alert('x')) >> >>\nendobj\n"
                        b"trailer << /Root 1 0 R >>\n%%EOF\n")


@pytest.fixture(scope="module")
def candidate(base_url, mail_sink):
    return api.registered_candidate(base_url, mail_sink)


def test_every_answer_has_nosniff(base_url, candidate):
    answers = [requests.get(base_url + "/api/v1/activities"),
               requests.get(base_url + "/healthz"),
               requests.get(base_url + "/api/v1/no-such-route"),
               requests.post(base_url + "/api/v1/accounts", data=b"{", timeout=30,
                             headers={"Content-Type": "application/json"}),
               requests.get(base_url + "/api/v1/openapi.json"),
               candidate.get("/api/v1/me")]
    for answer in answers:
        assert answer.headers.get("X-Content-Type-Options") == "nosniff", answer.url


def test_signed_in_answers_are_not_stored(base_url, candidate):
    me = candidate.get("/api/v1/me")
    assert me.status_code == 200 and me.headers["Cache-Control"] == "no-store"
    missing = candidate.get("/api/v1/me/profile")  # a refusal about one's own data too
    assert missing.status_code == 404 and missing.headers["Cache-Control"] == "no-store"


def test_a_pdf_that_acts_when_opened_is_refused_at_upload(candidate):
    refused = candidate.put("/api/v1/me/documents/cv", data=PDF_WITH_OPEN_ACTION,
                            headers={"Content-Type": "application/pdf"})
    assert refused.status_code == 415, refused.text
    assert candidate.get("/api/v1/me/documents").json()["items"] == []
    accepted = candidate.put("/api/v1/me/documents/cv", data=api.PDF,
                             headers={"Content-Type": "application/pdf"})
    assert accepted.status_code == 201, accepted.text


def raw_answer(base_url: str, request: bytes) -> bytes:
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
            if b"\r\n\r\n" in answer and b"}" in answer:
                break
    return answer


def test_too_many_headers_is_a_431_problem_without_the_servers_version(base_url):
    headers = b"".join(b"X-H%d: x\r\n" % n for n in range(150))
    answer = raw_answer(base_url, b"GET /api/v1/activities HTTP/1.1\r\nHost: g\r\n"
                        + headers + b"\r\n")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 431 "), answer
    assert b"Content-Type: application/problem+json" in head
    assert b"<html" not in body.lower() and b'"status": 431' in body
    for leak in (b"BaseHTTP", b"Python", b"eventlet"):
        assert leak not in answer


def test_no_answer_names_the_server_software(base_url):
    for answer in (requests.get(base_url + "/api/v1/activities"),
                   requests.get(base_url + "/api/v1/no-such-route")):
        server = answer.headers.get("Server", "")
        assert "BaseHTTP" not in server and "Python" not in server
