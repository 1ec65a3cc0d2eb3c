"""Upload judging: the type comes from the bytes, not from the header."""
from __future__ import annotations

import struct
import zlib

import pytest

from services.registration.domain.documents import (
    ALLOWED_CONTENT_TYPES,
    ALWAYS_REQUIRED,
    DOCUMENT_KINDS,
    judge_upload,
    sha256_hex,
)
from services.shared.contracts.errors import InvalidInput, TooLarge, UnsupportedContent

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


def test_pdf_declared_as_jpeg_is_415() -> None:
    with pytest.raises(UnsupportedContent) as caught:
        judge_upload(PDF, "image/jpeg", LIMIT)
    assert isinstance(caught.value, UnsupportedContent)
    assert "application/pdf" in caught.value.detail and "image/jpeg" in caught.value.detail


def test_png_declared_as_pdf_is_415() -> None:
    with pytest.raises(UnsupportedContent):
        judge_upload(PNG, "application/pdf", LIMIT)


def test_empty_is_422() -> None:
    with pytest.raises(InvalidInput) as caught:
        judge_upload(b"", "image/png", LIMIT)
    assert isinstance(caught.value, InvalidInput)
    assert caught.value.errors == {"file": ["The file is empty."]}


def test_over_the_limit_is_413() -> None:
    with pytest.raises(TooLarge) as caught:
        judge_upload(JPEG + b"\x00" * 100, "image/jpeg", 100)
    assert isinstance(caught.value, TooLarge)
    # Exactly at the limit is fine.
    assert judge_upload(JPEG, "image/jpeg", len(JPEG)) == "image/jpeg"


def test_text_file_is_415() -> None:
    with pytest.raises(UnsupportedContent) as caught:
        judge_upload(TEXT, "application/pdf", LIMIT)
    assert "application/pdf" in caught.value.detail


@pytest.mark.parametrize("content_type", ["text/plain", "image/gif", "", None, "image/jpg"])
def test_declared_type_not_allowed_is_415(content_type: str | None) -> None:
    with pytest.raises(UnsupportedContent):
        judge_upload(JPEG, content_type, LIMIT)


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
        with pytest.raises(UnsupportedContent):
            judge_upload(data, content_type, LIMIT)


def test_sha256_hex() -> None:
    assert sha256_hex(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert len(sha256_hex(PDF)) == 64
