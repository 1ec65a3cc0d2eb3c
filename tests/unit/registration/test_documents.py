"""Upload judging: the type comes from the bytes, not from the header."""
from __future__ import annotations

import struct
import zlib

import pytest

from services.registration.domain.documents import (
    ALLOWED_CONTENT_TYPES,
    check_kind,
    judge_upload,
)
from services.registration.domain.errors import (
    ContentTypeNotAllowed,
    DocumentEmpty,
    DocumentKindUnknown,
    DocumentTooLarge,
    DocumentTypeMismatch,
)
from services.shared.contracts.errors import InvalidInput, TooLarge, UnsupportedContent
from services.shared.contracts.vocabulary import ALWAYS_REQUIRED, DOCUMENT_KINDS

LIMIT = 10 * 1024 * 1024


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


# A 1x1 grey PNG, complete with IHDR, IDAT and IEND.
PNG = (
    b"\x89PNG\r\n\x1a\n"
    + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    + _png_chunk(b"IDAT", zlib.compress(b"\x00\x80"))
    + _png_chunk(b"IEND", b"")
)
# SOI, a JFIF APP0 segment, EOI: enough for a signature check.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
TEXT = b"Nama: Siti Aminah\nNIK: 3528015507950012\n"


def test_constants() -> None:
    assert set(ALWAYS_REQUIRED) <= set(DOCUMENT_KINDS)
    assert ALLOWED_CONTENT_TYPES == ("image/jpeg", "image/png", "application/pdf")


@pytest.mark.parametrize(
    ("data", "content_type"),
    [(JPEG, "image/jpeg"), (PNG, "image/png"), (PDF, "application/pdf")],
)
def test_valid_files(data: bytes, content_type: str) -> None:
    assert judge_upload(data, content_type, LIMIT) == content_type


def test_parameters_and_case_are_ignored() -> None:
    assert judge_upload(JPEG, "image/jpeg; charset=x", LIMIT) == "image/jpeg"
    assert judge_upload(PDF, "Application/PDF", LIMIT) == "application/pdf"


def test_known_kinds_only() -> None:
    for kind in DOCUMENT_KINDS:
        check_kind(kind)
    with pytest.raises(DocumentKindUnknown) as caught:
        check_kind("selfie")
    assert caught.value.detail == ("Unknown document kind; use one of photo, ktp, ijazah, cv, "
                                   "phone_spec, application_letter, pakta_integritas.")


def test_pdf_declared_as_jpeg_is_415() -> None:
    with pytest.raises(DocumentTypeMismatch) as caught:
        judge_upload(PDF, "image/jpeg", LIMIT)
    assert isinstance(caught.value, UnsupportedContent)
    assert "application/pdf" in caught.value.detail and "image/jpeg" in caught.value.detail


def test_png_declared_as_pdf_is_415() -> None:
    with pytest.raises(DocumentTypeMismatch):
        judge_upload(PNG, "application/pdf", LIMIT)


def test_empty_is_422() -> None:
    with pytest.raises(DocumentEmpty) as caught:
        judge_upload(b"", "image/png", LIMIT)
    assert isinstance(caught.value, InvalidInput)
    assert caught.value.errors == {"file": ["The file is empty."]}


def test_over_the_limit_is_413() -> None:
    with pytest.raises(DocumentTooLarge) as caught:
        judge_upload(JPEG + b"\x00" * 100, "image/jpeg", 100)
    assert isinstance(caught.value, TooLarge)
    assert caught.value.detail == "The file is larger than the limit of 100 bytes."
    # Exactly at the limit is fine.
    assert judge_upload(JPEG, "image/jpeg", len(JPEG)) == "image/jpeg"


def test_text_file_is_415() -> None:
    with pytest.raises(DocumentTypeMismatch) as caught:
        judge_upload(TEXT, "application/pdf", LIMIT)
    assert "application/pdf" in caught.value.detail


@pytest.mark.parametrize("content_type", ["text/plain", "image/gif", "", None, "image/jpg"])
def test_declared_type_not_allowed_is_415(content_type: str | None) -> None:
    with pytest.raises(ContentTypeNotAllowed) as caught:
        judge_upload(JPEG, content_type, LIMIT)
    assert isinstance(caught.value, UnsupportedContent)


@pytest.mark.parametrize(
    "data",
    [
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",  # another image format
        b"%PDF1.4 no dash",  # filetype says PDF, the signature is incomplete
        b"\x89PNG\x00\x00\x00\x00" + PNG[8:],  # first 4 bytes of PNG only
    ],
)
def test_signature_required(data: bytes) -> None:
    for content_type in ALLOWED_CONTENT_TYPES:
        with pytest.raises(DocumentTypeMismatch):
            judge_upload(data, content_type, LIMIT)

