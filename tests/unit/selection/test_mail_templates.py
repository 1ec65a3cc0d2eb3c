"""The Indonesian e-mail telling the candidate a new administrative status."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.selection.adapters.mail_templates import decision_mail
from services.selection.domain.decisions import (
    PROFILE_UPDATED_REASON,
    Transition,
    after_profile_update,
    status_label_id,
)
from services.shared.contracts.vocabulary import ADMINISTRATIVE_DECISIONS

REASON = "Ijazah yang diunggah tidak terbaca"


def mail(transition: Transition, activity: str = "Rekrutmen Mitra BPS 2025-Pendaftaran"):
    return decision_mail("Siti Aminah", activity, "3279-2025-000123", transition)


def test_rejection_mail() -> None:
    subject, body = mail(Transition("pending", "rejected", REASON))
    assert "Tidak diterima" in subject
    assert "seleksi administrasi" in subject.lower()
    assert "Siti Aminah" in body
    assert "Rekrutmen Mitra BPS 2025-Pendaftaran" in body
    assert "3279-2025-000123" in body
    assert "Tidak diterima" in body
    assert f"Alasan: {REASON}" in body
    assert "Badan Pusat Statistik" in body


def test_needs_confirmation_mail_says_what_to_do() -> None:
    subject, body = mail(Transition("pending", "needs_confirmation", "NIK tidak sesuai KTP"))
    assert "Perlu konfirmasi data" in subject
    assert "Perlu konfirmasi data" in body
    assert "Keterangan: NIK tidak sesuai KTP" in body
    assert "perbarui data profil Anda" in body
    assert "simpan" in body


def test_accepted_mail_without_reason() -> None:
    subject, body = mail(Transition("rejected", "accepted", None))
    assert "Diterima" in subject
    assert "saat ini: Diterima." in body
    assert "Alasan" not in body and "Keterangan" not in body
    assert "tes kompetensi" in body


def test_accepted_mail_with_reason() -> None:
    _, body = mail(Transition("rejected", "accepted", "Ijazah asli sudah ditunjukkan"))
    assert "Keterangan: Ijazah asli sudah ditunjukkan" in body


def test_mail_after_profile_update() -> None:
    asked_at = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    transition = after_profile_update("needs_confirmation", asked_at + timedelta(hours=1),
                                      asked_at)
    assert transition is not None
    subject, body = mail(transition)
    assert "Menunggu pemeriksaan" in subject
    assert "Menunggu pemeriksaan" in body
    assert PROFILE_UPDATED_REASON in body


@pytest.mark.parametrize("decision", ADMINISTRATIVE_DECISIONS)
def test_every_decision_has_a_mail(decision: str) -> None:
    subject, body = mail(Transition("pending", decision, REASON))
    assert status_label_id(decision) in subject and status_label_id(decision) in body
    assert REASON in body


def test_subject_is_one_line() -> None:
    subject, _ = mail(Transition("pending", "accepted", None),
                      activity="Rekrutmen\r\nBcc: someone@example.com")
    assert "\n" not in subject and "\r" not in subject
