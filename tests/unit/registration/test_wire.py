"""Registration's replies and requests at the gRPC edge: absent is unset (the gateway reads
``satker_code`` with HasField), and document bytes travel as they are."""
from __future__ import annotations

from datetime import UTC, datetime

import registration_pb2 as pb
from services.shared.platform.proto import from_proto, to_proto

ACCOUNT = {"id": "a1", "email": "siti@example.com", "full_name": "Siti", "role": "mitra",
           "status": "active"}


def test_no_satker_is_unset_on_the_wire() -> None:
    candidate = to_proto(dict(ACCOUNT, satker_code=None), pb.Account)
    assert not candidate.HasField("satker_code")
    admin = to_proto(dict(ACCOUNT, role="admin_satker", satker_code="3528"), pb.Account)
    assert admin.HasField("satker_code") and admin.satker_code == "3528"
    request = pb.CreateAdminAccountRequest(email="a@bps.go.id", role="pembina")
    assert from_proto(request)["satker_code"] is None


def test_document_bytes_are_not_base64() -> None:
    content = b"%PDF-\x00\xff\xfe"
    request = pb.PutDocumentRequest(kind="ktp", content_type="application/pdf",
                                    content=content)
    assert from_proto(request) == {"kind": "ktp", "content_type": "application/pdf",
                                   "content": content}
    reply = to_proto({"kind": "ktp", "content_type": "application/pdf", "sha256": "0" * 64,
                      "content": content}, pb.DocumentContent)
    assert reply.content == content


def test_times_and_unset_quota() -> None:
    opens = datetime(2026, 1, 1, 7, tzinfo=UTC)
    activity = to_proto({"id": "x", "registration_opens_at": opens, "quota": None,
                         "satker_name": None}, pb.Activity)
    assert activity.registration_opens_at == "2026-01-01T07:00:00+00:00"
    assert not activity.HasField("quota")
