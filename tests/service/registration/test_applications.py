"""Applying: the window, the quota, once per activity, a complete profile; the event carries
the candidate's typed snapshot. An admin opens the documents of its own satker only."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.registration.domain.errors import (
    AlreadyApplied,
    ApplicationIncomplete,
    ApplicationUnknown,
    DocumentMissing,
    QuotaFull,
    RegistrationNotOpen,
    WindowClosed,
)
from services.registration.use_cases import applications, profiles
from services.shared.contracts.candidate import DocumentSnapshot, ProfileSnapshot
from services.shared.contracts.events import APPLICATION_SUBMITTED, ApplicationSubmittedPayload
from services.shared.contracts.vocabulary import STATEMENT_KEYS
from services.shared.platform.database import utcnow
from services.shared.platform.problems import status_of
from tests.service.registration.steps import (
    ADMIN_3320,
    ADMIN_3528,
    PDF,
    SUPERADMIN,
    activity,
    announced,
    candidate,
    complete_candidate,
)
from tests.support.builders import BANJAR_2025, profile_fields


def _submitted(uow) -> list[dict]:
    return [ApplicationSubmittedPayload().load(p)
            for p in uow.events.of_type(APPLICATION_SUBMITTED)]


def test_submit_sends_the_typed_snapshot(uow, storage):
    identity = complete_candidate(uow, storage, kecamatan="352801", birth=date(1990, 5, 15))
    open_activity = activity(uow)
    application = applications.submit_application(uow, identity, open_activity["id"])
    assert application["registration_number"] == "3528-2026-00001"
    assert application["status"] == "submitted"
    assert application["activity_name"] == open_activity["name"]
    [event] = _submitted(uow)
    assert event["application_id"] == application["id"]
    assert event["registration_number"] == "3528-2026-00001"
    assert event["submitted_at"] == application["submitted_at"]
    assert event["requirements"] == open_activity["requirements"]
    assert event["data_version"] == 4  # the profile and three documents
    snapshot = event["profile"]
    assert isinstance(snapshot, ProfileSnapshot)
    assert snapshot.birth_date == date(1990, 5, 15) and snapshot.email == "siti@example.com"
    assert (snapshot.kecamatan_name, snapshot.domicile_regency_name) == ("Tlanakan",
                                                                         "Kab. Pamekasan")
    assert snapshot.phone == "+6281234567890" and snapshot.statements.willing_contract
    assert [d.kind for d in event["documents"]] == ["ijazah", "ktp", "photo"]
    assert all(isinstance(d, DocumentSnapshot) for d in event["documents"])
    listed = applications.list_my_applications(uow, identity)["items"]
    assert listed == [application]


def test_registration_numbers_follow_each_other(uow, storage):
    open_activity = activity(uow)
    numbers = [applications.submit_application(
        uow, complete_candidate(uow, storage, f"c{n}@example.com"), open_activity["id"]
    )["registration_number"] for n in range(3)]
    assert numbers == ["3528-2026-00001", "3528-2026-00002", "3528-2026-00003"]


def test_only_inside_the_window(uow, storage):
    identity = complete_candidate(uow, storage)
    now = utcnow()
    early = activity(uow, registration_opens_at=now + timedelta(hours=1))
    late = activity(uow, registration_opens_at=now - timedelta(days=9),
                    registration_closes_at=now - timedelta(seconds=1))
    with pytest.raises(RegistrationNotOpen) as refused:
        applications.submit_application(uow, identity, early["id"])
    assert refused.value.detail == "Registration has not opened yet."
    with pytest.raises(WindowClosed) as refused:
        applications.submit_application(uow, identity, late["id"])
    assert refused.value.detail == "Registration is closed."
    assert _submitted(uow) == [] and uow.applications.rows == {}


def test_the_quota_fills(uow, storage):
    full = activity(uow, quota=1)
    applications.submit_application(uow, complete_candidate(uow, storage, "a@example.com"),
                                    full["id"])
    late = complete_candidate(uow, storage, "b@example.com")
    with pytest.raises(QuotaFull) as refused:
        applications.submit_application(uow, late, full["id"])
    assert refused.value.detail == "The quota of this activity is full."
    assert len(_submitted(uow)) == 1
    assert uow.activities.get(full["id"]).application_count == 1


def test_once_per_activity(uow, storage):
    identity = complete_candidate(uow, storage)
    open_activity = activity(uow)
    applications.submit_application(uow, identity, open_activity["id"])
    with pytest.raises(AlreadyApplied) as refused:
        applications.submit_application(uow, identity, open_activity["id"])
    assert refused.value.detail == "You have already applied to this activity."
    assert len(_submitted(uow)) == 1
    assert uow.activities.get(open_activity["id"]).application_count == 1


def test_an_incomplete_application_lists_what_is_missing(uow, storage):
    banjar = activity(uow, requirements=BANJAR_2025)
    identity = candidate(uow)
    with pytest.raises(ApplicationIncomplete) as refused:
        applications.submit_application(uow, identity, banjar["id"])
    assert status_of(refused.value).http == 422
    assert refused.value.detail == "The application is not complete yet."
    assert refused.value.errors == {
        "profile": ["The profile is not filled in."],
        "documents": ["photo", "ktp", "ijazah", "cv", "phone_spec", "application_letter"]}
    statements = dict.fromkeys(STATEMENT_KEYS, True) | {"willing_contract": False}
    profiles.put_profile(uow, identity, profile_fields(statements=statements))
    profiles.put_document(uow, storage, identity, "cv", "application/pdf", PDF)
    with pytest.raises(ApplicationIncomplete) as refused:
        applications.submit_application(uow, identity, banjar["id"])
    assert refused.value.errors == {
        "statements": ["willing_contract"],
        "documents": ["photo", "ktp", "ijazah", "phone_spec", "application_letter"]}
    assert _submitted(uow) == []
    assert uow.activities.get(banjar["id"]).application_count == 0


def test_an_admin_opens_documents_of_its_own_satker(uow, storage):
    identity = complete_candidate(uow, storage)
    application = applications.submit_application(uow, identity, activity(uow)["id"])
    for admin in (ADMIN_3528, SUPERADMIN):
        document = applications.get_application_document(uow, storage, admin,
                                                         application["id"], "ktp")
        assert document["content"] == PDF and document["content_type"] == "application/pdf"
    with pytest.raises(ApplicationUnknown):  # as unknown as an application that is not there
        applications.get_application_document(uow, storage, ADMIN_3320, application["id"],
                                              "ktp")
    with pytest.raises(ApplicationUnknown):
        applications.get_application_document(uow, storage, ADMIN_3528, "nope", "ktp")
    with pytest.raises(DocumentMissing):
        applications.get_application_document(uow, storage, ADMIN_3528, application["id"],
                                               "cv")


def test_an_admin_opens_the_document_as_submitted_whatever_is_uploaded_later(uow, storage):
    identity = complete_candidate(uow, storage)
    application = applications.submit_application(uow, identity, activity(uow)["id"])
    [event] = _submitted(uow)
    [submitted_ktp] = [d for d in event["documents"] if d.kind == "ktp"]
    replaced = PDF + b"\n% a later scan\n"
    profiles.put_document(uow, storage, identity, "ktp", "application/pdf", replaced)
    applications.record_announced_results(uow, announced((identity, application)))
    profiles.put_document(uow, storage, identity, "pakta_integritas", "application/pdf",
                          replaced)
    document = applications.get_application_document(uow, storage, ADMIN_3528,
                                                     application["id"], "ktp")
    assert document["content"] == PDF and document["sha256"] == submitted_ktp.sha256
    # A kind first uploaded after submitting (the pakta integritas) is opened as it is now.
    pakta = applications.get_application_document(uow, storage, ADMIN_3528,
                                                  application["id"], "pakta_integritas")
    assert pakta["content"] == replaced
