"""The mitra roster for other satker: who was announced accepted as mitra where in a year (by
NIK or its SHA-256), and the ranking showing a candidate already accepted elsewhere."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.selection.domain.final_selection import nik_digest
from services.selection.use_cases.activities import follow_activity
from services.selection.use_cases.announcement import announce_due
from services.selection.use_cases.assessment_results import record_attempt_completed
from services.selection.use_cases.final_selection import (
    accept_top,
    decide_final,
    ranking,
    set_criteria,
)
from services.selection.use_cases.intake import record_submitted_application
from services.selection.use_cases.mitra_directory import find_mitra
from services.selection.use_cases.reviews import decide_application
from services.shared.contracts.errors import InvalidInput
from services.shared.contracts.identity import Identity
from tests.service.selection.events import (
    activity_event,
    application_submitted,
    attempt_completed,
)
from tests.support.builders import profile_snapshot

SAMPANG = Identity("admin-2", "admin_satker", "3527")
PAMEKASAN = Identity("admin-1", "admin_satker", "3528")
ANNOUNCED = datetime(2026, 12, 15, 1, tzinfo=UTC)
PERSON = profile_snapshot()


def applied_and_tested(uow, admin, activity_id, satker, application_id, account_id, profile):
    record_submitted_application(uow, application_submitted(
        application_id=application_id, account_id=account_id, activity_id=activity_id,
        satker_code=satker, profile=profile))
    decide_application(uow, admin, application_id, "accepted", None)
    record_attempt_completed(uow, attempt_completed(application_id, account_id=account_id,
                                                    activity_id=activity_id,
                                                    satker_code=satker, score=80))


@pytest.fixture
def roster(uow):
    """The person accepted by Sampang (announced), and applying to Pamekasan as well."""
    follow_activity(uow, activity_event("act-s", "3527", announcement_at=ANNOUNCED))
    follow_activity(uow, activity_event("act-p", "3528",
                                        announcement_at=ANNOUNCED + timedelta(days=9)))
    applied_and_tested(uow, SAMPANG, "act-s", "3527", "app-s1", "acc-1", PERSON)
    applied_and_tested(uow, SAMPANG, "act-s", "3527", "app-s2", "acc-2", profile_snapshot())
    set_criteria(uow, SAMPANG, "act-s", 1, {"test_score": 1}, 0, False,
                 now=ANNOUNCED - timedelta(days=1))
    decide = ANNOUNCED - timedelta(hours=1)
    decide_final(uow, SAMPANG, "app-s1", "accepted", None, now=decide)
    decide_final(uow, SAMPANG, "app-s2", "rejected", "Posisi terisi", now=decide)
    applied_and_tested(uow, PAMEKASAN, "act-p", "3528", "app-p1", "acc-1", PERSON)
    applied_and_tested(uow, PAMEKASAN, "act-p", "3528", "app-p2", "acc-3", profile_snapshot())
    return uow


def test_the_roster_answers_only_after_the_announcement(roster):
    assert find_mitra(roster, PERSON.nik, None, 2026) == {"items": []}
    announce_due(roster, ANNOUNCED)
    expected = {"items": [{"satker_code": "3527", "activity_id": "act-s",
                           "activity_name": "Rekrutmen Mitra BPS 2027-Pendaftaran",
                           "announced_at": ANNOUNCED}]}
    assert find_mitra(roster, PERSON.nik, None, 2026) == expected
    assert find_mitra(roster, None, nik_digest(PERSON.nik), 2026) == expected
    assert find_mitra(roster, PERSON.nik, None, 2027) == {"items": []}


def test_the_ranking_shows_a_candidate_already_mitra_elsewhere(roster):
    set_criteria(roster, PAMEKASAN, "act-p", 1, {"test_score": 1}, 0, False, now=ANNOUNCED)
    assert {i["application_id"]: i["mitra_elsewhere"] for i in ranking(
        roster, PAMEKASAN, "act-p")["items"]} == {"app-p1": [], "app-p2": []}
    announce_due(roster, ANNOUNCED)
    assert {i["application_id"]: i["mitra_elsewhere"] for i in ranking(
        roster, PAMEKASAN, "act-p")["items"]} == {"app-p1": ["3527"], "app-p2": []}
    assert accept_top(roster, PAMEKASAN, "act-p", 1, now=ANNOUNCED) == {
        "accepted": ["app-p1"]}  # the satker decides: the roster informs


@pytest.mark.parametrize(("nik", "digest", "year", "field"), [
    (None, None, 2026, "nik"), ("3528015403950001", "a" * 64, 2026, "nik"),
    ("12345", None, 2026, "nik"), (None, "A" * 64, 2026, "nik_sha256"),
    ("3528015403950001", None, 1999, "year"), ("3528015403950001", None, 0, "year"),
])
def test_a_bad_question_is_refused(uow, nik, digest, year, field):
    with pytest.raises(InvalidInput) as refused:
        find_mitra(uow, nik, digest, year)
    assert field in refused.value.errors
