"""Final selection and the announcement over the in-memory unit of work: criteria, interview
scores, the ranking from the read model, decisions within the positions, the announcement's
switch, mails and event, the public list, the pakta integritas overview and the export."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from services.selection.domain.errors import (
    AlreadyAnnounced,
    AlreadyDecided,
    CriteriaLocked,
    FinalCriteriaRequired,
    FinalCriteriaUnknown,
    InvalidCount,
    InvalidFinalCriteria,
    InvalidInterviewScore,
    NotRanked,
    PositionsFilled,
    ReasonRequired,
    ResultsNotAnnounced,
)
from services.selection.use_cases.activities import follow_activity
from services.selection.use_cases.announcement import announce_due, results
from services.selection.use_cases.assessment_results import (
    record_attempt_completed,
    record_test_missed,
)
from services.selection.use_cases.export import export_final
from services.selection.use_cases.final_selection import (
    accept_top,
    decide_final,
    get_criteria,
    list_final_decisions,
    pakta_integritas,
    ranking,
    set_criteria,
    set_interview_score,
)
from services.selection.use_cases.intake import follow_profile_update, record_submitted_application
from services.selection.use_cases.reviews import decide_application, my_statuses
from services.shared.contracts.errors import NotInScope
from services.shared.contracts.events import RESULTS_ANNOUNCED
from services.shared.contracts.identity import Identity
from services.shared.platform.problems import status_of
from tests.service.selection.events import (
    activity_event,
    application_submitted,
    attempt_completed,
    missed_test,
    profile_updated,
)
from tests.support.builders import document_snapshots

ADMIN = Identity("admin-1", "admin_satker", "3528")
JEPARA = Identity("admin-2", "admin_satker", "3320")
ANNOUNCEMENT = datetime(2026, 12, 15, 1, tzinfo=UTC)  # 08:00 WIB
BEFORE = ANNOUNCEMENT - timedelta(seconds=1)
WEIGHTS = {"test_score": 1}
SCORES = {"app-1": 90.0, "app-2": 80.0, "app-3": 70.0, "app-4": 60.0, "app-5": 40.0}


def candidate(number: int) -> Identity:
    return Identity(f"acc-{number}", "mitra")


@pytest.fixture
def activity(uow):
    """Six applications: five accepted with a completed test (scores above), one missed."""
    follow_activity(uow, activity_event(announcement_at=ANNOUNCEMENT))
    for number in range(1, 7):
        record_submitted_application(uow, application_submitted(
            application_id=f"app-{number}", account_id=f"acc-{number}"))
        decide_application(uow, ADMIN, f"app-{number}", "accepted", None)
    for application_id, score in SCORES.items():
        record_attempt_completed(uow, attempt_completed(
            application_id, account_id=f"acc-{application_id[-1]}", score=score))
    record_test_missed(uow, missed_test("app-6", account_id="acc-6"))
    uow.mail.clear()
    uow.events.clear()
    return uow


def criteria(uow, positions=3, weights=None, minimum=50, disclose=False, now=BEFORE):
    return set_criteria(uow, ADMIN, "act-1", positions, weights or WEIGHTS, minimum, disclose,
                        now=now)


def order(result):
    return [item["application_id"] for item in result["items"]]


# -- criteria ----------------------------------------------------------------------------------

def test_criteria_are_set_read_back_and_checked(activity):
    with pytest.raises(FinalCriteriaUnknown):
        get_criteria(activity, ADMIN, "act-1")
    assert criteria(activity, weights={"test_score": 2, "interview": 1}) == {
        "positions": 3, "min_test_score": 50.0, "disclose_scores": False,
        "weights": {"test_score": 2.0, "preferred_score": 0.0, "experience": 0.0,
                    "education": 0.0, "domicile": 0.0, "interview": 1.0, "performance": 0.0}}
    assert get_criteria(activity, ADMIN, "act-1")["positions"] == 3
    with pytest.raises(InvalidFinalCriteria) as refused:
        criteria(activity, weights={"luck": 1})
    assert status_of(refused.value).http == 422
    with pytest.raises(NotInScope):
        set_criteria(activity, JEPARA, "act-1", 3, WEIGHTS, 0, False, now=BEFORE)


def test_criteria_are_locked_by_the_first_final_decision(activity):
    criteria(activity)
    criteria(activity, positions=4)  # no decision yet: may change
    decide_final(activity, ADMIN, "app-5", "rejected", "Nilai di bawah standar", now=BEFORE)
    with pytest.raises(CriteriaLocked) as refused:
        criteria(activity, positions=5)
    assert status_of(refused.value).http == 409
    assert get_criteria(activity, ADMIN, "act-1")["positions"] == 4


# -- the ranking -------------------------------------------------------------------------------

def test_the_ranking_lists_the_eligible_in_order_and_the_rest_apart(activity):
    with pytest.raises(FinalCriteriaUnknown):
        ranking(activity, ADMIN, "act-1")
    criteria(activity)
    result = ranking(activity, ADMIN, "act-1")
    assert order(result) == ["app-1", "app-2", "app-3", "app-4"]
    assert [item["rank"] for item in result["items"]] == [1, 2, 3, 4]
    assert result["total"] == 4
    assert [(i["application_id"], i["rank"]) for i in result["below_minimum"]] == [
        ("app-5", None)]
    first = result["items"][0]
    assert (first["total"], first["test_score"], first["final_status"],
            first["registration_number"]) == (90.0, 90.0, "pending", "3528-2026-app-1")
    assert set(first["components"]) == {"test_score", "preferred_score", "experience",
                                        "education", "domicile", "interview", "performance"}


def test_the_ranking_comes_in_pages_cut_from_the_whole_order(activity):
    criteria(activity)
    first = ranking(activity, ADMIN, "act-1", page=1, per_page=3)
    second = ranking(activity, ADMIN, "act-1", page=2, per_page=3)
    assert order(first) == ["app-1", "app-2", "app-3"] and order(second) == ["app-4"]
    assert [item["rank"] for item in second["items"]] == [4]  # the rank of the whole order
    assert (first["total"], first["below_minimum_total"]) == (4, 1)
    assert [i["application_id"] for i in first["below_minimum"]] == ["app-5"]
    assert second["below_minimum"] == []
    assert ranking(activity, ADMIN, "act-1", page=9, per_page=3)["items"] == []


def test_an_interview_score_moves_the_ranking(activity):
    criteria(activity, weights={"test_score": 1, "interview": 1})
    entries = ranking(activity, ADMIN, "act-1")["items"]
    assert {entry["interview_score"] for entry in entries} == {None}  # none entered yet
    assert set_interview_score(activity, ADMIN, "app-4", 0, now=BEFORE)["score"] == 0.0
    entries = {entry["application_id"]: entry for entry in ranking(activity, ADMIN, "act-1")[
        "items"]}
    assert entries["app-4"]["interview_score"] == 0.0  # entered as 0: not "none entered"
    assert entries["app-4"]["components"]["interview"] == 0.0
    assert set_interview_score(activity, ADMIN, "app-4", 100, now=BEFORE) == {
        "application_id": "app-4", "score": 100.0}
    assert order(ranking(activity, ADMIN, "act-1"))[0] == "app-4"  # (60 + 100) / 2 = 80
    for bad in (101, -1, "90", True, None):
        with pytest.raises(InvalidInterviewScore):
            set_interview_score(activity, ADMIN, "app-4", bad, now=BEFORE)


# -- decisions ---------------------------------------------------------------------------------

def test_decisions_one_by_one(activity):
    with pytest.raises(FinalCriteriaRequired):
        decide_final(activity, ADMIN, "app-1", "accepted", None, now=BEFORE)
    criteria(activity, positions=1)
    decided = decide_final(activity, ADMIN, "app-2", "accepted", None, now=BEFORE)
    assert (decided["decision"], decided["reason"], decided["decided_by"]) == (
        "accepted", None, "admin-1")
    with pytest.raises(AlreadyDecided):
        decide_final(activity, ADMIN, "app-2", "rejected", "Berubah pikiran", now=BEFORE)
    with pytest.raises(PositionsFilled):
        decide_final(activity, ADMIN, "app-1", "accepted", None, now=BEFORE)
    with pytest.raises(ReasonRequired):
        decide_final(activity, ADMIN, "app-1", "rejected", " ", now=BEFORE)
    with pytest.raises(NotRanked):  # below the minimum: may be rejected, not accepted
        decide_final(activity, ADMIN, "app-5", "accepted", None, now=BEFORE)
    decide_final(activity, ADMIN, "app-5", "rejected", "Nilai tes di bawah 50", now=BEFORE)
    decide_final(activity, ADMIN, "app-6", "rejected", "Tidak hadir tes", now=BEFORE)
    assert [(i["application_id"], i["decision"]) for i in list_final_decisions(
        activity, ADMIN, "act-1")["items"]] == [
        ("app-2", "accepted"), ("app-5", "rejected"), ("app-6", "rejected")]
    assert ranking(activity, ADMIN, "act-1")["items"][1]["final_status"] == "accepted"
    with pytest.raises(AlreadyDecided):  # no interview score changes a decided one
        set_interview_score(activity, ADMIN, "app-2", 50, now=BEFORE)


def test_accept_top_takes_the_first_undecided_and_never_passes_the_positions(activity):
    criteria(activity, positions=3)
    decide_final(activity, ADMIN, "app-1", "rejected", "Berkas palsu", now=BEFORE)
    assert accept_top(activity, ADMIN, "act-1", 1, now=BEFORE) == {"accepted": ["app-2"]}
    # Two left to decide among the ranked (app-5 is below the minimum): both fit.
    assert accept_top(activity, ADMIN, "act-1", 5, now=BEFORE) == {
        "accepted": ["app-3", "app-4"]}
    assert activity.final_criteria.counts("act-1") == (3, 4)
    assert accept_top(activity, ADMIN, "act-1", 1, now=BEFORE) == {"accepted": []}
    for bad in (0, -1, "2", True):
        with pytest.raises(InvalidCount):
            accept_top(activity, ADMIN, "act-1", bad, now=BEFORE)


def test_accept_top_past_the_positions_accepts_nothing(activity):
    criteria(activity, positions=2)
    with pytest.raises(PositionsFilled):
        accept_top(activity, ADMIN, "act-1", 3, now=BEFORE)
    assert activity.final_decisions.entries == []
    assert activity.final_criteria.counts("act-1") == (0, 0)
    accept_top(activity, ADMIN, "act-1", 1, now=BEFORE)
    with pytest.raises(PositionsFilled):
        accept_top(activity, ADMIN, "act-1", 2, now=BEFORE)
    assert [e.application_id for e in activity.final_decisions.entries] == ["app-1"]


# -- the announcement --------------------------------------------------------------------------

def _decided(uow, disclose=False):
    criteria(uow, positions=2, disclose=disclose)
    accept_top(uow, ADMIN, "act-1", 2, now=BEFORE)
    decide_final(uow, ADMIN, "app-3", "rejected", "Kuota terpenuhi", now=BEFORE)
    return uow


def _final(uow, number, now):
    (status,) = my_statuses(uow, candidate(number), [f"app-{number}"], now=now)["items"]
    return status


def test_before_the_announcement_nothing_is_visible(activity):
    _decided(activity)
    assert announce_due(activity, BEFORE) == []
    with pytest.raises(ResultsNotAnnounced) as refused:
        results(activity, "act-1", now=BEFORE)
    assert status_of(refused.value).http == 404
    assert activity.mail == [] and activity.events == []


def test_at_the_time_the_statuses_switch_mails_go_and_the_event_is_recorded(activity):
    _decided(activity)
    assert announce_due(activity, ANNOUNCEMENT) == ["act-1"]
    finals = {a.id: a.final_status for a in activity.applications.rows.values()}
    assert finals == {"app-1": "accepted", "app-2": "accepted", "app-3": "rejected",
                      "app-4": "rejected", "app-5": "rejected", "app-6": "withdrawn"}
    subjects = sorted(mail["subject"] for mail in activity.mail)
    assert len(subjects) == 5  # the withdrawn candidate is not mailed
    assert sum("Diterima" in subject for subject in subjects) == 2
    assert all(subject.startswith("Pengumuman hasil seleksi") for subject in subjects)
    (event,) = activity.events.of_type(RESULTS_ANNOUNCED)
    assert [a["application_id"] for a in event["accepted"]] == ["app-1", "app-2"]
    assert event["rejected_count"] == 3
    assert announce_due(activity, ANNOUNCEMENT + timedelta(seconds=1)) == []  # once
    assert len(activity.mail) == 5


def test_the_public_list_has_three_fields_in_registration_number_order(activity):
    _decided(activity)
    published = results(activity, "act-1", now=ANNOUNCEMENT)  # on the dot, before the timer
    assert published == {"total": 2, "items": [
        {"registration_number": "3528-2026-app-1", "full_name": "Siti Aminah",
         "kecamatan": "Tlanakan"},
        {"registration_number": "3528-2026-app-2", "full_name": "Siti Aminah",
         "kecamatan": "Tlanakan"}]}


def test_the_candidate_sees_pending_then_the_result_and_the_total_only_if_disclosed(
        activity):
    _decided(activity, disclose=True)
    assert [(_final(activity, n, BEFORE).final_status, _final(activity, n, BEFORE).final_score)
            for n in (1, 3, 6)] == [("pending", None), ("pending", None), ("withdrawn", None)]
    assert _final(activity, 1, BEFORE).test_score == 90.0  # disclosed by the criteria
    assert [(_final(activity, n, ANNOUNCEMENT).final_status,
             _final(activity, n, ANNOUNCEMENT).final_score) for n in (1, 3, 6)] == [
        ("accepted", 90.0), ("rejected", 70.0), ("withdrawn", None)]


def test_scores_stay_hidden_without_disclosure(activity):
    _decided(activity, disclose=False)
    announce_due(activity, ANNOUNCEMENT)
    status = _final(activity, 1, ANNOUNCEMENT)
    assert (status.final_status, status.final_score, status.test_score) == (
        "accepted", None, None)


def test_nothing_changes_after_the_announcement(activity):
    _decided(activity)
    announce_due(activity, ANNOUNCEMENT)
    after = ANNOUNCEMENT + timedelta(minutes=1)
    with pytest.raises(AlreadyAnnounced):
        decide_final(activity, ADMIN, "app-4", "rejected", "Terlambat", now=after)
    with pytest.raises(AlreadyAnnounced):
        criteria(activity, now=after)
    with pytest.raises(AlreadyAnnounced):
        set_interview_score(activity, ADMIN, "app-4", 80, now=after)


def test_another_replica_announcing_skips_the_run(activity):
    _decided(activity)
    activity.announcer_turn_free = False
    assert announce_due(activity, ANNOUNCEMENT) is None
    assert activity.mail == []


# -- pakta integritas and the export ----------------------------------------------------------

def test_the_admin_sees_who_has_uploaded_the_pakta_integritas(activity):
    _decided(activity)
    follow_profile_update(activity, profile_updated(
        account_id="acc-2", data_version=5,
        documents=document_snapshots(("photo", "ktp", "ijazah", "pakta_integritas"))))
    overview = pakta_integritas(activity, ADMIN, "act-1")
    assert [(i["application_id"], i["uploaded"]) for i in overview["items"]] == [
        ("app-1", False), ("app-2", True)]
    assert (overview["total"], overview["uploaded"]) == (2, 1)
    with pytest.raises(NotInScope):
        pakta_integritas(activity, JEPARA, "act-1")


def test_the_final_export_lists_rank_components_total_status_and_pakta(activity):
    _decided(activity)
    exported = export_final(activity, ADMIN, "act-1", "csv")
    rows = list(csv.reader(io.StringIO(exported["content"].decode("utf-8-sig"))))
    assert rows[0][:3] == ["Peringkat", "No. Pendaftaran", "Nama Lengkap"]
    assert rows[0][-3:] == ["Nilai Akhir", "Status Akhir", "Pakta Integritas"]
    assert [row[:2] for row in rows[1:]] == [
        ["1", "3528-2026-app-1"], ["2", "3528-2026-app-2"], ["3", "3528-2026-app-3"],
        ["4", "3528-2026-app-4"], ["", "3528-2026-app-5"]]
    assert [row[-2] for row in rows[1:4]] == ["Diterima", "Diterima", "Tidak diterima"]
    assert rows[1][-1] == "Tidak"
    xlsx = export_final(activity, ADMIN, "act-1", "xlsx")
    assert xlsx["content"][:2] == b"PK" and xlsx["filename"].endswith(".xlsx")
    with pytest.raises(NotInScope):
        export_final(activity, JEPARA, "act-1", "csv")
