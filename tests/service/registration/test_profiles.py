"""The candidate's profile and documents, and the profile_updated event every change
sends."""
from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

import pytest

from services.registration.domain.errors import (
    DocumentKindUnknown,
    DocumentTooLarge,
    DocumentTypeMismatch,
    InvalidProfile,
    NikTaken,
    ProfileMissing,
)
from services.registration.use_cases import profiles
from services.shared.contracts.candidate import DocumentSnapshot, ProfileSnapshot, Statements
from services.shared.contracts.events import PROFILE_UPDATED, ProfileUpdatedPayload
from services.shared.contracts.vocabulary import STATEMENT_KEYS
from tests.service.registration.steps import JPEG, PDF, candidate
from tests.support.builders import profile_fields


def _updates(uow) -> list:
    """The profile_updated payloads, as selection loads them."""
    return [ProfileUpdatedPayload().load(p) for p in uow.events.of_type(PROFILE_UPDATED)]


def test_profile_is_stored_and_sent_as_the_typed_snapshot(uow):
    identity = candidate(uow)
    fields = profile_fields(full_name=" Siti Aminah ", phone="0812-3456-7890")
    reply = profiles.put_profile(uow, identity, fields)
    assert reply["phone"] == "+6281234567890" and reply["full_name"] == "Siti Aminah"
    assert (reply["kecamatan_code"], reply["kecamatan_name"]) == ("352801", "Tlanakan")
    assert reply["domicile_regency_name"] == "Kab. Pamekasan"
    assert reply["birth_date"] == date(1995, 3, 14) and reply["updated_at"] is not None
    assert profiles.get_profile(uow, identity) == reply
    [update] = _updates(uow)
    assert update["account_id"] == identity.account_id and update["data_version"] == 1
    assert update["documents"] == []
    assert update["profile"] == ProfileSnapshot(
        nik=fields["nik"], full_name="Siti Aminah", sex="P", birth_date=date(1995, 3, 14),
        phone="+6281234567890", email="siti@example.com", address=fields["address"],
        kecamatan_code="352801", kecamatan_name="Tlanakan", domicile_regency_code="3528",
        domicile_regency_name="Kab. Pamekasan", education="SMA", occupation="Wiraswasta",
        is_asn=False, has_other_institution_contract=False, has_bps_experience=True,
        has_capi_experience=False, owns_smartphone=True, can_use_computer=True,
        can_ride_motorbike=True, statements=Statements(**dict.fromkeys(STATEMENT_KEYS, True)))


def test_every_change_has_a_higher_data_version(uow, storage):
    identity = candidate(uow)
    fields = profile_fields()
    profiles.put_profile(uow, identity, fields)
    profiles.put_document(uow, storage, identity, "ktp", "application/pdf", PDF)
    profiles.put_profile(uow, identity, dict(fields, occupation="Petani"))
    updates = _updates(uow)
    assert [u["data_version"] for u in updates] == [1, 2, 3]
    assert updates[-1]["profile"].occupation == "Petani"
    assert updates[-1]["documents"] == [DocumentSnapshot(
        "ktp", hashlib.sha256(PDF).hexdigest(), len(PDF), "application/pdf")]


def test_a_nik_belongs_to_one_account(uow):
    first, second = candidate(uow, "siti@example.com"), candidate(uow, "ani@example.com")
    fields = profile_fields()
    profiles.put_profile(uow, first, fields)
    profiles.put_profile(uow, first, fields)  # saving one's own NIK again is fine
    with pytest.raises(NikTaken) as taken:
        profiles.put_profile(uow, second, profile_fields(nik=fields["nik"]))
    assert taken.value.detail == "This NIK is already registered to another account."
    assert uow.profiles.get(second.account_id) is None
    assert len(_updates(uow)) == 2


def test_an_invalid_profile_is_not_stored(uow):
    identity = candidate(uow)
    with pytest.raises(InvalidProfile) as invalid:
        profiles.put_profile(uow, identity, profile_fields(phone="0812", education="SMK"))
    assert set(invalid.value.errors) == {"phone", "education"}
    with pytest.raises(ProfileMissing) as missing:
        profiles.get_profile(uow, identity)
    assert missing.value.detail == "No profile has been filled in yet."
    assert _updates(uow) == []


@pytest.mark.parametrize(("kecamatan", "accepted"), [
    ("352801", False),  # Tlanakan, Pamekasan: WIB, 23:30 on the eve of the 15th birthday
    ("737101", True),   # Mariso, Makassar: WITA, 00:30 on the birthday
    ("917101", True),   # Jayapura Utara, Jayapura: WIT, 01:30 on the birthday
])
def test_the_minimum_age_counts_on_the_candidates_own_clock(uow, kecamatan, accepted):
    identity = candidate(uow)
    fields = profile_fields(birth=date(2010, 11, 3), kecamatan=kecamatan)
    eve_in_wib = datetime(2025, 11, 2, 16, 30, tzinfo=UTC)
    if accepted:
        reply = profiles.put_profile(uow, identity, fields, now=eve_in_wib)
        assert reply["birth_date"] == date(2010, 11, 3)
        [update] = _updates(uow)
        assert update["updated_at"] == eve_in_wib  # the moment the change was made
    else:
        with pytest.raises(InvalidProfile) as invalid:
            profiles.put_profile(uow, identity, fields, now=eve_in_wib)
        assert invalid.value.errors == {
            "birth_date": ["The candidate must be at least 15 years old."]}
        assert _updates(uow) == []


def test_the_minimum_age_is_not_counted_on_the_utc_date(uow):
    # 23:30 UTC on 2 November: still the eve in UTC, the 15th birthday in WIB.
    identity = candidate(uow)
    fields = profile_fields(birth=date(2010, 11, 3))
    profiles.put_profile(uow, identity, fields, now=datetime(2025, 11, 2, 23, 30, tzinfo=UTC))
    assert profiles.get_profile(uow, identity)["nik"] == fields["nik"]


def test_a_document_is_judged_by_its_bytes(uow, storage):
    identity = candidate(uow)
    with pytest.raises(DocumentTypeMismatch):
        profiles.put_document(uow, storage, identity, "photo", "image/jpeg", PDF)
    with pytest.raises(DocumentKindUnknown):
        profiles.put_document(uow, storage, identity, "selfie", "image/jpeg", JPEG)
    assert storage.files == {} and _updates(uow) == []
    reply = profiles.put_document(uow, storage, identity, "photo", "image/jpeg; q=1", JPEG)
    assert reply["content_type"] == "image/jpeg" and reply["size"] == len(JPEG)
    assert storage.get(reply["sha256"]) == JPEG
    [update] = _updates(uow)
    assert update["profile"] is None  # documents may come before the profile
    assert [d.kind for d in update["documents"]] == ["photo"]
    assert profiles.list_documents(uow, identity) == {"items": [reply]}


def test_the_upload_limit(uow, storage, monkeypatch):
    monkeypatch.setenv("UPLOAD_MAX_BYTES", str(len(PDF) - 1))
    with pytest.raises(DocumentTooLarge):
        profiles.put_document(uow, storage, candidate(uow), "ktp", "application/pdf", PDF)
