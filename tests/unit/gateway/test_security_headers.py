"""Finding 8 of the security review, the gateway's header middleware without a network: a
file is a sandboxed download; signed-in answers and files are not stored; nosniff always."""
from __future__ import annotations

from werkzeug.test import Client
from werkzeug.wrappers import Response

from services.gateway.web import _security_headers


def app_answering(headers: dict, content_type="application/json"):
    def app(environ, start_response):
        return Response(b"x", content_type=content_type, headers=headers)(environ,
                                                                          start_response)
    return _security_headers(app)


def test_a_document_served_inline_goes_out_as_a_sandboxed_download():
    answer = Client(app_answering({"Content-Disposition": 'inline; filename="ijazah.pdf"',
                                   "Cache-Control": "private"}, "application/pdf")).get("/d")
    assert answer.headers["Content-Disposition"] == 'attachment; filename="ijazah.pdf"'
    assert "sandbox" in answer.headers["Content-Security-Policy"]
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_a_signed_in_answer_is_not_stored_and_a_public_one_may_be():
    app = app_answering({})
    signed_in = Client(app).get("/me", headers={"Authorization": "Bearer t"})
    assert signed_in.headers["Cache-Control"] == "no-store"
    public = Client(app).get("/activities")
    assert "Cache-Control" not in public.headers
    assert public.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in public.headers
