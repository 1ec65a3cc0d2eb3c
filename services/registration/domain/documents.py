"""Candidate documents: the kinds a candidate uploads and how an upload is judged, with
registration's own refusals (services/shared/contracts/documents.py reads the bytes).

The type of a file is judged from its bytes, never trusted from the Content-Type header:
a PDF sent as image/jpeg is refused, so the satker admin opening it later gets what the
list says. A PDF that would act when opened (JavaScript, an action on open or on a page
event, launching a program, a form posting data, embedded files or media) is refused too: an
ijazah or a KTP scan needs none of them (``pdf_active_content``).
"""
from __future__ import annotations

from services.registration.domain.errors import (
    ContentTypeNotAllowed,
    DocumentEmpty,
    DocumentKindUnknown,
    DocumentTooLarge,
    DocumentTypeMismatch,
    PaktaIntegritasNotOpen,
)
from services.shared.contracts.documents import detect, media_type, pdf_active_content
from services.shared.contracts.vocabulary import DOCUMENT_CONTENT_TYPES, DOCUMENT_KINDS

ALLOWED_CONTENT_TYPES = DOCUMENT_CONTENT_TYPES
# Signed by a candidate finally accepted as mitra, after the announcement (DOMAIN.md Part A
# step 9): before that there is nothing to sign.
PAKTA_INTEGRITAS = "pakta_integritas"


def check_kind(kind: str) -> None:
    """Refuses a document kind the vocabulary does not name."""
    if kind not in DOCUMENT_KINDS:
        raise DocumentKindUnknown()


def check_upload_open(kind: str, accepted_announced: bool) -> None:
    """Refuses the pakta integritas unless the candidate has an application finally accepted
    and announced (``accepted_announced``); every other kind is open at any time."""
    if kind == PAKTA_INTEGRITAS and not accepted_announced:
        raise PaktaIntegritasNotOpen()


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
    declared = media_type(declared_content_type)
    if declared not in ALLOWED_CONTENT_TYPES:
        raise ContentTypeNotAllowed(
            f"Content-Type {declared or '(none)'} is not allowed; "
            f"use one of {', '.join(ALLOWED_CONTENT_TYPES)}."
        )
    detected = detect(data)
    if detected is None:
        raise DocumentTypeMismatch(
            f"The file content is not JPEG, PNG or PDF, but the Content-Type says {declared}."
        )
    if detected != declared:
        raise DocumentTypeMismatch(
            f"The file content is {detected}, but the Content-Type says {declared}."
        )
    if detected == "application/pdf" and (active := pdf_active_content(bytes(data))):
        raise DocumentTypeMismatch(
            f"A PDF that acts when opened is not accepted (it has /{active.lstrip('/')}); "
            "print it to a new PDF or scan it again."
        )
    return detected

