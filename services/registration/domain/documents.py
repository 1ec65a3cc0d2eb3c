"""Candidate documents: the kinds a candidate uploads and how an upload is judged.

The type of a file is judged from its bytes, never trusted from the Content-Type header:
a PDF sent as image/jpeg is refused, so the satker admin opening it later gets what the
list says.
"""
from __future__ import annotations

import filetype

from services.registration.domain.errors import (
    ContentTypeNotAllowed,
    DocumentEmpty,
    DocumentKindUnknown,
    DocumentTooLarge,
    DocumentTypeMismatch,
)
from services.shared.contracts.vocabulary import DOCUMENT_CONTENT_TYPES, DOCUMENT_KINDS

ALLOWED_CONTENT_TYPES = DOCUMENT_CONTENT_TYPES

# Each format's own signature. filetype checks fewer bytes than this for PNG ("\x89PNG")
# and PDF ("%PDF"), so these are checked too.
_SIGNATURES: dict[str, bytes] = {
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
    "application/pdf": b"%PDF-",
}
# An animated PNG is a PNG (same signature); filetype names it separately.
_ALIASES: dict[str, str] = {"image/apng": "image/png"}


def _media_type(content_type: str | None) -> str | None:
    """The media type without parameters, lower case ("Image/JPEG; x=y" -> "image/jpeg")."""
    if not isinstance(content_type, str):
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def _detect(data: bytes) -> str | None:
    kind = filetype.guess(data)
    if kind is None:
        return None
    mime = _ALIASES.get(kind.mime, kind.mime)
    signature = _SIGNATURES.get(mime)
    if signature is None or not data.startswith(signature):
        return None
    return mime


def check_kind(kind: str) -> None:
    """Refuses a document kind the vocabulary does not name."""
    if kind not in DOCUMENT_KINDS:
        raise DocumentKindUnknown()


def judge_upload(data: bytes, declared_content_type: str | None, max_bytes: int) -> str:
    """The content type of an upload judged from its bytes, or the refusal.

    Too large -> DocumentTooLarge; empty -> DocumentEmpty; a declared type that is not
    allowed -> ContentTypeNotAllowed; bytes that are none of the allowed formats, or of
    another format than declared -> DocumentTypeMismatch.
    """
    if len(data) > max_bytes:
        raise DocumentTooLarge(max_bytes)
    if not data:
        raise DocumentEmpty()
    declared = _media_type(declared_content_type)
    if declared not in ALLOWED_CONTENT_TYPES:
        raise ContentTypeNotAllowed(
            f"Content-Type {declared or '(none)'} is not allowed; "
            f"use one of {', '.join(ALLOWED_CONTENT_TYPES)}."
        )
    detected = _detect(bytes(data[:8192]))
    if detected is None:
        raise DocumentTypeMismatch(
            f"The file content is not JPEG, PNG or PDF, but the Content-Type says {declared}."
        )
    if detected != declared:
        raise DocumentTypeMismatch(
            f"The file content is {detected}, but the Content-Type says {declared}."
        )
    return detected

