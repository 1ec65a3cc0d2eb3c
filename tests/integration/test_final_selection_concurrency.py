"""Final selection's invariants on PostgreSQL, under real concurrency: the use cases through the
SQL repositories, each call in its own transaction on its own connection, many threads
released at once.

What the database must hold whatever the interleaving: never more accepted than the
positions (20 parallel accepts for 5 positions -> exactly 5), one decision per application
(two at once -> one), the counter's CHECK and the append-only trail even against raw SQL, the
criteria locked by the first decision, one announcer at a time, and the ranking read from its
columns equal to the one made of whole applications (also after an upgrade, on SQLite).

Each test gets its own database, copied from one migrated template (migrations run once).
"""
from __future__ import annotations

import hashlib
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic import command

from services.selection.domain.errors import AlreadyDecided, CriteriaLocked, PositionsFilled
from services.selection.domain.final_selection import CandidateFacts
from services.selection.persistence.models import FinalCriteriaRecord, FinalDecisionRecord
from services.selection.persistence.unit_of_work import SelectionUnitOfWork
from services.selection.use_cases.activities import follow_activity
from services.selection.use_cases.announcement import announce_due, results
from services.selection.use_cases.assessment_results import record_attempt_completed
from services.selection.use_cases.final_selection import (
    accept_top,
    decide_final,
    ranking,
    set_criteria,
    set_interview_score,
)
from services.selection.use_cases.intake import record_submitted_application
from services.selection.use_cases.reviews import decide_application
from services.shared.contracts.errors import DomainError
from services.shared.contracts.identity import Identity
from services.shared.ops.migrate import alembic_config, upgrade
from services.shared.platform.database import (
    create_engine,
    session_factory,
    unit_of_work,
)
from services.shared.platform.problems import status_of
from tests.service.selection.events import activity_event, application_submitted, attempt_completed
from tests.support.infra import (
    database_copy,
    postgres_databases,
    wait_until,
)

WORKERS = 16
ADMIN = Identity("admin-1", "admin_satker", "3528")
WAIT = 30
ANNOUNCEMENT = datetime(2026, 12, 15, 1, tzinfo=UTC)
BEFORE = ANNOUNCEMENT - timedelta(hours=1)


@pytest.fixture(scope="module")
def template_url():
    with postgres_databases(["selection"]) as urls:
        upgrade("selection", urls["selection"])
        yield urls["selection"]


@pytest.fixture
def engine(template_url):
    with database_copy(template_url) as url:
        engine = create_engine(url, pool_size=WORKERS)
        try:
            yield engine
        finally:
            engine.dispose()


@pytest.fixture
def sessions(engine):
    return session_factory(engine)


def run(sessions, use_case, *args, **kwargs):
    with unit_of_work(sessions) as session:
        return use_case(SelectionUnitOfWork(session), *args, **kwargs)


def outcome(call):
    try:
        return call()
    except DomainError as refusal:
        return refusal


def all_at_once(calls: list, workers: int = WORKERS) -> list:
    workers = min(workers, len(calls))
    barrier = threading.Barrier(workers + 1, timeout=WAIT)
    with ThreadPoolExecutor(workers, initializer=barrier.wait) as pool:
        futures = [pool.submit(outcome, call) for call in calls]
        barrier.wait()
        return [future.result(timeout=WAIT) for future in futures]


def ranked_applications(sessions, count: int, positions: int = 5) -> list[str]:
    """``count`` applications, administratively accepted, test completed (distinct scores),
    and criteria with ``positions``."""
    ids = [f"app-{number:05d}" for number in range(count)]
    with unit_of_work(sessions) as session:
        uow = SelectionUnitOfWork(session)
        follow_activity(uow, activity_event(announcement_at=ANNOUNCEMENT))
        for number, application_id in enumerate(ids):
            record_submitted_application(uow, application_submitted(
                application_id=application_id, account_id=f"acc-{number:05d}"))
            decide_application(uow, ADMIN, application_id, "accepted", None)
            record_attempt_completed(uow, attempt_completed(
                application_id, account_id=f"acc-{number:05d}", score=50 + number))
        set_criteria(uow, ADMIN, "act-1", positions, {"test_score": 1}, 0, True, now=BEFORE)
    return ids


def accepted_rows(sessions) -> int:
    with unit_of_work(sessions) as session:
        return session.scalar(sa.select(sa.func.count()).select_from(FinalDecisionRecord)
                              .where(FinalDecisionRecord.decision == "accepted"))


def test_20_parallel_accepts_for_5_positions_accept_exactly_5(sessions):
    ids = ranked_applications(sessions, 20, positions=5)
    outcomes = all_at_once([
        lambda application_id=application_id: run(sessions, decide_final, ADMIN,
                                                  application_id, "accepted", None, now=BEFORE)
        for application_id in ids])
    accepted = [o for o in outcomes if isinstance(o, dict)]
    refused = [o for o in outcomes if not isinstance(o, dict)]
    assert len(accepted) == 5
    assert all(isinstance(o, PositionsFilled) and status_of(o).http == 409 for o in refused)
    assert accepted_rows(sessions) == 5
    with unit_of_work(sessions) as session:
        counter = session.get(FinalCriteriaRecord, "act-1")
        assert (counter.accepted, counter.decided) == (5, 5)


def test_accept_top_racing_single_accepts_never_passes_the_positions(sessions):
    ids = ranked_applications(sessions, 12, positions=5)
    outcomes = all_at_once(
        [lambda: run(sessions, accept_top, ADMIN, "act-1", 3, now=BEFORE)] * 3
        + [lambda application_id=application_id: run(sessions, decide_final, ADMIN,
                                                     application_id, "accepted", None,
                                                     now=BEFORE)
           for application_id in ids])
    assert all(isinstance(o, dict | PositionsFilled | AlreadyDecided) for o in outcomes)
    assert accepted_rows(sessions) <= 5
    with unit_of_work(sessions) as session:
        assert session.get(FinalCriteriaRecord, "act-1").accepted == accepted_rows(sessions)


def test_one_application_decided_twice_at_once_takes_one_decision(sessions):
    [application_id] = ranked_applications(sessions, 1)
    outcomes = all_at_once([
        lambda: run(sessions, decide_final, ADMIN, application_id, "accepted", None,
                    now=BEFORE),
        lambda: run(sessions, decide_final, ADMIN, application_id, "rejected", "Tidak lolos",
                    now=BEFORE)] * 4)
    assert sum(isinstance(o, dict) for o in outcomes) == 1
    assert all(isinstance(o, AlreadyDecided) for o in outcomes if not isinstance(o, dict))
    with unit_of_work(sessions) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(FinalDecisionRecord)) == 1
        assert session.get(FinalCriteriaRecord, "act-1").decided == 1


def test_the_positions_check_and_the_append_only_trail_hold_against_raw_sql(sessions):
    [application_id] = ranked_applications(sessions, 1, positions=1)
    run(sessions, decide_final, ADMIN, application_id, "accepted", None, now=BEFORE)
    for change in ("accepted + 1", "-1"):
        with pytest.raises(sa.exc.IntegrityError, match="ck_final_criteria_within_positions"), \
                unit_of_work(sessions) as session:
            session.execute(sa.text(f"UPDATE final_criteria SET accepted = {change}"))
    for statement in ("UPDATE final_decisions SET decision = 'rejected'",
                      "DELETE FROM final_decisions"):
        with pytest.raises(sa.exc.DBAPIError, match="final_decisions is append-only"), \
                unit_of_work(sessions) as session:
            session.execute(sa.text(statement))
    assert accepted_rows(sessions) == 1


def test_criteria_racing_the_first_decision_are_either_before_it_or_refused(sessions):
    ids = ranked_applications(sessions, 3, positions=3)
    outcomes = all_at_once([
        lambda: run(sessions, decide_final, ADMIN, ids[0], "accepted", None, now=BEFORE),
        lambda: run(sessions, set_criteria, ADMIN, "act-1", 1, {"test_score": 1}, 0, False,
                    now=BEFORE)])
    decision, criteria = outcomes
    if isinstance(criteria, CriteriaLocked):
        assert isinstance(decision, dict)
    else:  # the criteria came first: the decision counted against positions 1
        assert criteria["positions"] == 1
    with unit_of_work(sessions) as session:
        row = session.get(FinalCriteriaRecord, "act-1")
        assert row.accepted <= row.positions


def test_two_first_criteria_at_once_both_answer_and_the_later_holds(sessions, engine):
    """The first criteria of an activity put by two admins at the same moment: the second
    waits on the first's row, then sets its own over them (a PUT sets state), never a 500."""
    with unit_of_work(sessions) as session:
        follow_activity(SelectionUnitOfWork(session),
                        activity_event(announcement_at=ANNOUNCEMENT))
    first_put, first_may_commit = threading.Event(), threading.Event()

    def put_and_hold():
        with unit_of_work(sessions) as session:
            answer = set_criteria(SelectionUnitOfWork(session), ADMIN, "act-1", 3,
                                  {"test_score": 1}, 0, False, now=BEFORE)
            first_put.set()
            assert first_may_commit.wait(WAIT)
            return answer

    def waiting_on_a_lock() -> int:
        with engine.connect() as connection:  # a transaction of its own: a fresh snapshot
            return connection.execute(sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'")).scalar_one()

    with ThreadPoolExecutor(2) as pool:
        holding = pool.submit(put_and_hold)
        assert first_put.wait(WAIT)
        second = pool.submit(outcome, lambda: run(
            sessions, set_criteria, ADMIN, "act-1", 7, {"interview": 2}, 10, True, now=BEFORE))
        wait_until(waiting_on_a_lock, timeout=WAIT, message="the second put waiting")
        first_may_commit.set()
        assert holding.result(WAIT)["positions"] == 3
        assert second.result(WAIT)["positions"] == 7
    with unit_of_work(sessions) as session:
        row = session.get(FinalCriteriaRecord, "act-1")
        assert (row.positions, row.weights["interview"], row.disclose_scores) == (7, 2, True)


def test_one_announcer_at_a_time_and_the_announcement_once(sessions):
    ids = ranked_applications(sessions, 4, positions=2)
    run(sessions, accept_top, ADMIN, "act-1", 2, now=BEFORE)
    first_ran, first_may_commit = threading.Event(), threading.Event()

    def announce_and_hold():
        with unit_of_work(sessions) as session:
            uow = SelectionUnitOfWork(session)
            announced = announce_due(uow, ANNOUNCEMENT)
            first_ran.set()
            assert first_may_commit.wait(WAIT)
            return announced

    with ThreadPoolExecutor(2) as pool:
        holding = pool.submit(announce_and_hold)
        assert first_ran.wait(WAIT)
        second = pool.submit(run, sessions, announce_due, ANNOUNCEMENT).result(WAIT)
        first_may_commit.set()
        first = holding.result(WAIT)
    assert first == ["act-1"] and second is None
    assert run(sessions, announce_due, ANNOUNCEMENT + timedelta(seconds=1)) == []
    published = run(sessions, results, "act-1", now=ANNOUNCEMENT)
    assert [item["registration_number"] for item in published["items"]] == sorted(
        f"3528-2026-{application_id[-5:]}" for application_id in ids[-2:])
    with unit_of_work(sessions) as session:
        statuses = dict(session.execute(sa.text(
            "SELECT id, final_status FROM applications")).tuples().all())
        mails = session.scalar(sa.text(
            "SELECT count(*) FROM outgoing_mail WHERE subject LIKE 'Pengumuman%'"))
        announced = session.scalar(sa.text(
            "SELECT count(*) FROM outbox WHERE event_type = 'results_announced'"))
    assert (mails, announced) == (4, 1)  # the announcement once, each candidate mailed once
    assert statuses == {ids[0]: "rejected", ids[1]: "rejected", ids[2]: "accepted",
                        ids[3]: "accepted"}


def test_the_ranking_read_from_the_columns_equals_the_whole_applications(sessions):
    ids = ranked_applications(sessions, 5)
    run(sessions, set_interview_score, ADMIN, ids[0], 77.5, now=BEFORE)
    run(sessions, decide_final, ADMIN, ids[1], "rejected", "Berkas tidak lengkap", now=BEFORE)
    with unit_of_work(sessions) as session:
        uow = SelectionUnitOfWork(session)
        facts = {f.application_id: f for f in uow.applications.ranking_facts(
            activity_id="act-1")}
        whole = uow.applications.get(ids[0])
    assert facts[ids[0]] == CandidateFacts(
        application_id=ids[0], registration_number=whole.registration_number,
        full_name=whole.profile.full_name, submitted_at=whole.submitted_at,
        administrative_status="accepted", test_status="completed", test_score=50.0,
        preferred_met=whole.checks.preferred_score,
        preferred_total=whole.checks.preferred_total,
        has_bps_experience=whole.profile.has_bps_experience,
        education=whole.profile.education,
        domicile_regency_code=whole.profile.domicile_regency_code, satker_code="3528",
        interview=77.5, performance=None, final_status="pending", decision=None)
    assert facts[ids[1]].decision == "rejected"
    listed = run(sessions, ranking, ADMIN, "act-1")
    assert [item["application_id"] for item in listed["items"]] == list(reversed(ids))


def test_applications_held_before_final_selection_get_their_ranking_columns(tmp_path):
    """A database of the competency test's layout (0003) upgraded: each application's ranking
    columns come from its snapshot and checks."""
    url = f"sqlite:///{tmp_path / 'selection.db'}"
    upgrade("selection", url)
    command.downgrade(alembic_config("selection", url), "0003")
    engine = sa.create_engine(url)
    profile = {"full_name": "Siti Aminah", "education": "S1", "has_bps_experience": True,
               "domicile_regency_code": "3528"}
    with engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO applications (id, activity_id, activity_name, satker_code, year, "
            "account_id, registration_number, submitted_at, requirements, profile, documents, "
            "age, checks, administrative_status, received_at, data_version, updated_at, "
            "final_status) VALUES ('app-1', 'act-1', 'Rekrutmen', '3528', 2026, 'acc-1', "
            "'3528-2026-00001', '2026-11-07 03:00:00', '{}', :profile, '[]', 30, :checks, "
            "'accepted', '2026-11-07 03:00:01', 1, '2026-11-07 03:00:01', 'pending')"),
            {"profile": json.dumps(profile),
             "checks": json.dumps({"preferred_score": 3, "preferred_total": 5})})
    upgrade("selection", url)
    with engine.connect() as connection:
        row = connection.execute(sa.text(
            "SELECT full_name, education, has_bps_experience, domicile_regency_code, "
            "preferred_met, preferred_total FROM applications")).one()
    engine.dispose()
    assert tuple(row) == ("Siti Aminah", "S1", 1, "3528", 3, 5)


def test_the_mitra_roster_and_the_ranking_flag_in_sql(sessions):
    """The same person accepted by Sampang (announced) and applying to Pamekasan: the roster
    finds them by NIK digest and year, the Pamekasan ranking shows 3527."""
    from services.selection.use_cases.mitra_directory import find_mitra
    from tests.support.builders import profile_snapshot

    person = profile_snapshot()
    sampang = Identity("admin-2", "admin_satker", "3527")
    with unit_of_work(sessions) as session:
        uow = SelectionUnitOfWork(session)
        for activity_id, satker, admin in (("act-s", "3527", sampang), ("act-p", "3528", ADMIN)):
            follow_activity(uow, activity_event(activity_id, satker,
                                                announcement_at=ANNOUNCEMENT))
            for application_id, account_id, profile in (
                    (f"{activity_id}-1", "acc-1", person),
                    (f"{activity_id}-2", f"acc-{activity_id}", profile_snapshot())):
                record_submitted_application(uow, application_submitted(
                    application_id=application_id, account_id=account_id,
                    activity_id=activity_id, satker_code=satker, profile=profile))
                decide_application(uow, admin, application_id, "accepted", None)
                record_attempt_completed(uow, attempt_completed(
                    application_id, account_id=account_id, activity_id=activity_id,
                    satker_code=satker, score=80))
            set_criteria(uow, admin, activity_id, 2, {"test_score": 1}, 0, False, now=BEFORE)
        accept_top(uow, sampang, "act-s", 1, now=BEFORE)
    with unit_of_work(sessions) as session:
        uow = SelectionUnitOfWork(session)
        uow.activities.mark_announced("act-s", ANNOUNCEMENT)
    roster = run(sessions, find_mitra, None, hashlib.sha256(person.nik.encode()).hexdigest(),
                 2026)
    assert [(e["satker_code"], e["activity_id"]) for e in roster["items"]] == [
        ("3527", "act-s")]
    assert run(sessions, find_mitra, person.nik, None, 2025) == {"items": []}
    flags = {i["application_id"]: i["mitra_elsewhere"]
             for i in run(sessions, ranking, ADMIN, "act-p")["items"]}
    assert flags == {"act-p-1": ["3527"], "act-p-2": []}
