"""The documents an admin reviews: the submitted ones with their newer versions, the kinds
uploaded after submitting, and the re-review mark of undecided applications."""
from __future__ import annotations

import pytest

from services.selection.domain.document_versions import (
    NewerVersion,
    ReviewedDocument,
    document_versions,
    needs_rereview,
)
from services.shared.contracts.candidate import DocumentSnapshot
from services.shared.contracts.vocabulary import ADMINISTRATIVE_STATUSES

PHOTO = DocumentSnapshot("photo", "a" * 64, 10, "image/jpeg")
KTP = DocumentSnapshot("ktp", "b" * 64, 20, "application/pdf")
IJAZAH = DocumentSnapshot("ijazah", "c" * 64, 30, "application/pdf")
NEW_IJAZAH = DocumentSnapshot("ijazah", "d" * 64, 31, "image/png")
CV = DocumentSnapshot("cv", "e" * 64, 40, "application/pdf")


def test_unchanged_documents_have_no_newer_version():
    assert document_versions((PHOTO, KTP, IJAZAH), (KTP, IJAZAH, PHOTO)) == (
        ReviewedDocument("photo", "a" * 64, 10, "image/jpeg"),
        ReviewedDocument("ktp", "b" * 64, 20, "application/pdf"),
        ReviewedDocument("ijazah", "c" * 64, 30, "application/pdf"))


def test_a_replaced_document_keeps_the_submitted_one_and_shows_the_newer_version():
    (photo, ijazah) = document_versions((PHOTO, IJAZAH), (PHOTO, NEW_IJAZAH))
    assert photo.newer_version is None
    assert ijazah == ReviewedDocument("ijazah", "c" * 64, 30, "application/pdf",
                                      submitted=True,
                                      newer_version=NewerVersion("d" * 64, 31, "image/png"))


def test_a_kind_uploaded_after_submitting_is_listed_as_not_submitted():
    assert document_versions((PHOTO,), (PHOTO, CV)) == (
        ReviewedDocument("photo", "a" * 64, 10, "image/jpeg"),
        ReviewedDocument("cv", "e" * 64, 40, "application/pdf", submitted=False))


def test_no_current_data_means_no_newer_version():
    """Selection has not heard of the candidate's data (or the document is gone): the
    submitted document is what there is."""
    assert document_versions((PHOTO, KTP), ()) == (
        ReviewedDocument("photo", "a" * 64, 10, "image/jpeg"),
        ReviewedDocument("ktp", "b" * 64, 20, "application/pdf"))


@pytest.mark.parametrize("status", ["pending", "needs_confirmation"])
def test_an_undecided_application_with_a_newer_version_needs_rereview(status):
    assert needs_rereview(status, document_versions((PHOTO, IJAZAH), (PHOTO, NEW_IJAZAH)))
    assert needs_rereview(status, document_versions((PHOTO,), (PHOTO, CV)))  # added kind
    assert not needs_rereview(status, document_versions((PHOTO, IJAZAH), (PHOTO, IJAZAH)))


@pytest.mark.parametrize("status", ["accepted", "rejected"])
def test_a_decided_application_is_never_reopened(status):
    documents = document_versions((PHOTO, IJAZAH), (PHOTO, NEW_IJAZAH, CV))
    assert documents[1].newer_version is not None  # shown
    assert not needs_rereview(status, documents)  # not marked


def test_every_status_of_the_vocabulary_has_an_answer():
    documents = document_versions((IJAZAH,), (NEW_IJAZAH,))
    assert {status: needs_rereview(status, documents)
            for status in ADMINISTRATIVE_STATUSES} == {
        "pending": True, "needs_confirmation": True, "accepted": False, "rejected": False}
