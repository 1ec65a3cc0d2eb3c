"""The documents of an application as the admin reviews them: the ones submitted with it
(what the admin opens: registration serves those bytes, whatever the candidate uploads later),
each with the candidate's newer version of it when there is one, and the kinds the candidate
first uploaded after submitting.

A newer upload never changes what an application was submitted with; for an application still
under review (pending, needs_confirmation) it marks the application for re-review, so the admin
looks again before deciding. A decided application is never reopened by an upload: the newer
version is only shown.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from services.selection.domain.decisions import OPEN_STATUSES
from services.shared.contracts.candidate import DocumentSnapshot

__all__ = [
    "NewerVersion",
    "ReviewedDocument",
    "SubmittedDocuments",
    "document_versions",
    "needs_rereview",
]


@dataclass(frozen=True)
class NewerVersion:
    """The candidate's current document of a kind, when it is not the one submitted."""

    sha256: str
    size: int
    content_type: str


@dataclass(frozen=True)
class ReviewedDocument:
    """One document of an application in the admin's queue. ``submitted``: it came with the
    application (False: a kind first uploaded after submitting, shown as it is now);
    ``newer_version``: the candidate's current one of this kind when it differs (another
    sha256) from the submitted one, else None."""

    kind: str
    sha256: str
    size: int
    content_type: str
    submitted: bool = True
    newer_version: NewerVersion | None = None


@dataclass(frozen=True)
class SubmittedDocuments:
    """What deciding an application's re-review mark takes: its status and the documents it
    was submitted with (the queue's filter reads these, not the whole application)."""

    application_id: str
    account_id: str
    administrative_status: str
    documents: tuple[DocumentSnapshot, ...]


def document_versions(submitted: Iterable[DocumentSnapshot],
                      current: Iterable[DocumentSnapshot]) -> tuple[ReviewedDocument, ...]:
    """The submitted documents in their order, each with its newer version (None when the
    candidate's current document of that kind has the same sha256, or there is none), then
    the kinds only the current documents have (``submitted=False``), in their order."""
    now = {document.kind: document for document in current}
    reviewed = []
    for document in submitted:
        newer = now.get(document.kind)
        reviewed.append(ReviewedDocument(
            document.kind, document.sha256, document.size, document.content_type,
            newer_version=NewerVersion(newer.sha256, newer.size, newer.content_type)
            if newer is not None and newer.sha256 != document.sha256 else None))
    kinds = {document.kind for document in reviewed}
    reviewed.extend(ReviewedDocument(d.kind, d.sha256, d.size, d.content_type, submitted=False)
                    for d in now.values() if d.kind not in kinds)
    return tuple(reviewed)


def needs_rereview(administrative_status: str, documents: Iterable[ReviewedDocument]) -> bool:
    """True when an application still under review (pending or needs_confirmation) has a
    document the admin has not seen with it: a newer version of a submitted one, or a kind
    uploaded after submitting. A decided application (accepted, rejected) never is."""
    if administrative_status not in OPEN_STATUSES:
        return False
    return any(d.newer_version is not None or not d.submitted for d in documents)
