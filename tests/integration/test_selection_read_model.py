"""Selection's read model against events arriving out of order: registration's events travel
on different queues, so an older profile change can arrive after the application snapshot
that already contains a newer one. The data version decides, not the arrival order."""
from __future__ import annotations

from datetime import date, datetime, timezone


from services.selection.persistence.models import ApplicationRecord, Base
from services.selection.read_model import follow_profile_update, record_submitted_application
from services.shared.platform.database import create_engine, session_factory, unit_of_work
from tests.support.builders import BANJAR_2025

PROFILE = {
    "nik": "3279014101950001", "full_name": "Siti Aminah", "sex": "P",
    "birth_date": date(1995, 1, 1), "phone": "+6281234567890", "email": "siti@example.com",
    "address": "Jl. Mayjen Lili Kusumah, Banjar", "kecamatan_code": "327901",
    "kecamatan_name": "Banjar", "domicile_regency_code": "3279",
    "domicile_regency_name": "Kota Banjar", "education": "SMA", "occupation": "Wiraswasta",
    "is_asn": False, "has_other_institution_contract": False, "has_bps_experience": True,
    "has_capi_experience": False, "owns_smartphone": True, "can_use_computer": True,
    "can_ride_motorbike": True,
    "statements": {"healthy": True, "disciplined": True, "willing_contract": True,
                   "willing_training": True, "literate": True},
}
ALL_DOCUMENTS = [{"kind": kind, "sha256": "0" * 64, "size": 10, "content_type": "application/pdf"}
                 for kind in ("photo", "ktp", "ijazah", "cv", "phone_spec",
                              "application_letter")]


def test_an_older_profile_change_arriving_late_does_not_undo_a_newer_snapshot(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'selection.db'}")
    Base.metadata.create_all(engine)
    sessions = session_factory(engine)
    with unit_of_work(sessions) as session:
        record_submitted_application(session, {}, {
            "application_id": "app-1", "activity_id": "act-1", "activity_name": "Rekrutmen",
            "satker_code": "3279", "year": 2026, "account_id": "acc-1",
            "registration_number": "3279-2026-00001",
            "submitted_at": datetime(2026, 11, 7, 3, tzinfo=timezone.utc),
            "requirements": BANJAR_2025, "data_version": 7, "profile": PROFILE,
            "documents": ALL_DOCUMENTS})

    def late_change(version, documents):
        with unit_of_work(sessions) as session:
            follow_profile_update(session, {}, {
                "account_id": "acc-1", "updated_at": datetime.now(timezone.utc),
                "data_version": version, "profile": dict(PROFILE, address="Alamat lama"),
                "documents": documents})
        with unit_of_work(sessions) as session:
            return session.get(ApplicationRecord, "app-1")

    stale = late_change(6, ALL_DOCUMENTS[:5])  # before the last upload
    assert stale.checks["mandatory_failures"] == []
    assert stale.profile["address"] == PROFILE["address"] and stale.data_version == 7

    newer = late_change(8, ALL_DOCUMENTS[:5])  # a newer change is applied
    assert newer.data_version == 8
    assert newer.checks["mandatory_failures"] == ["document:application_letter"]
    assert newer.profile["address"] == "Alamat lama"
    engine.dispose()


def test_a_newer_profile_change_arriving_before_the_application_is_not_lost(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'selection.db'}")
    Base.metadata.create_all(engine)
    sessions = session_factory(engine)
    with unit_of_work(sessions) as session:  # v8 overtakes the application's v7
        follow_profile_update(session, {}, {
            "account_id": "acc-2", "updated_at": datetime.now(timezone.utc),
            "data_version": 8, "profile": dict(PROFILE, address="Alamat baru"),
            "documents": ALL_DOCUMENTS})
    with unit_of_work(sessions) as session:
        record_submitted_application(session, {}, {
            "application_id": "app-2", "activity_id": "act-1", "activity_name": "Rekrutmen",
            "satker_code": "3279", "year": 2026, "account_id": "acc-2",
            "registration_number": "3279-2026-00002",
            "submitted_at": datetime(2026, 11, 7, 3, tzinfo=timezone.utc),
            "requirements": BANJAR_2025, "data_version": 7, "profile": PROFILE,
            "documents": ALL_DOCUMENTS[:5]})
    with unit_of_work(sessions) as session:
        record = session.get(ApplicationRecord, "app-2")
        assert (record.data_version, record.profile["address"]) == (8, "Alamat baru")
        assert record.checks["mandatory_failures"] == []
    engine.dispose()
