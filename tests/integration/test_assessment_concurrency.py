"""The competency test's invariants on PostgreSQL, under real concurrency: the use cases through
the SQL repositories, each call in its own transaction on its own connection, many threads
released at once.

What the database must hold whatever the interleaving: a session never takes more bookings
than its capacity and an application never holds two (a refusal, 409, never a second row);
the CHECK and the append-only trigger hold even against raw SQL; a save the candidate was told
succeeded is counted by the close that races it; one replica keeps time at once; an outage is
credited to the attempts open during it; a double start is one attempt.

Each test gets its own database, copied from one migrated template (migrations run once).
"""
from __future__ import annotations

import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from services.assessment.domain.attempts import BY_DEADLINE, CLOSED, OPEN, score_of
from services.assessment.domain.errors import AlreadyBooked, AttemptOver, SessionFull
from services.assessment.persistence import models
from services.assessment.persistence.models import (
    AnswerLogRecord,
    AnswerRecord,
    AttemptQuestionRecord,
    AttemptRecord,
    BookingRecord,
    QuestionRecord,
)
from services.assessment.persistence.unit_of_work import AssessmentUnitOfWork
from services.assessment.use_cases import attempts as attempt_cases
from services.assessment.use_cases.activities import follow_activity
from services.assessment.use_cases.attempts import save_answer, start_attempt
from services.assessment.use_cases.bookings import book_session
from services.assessment.use_cases.eligibility import follow_administrative_decision
from services.assessment.use_cases.item_bank import add_questions
from services.assessment.use_cases.sessions import create_session
from services.assessment.use_cases.timekeeping import (
    TimekeepingRun,
    beat,
    close_and_report,
    keep_time,
)
from services.shared.contracts.errors import DomainError
from services.shared.contracts.identity import Identity
from services.shared.ops.migrate import upgrade
from services.shared.platform.database import (
    create_engine,
    session_factory,
    unit_of_work,
    utcnow,
)
from services.shared.platform.problems import status_of
from tests.support.infra import (
    database_copy,
    postgres_databases,
    wait_until,
)

WORKERS = 16  # threads and connections at once: PostgreSQL allows 100 to all the tests running
SATKER = "3528"
ACTIVITY = "act-1"
ADMIN = Identity("admin-1", "admin_satker", SATKER)
THRESHOLD = timedelta(seconds=10)  # OUTAGE_THRESHOLD_SECONDS' default
NO_OUTAGE = timedelta(days=1)  # for runs at a made-up time, where no gap is meant
WAIT = 30  # seconds any thread waits for another before the test fails


# -- databases ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def template_url():
    """Assessment's database migrated once (services/shared/ops/migrate.py); each test copies
    it."""
    with postgres_databases(["assessment"]) as urls:
        upgrade("assessment", urls["assessment"])
        yield urls["assessment"]


@pytest.fixture
def engine(template_url):
    """An engine on a fresh copy of the template, with a warm connection for every worker."""
    with database_copy(template_url) as url:
        engine = create_engine(url, pool_size=WORKERS)
        try:
            warm = [engine.connect() for _ in range(WORKERS)]
            for connection in warm:
                connection.close()
            yield engine
        finally:
            engine.dispose()


@pytest.fixture
def sessions(engine):
    return session_factory(engine)


# -- helpers -----------------------------------------------------------------------------------

def run(sessions, use_case, *args):
    """One use case in one transaction, as the rpc wrapper runs it."""
    with unit_of_work(sessions) as session:
        return use_case(AssessmentUnitOfWork(session), *args)


class Held:
    """A use case run in its own transaction on a thread of ``pool`` and held open there (its
    locks kept) until ``commit()``, which returns its result."""

    def __init__(self, pool, sessions, use_case, *args):
        self.ran, self.may_commit = threading.Event(), threading.Event()

        def hold():
            with unit_of_work(sessions) as session:
                result = use_case(AssessmentUnitOfWork(session), *args)
                self.ran.set()
                assert self.may_commit.wait(WAIT)
            return result
        self.future = pool.submit(hold)
        assert self.ran.wait(WAIT)

    def commit(self):
        self.may_commit.set()
        return self.future.result(WAIT)


def outcome(call):
    """What a caller gets: the result, or the refusal (any other error fails the test)."""
    try:
        return call()
    except DomainError as refusal:
        return refusal


def all_at_once(calls: list, workers: int = WORKERS) -> list:
    """Each call's outcome, in order; the worker threads are released together by a barrier
    (calls beyond the workers follow as soon as one is free)."""
    workers = min(workers, len(calls))
    barrier = threading.Barrier(workers + 1, timeout=WAIT)
    with ThreadPoolExecutor(workers, initializer=barrier.wait) as pool:
        futures = [pool.submit(outcome, call) for call in calls]
        barrier.wait()
        return [future.result(timeout=WAIT) for future in futures]


def scalar(sessions, query):
    with unit_of_work(sessions) as session:
        return session.execute(query).scalar_one()


def decided(application_id: str, account_id: str, status: str = "accepted") -> dict:
    """An administrative_decided payload as the inbox hands it over (loaded by its schema)."""
    return {"application_id": application_id, "activity_id": ACTIVITY, "satker_code": SATKER,
            "account_id": account_id, "registration_number": f"{SATKER}-2026-{account_id[-5:]}",
            "from_status": "pending", "status": status,
            "reason": None if status == "accepted" else "Berstatus ASN",
            "decided_by": "admin-1", "decided_at": datetime(2026, 11, 20, 3, tzinfo=UTC)}


def publish_activity(sessions, questions: int = 40) -> None:
    """The activity as registration's event brings it, and its item bank (two categories)."""
    with unit_of_work(sessions) as session:
        uow = AssessmentUnitOfWork(session)
        follow_activity(uow, {"activity_id": ACTIVITY, "satker_code": SATKER,
                              "name": "Sensus Ekonomi 2026", "version": 1})
        add_questions(uow, ADMIN, ACTIVITY, [
            {"text": f"Soal {number}", "options": ["A", "B", "C", "D"],
             "answer_index": number % 4, "category": "numerik" if number % 2 else "verbal"}
            for number in range(questions)])


def accepted_candidates(sessions, count: int) -> list[Identity]:
    """Candidates whose applications selection accepted (one event each, one transaction)."""
    tag = uuid.uuid4().hex[:8]
    candidates = [Identity(f"acc-{tag}-{number:05d}", "mitra") for number in range(count)]
    with unit_of_work(sessions) as session:
        uow = AssessmentUnitOfWork(session)
        for candidate in candidates:
            follow_administrative_decision(uow, decided(f"app-{candidate.account_id[4:]}",
                                                        candidate.account_id))
    return candidates


def new_session(sessions, capacity: int, starts_at: datetime | None = None,
                ends_at: datetime | None = None) -> str:
    """A session running now (its start may be past) unless told otherwise."""
    now = utcnow()
    return run(sessions, create_session, ADMIN, ACTIVITY, starts_at or now - timedelta(minutes=5),
               ends_at or now + timedelta(hours=3), capacity)["id"]


def booked(sessions, session_id: str) -> int:
    return scalar(sessions, sa.select(models.TestSessionRecord.booked).where(
        models.TestSessionRecord.id == session_id))


def bookings_of(sessions, session_id: str) -> int:
    return scalar(sessions, sa.select(sa.func.count()).select_from(BookingRecord).where(
        BookingRecord.session_id == session_id))


def attempt_row(sessions, attempt_id: str):
    with unit_of_work(sessions) as session:
        return session.get(AttemptRecord, attempt_id)


def waiting_on_a_lock(engine) -> int:
    """Backends of this database waiting for a lock (a transaction of its own each time:
    pg_stat_activity is a snapshot within one)."""
    with engine.connect() as connection:
        return connection.execute(sa.text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'")).scalar_one()


# -- booking -----------------------------------------------------------------------------------

def test_300_candidates_booking_50_seats_at_once_get_exactly_50(sessions):
    publish_activity(sessions)
    session_id = new_session(sessions, capacity=50)
    candidates = accepted_candidates(sessions, 300)

    outcomes = all_at_once([
        lambda candidate=candidate: run(sessions, book_session, candidate, session_id)
        for candidate in candidates])

    bookings = [result for result in outcomes if isinstance(result, dict)]
    refusals = [result for result in outcomes if not isinstance(result, dict)]
    assert len(bookings) == 50
    assert len({booking["application_id"] for booking in bookings}) == 50
    assert len(refusals) == 250
    assert all(isinstance(refusal, SessionFull) for refusal in refusals)
    assert {status_of(refusal).http for refusal in refusals} == {409}
    assert booked(sessions, session_id) == 50
    assert bookings_of(sessions, session_id) == 50


def test_one_candidate_booking_two_sessions_at_once_gets_one_booking(sessions):
    publish_activity(sessions)
    first, second = new_session(sessions, capacity=100), new_session(sessions, capacity=100)
    for candidate in accepted_candidates(sessions, 20):
        before = {first: booked(sessions, first), second: booked(sessions, second)}

        outcomes = all_at_once([
            lambda candidate=candidate, session_id=session_id: run(
                sessions, book_session, candidate, session_id)
            for session_id in (first, second)])

        [booking] = [result for result in outcomes if isinstance(result, dict)]
        [refusal] = [result for result in outcomes if not isinstance(result, dict)]
        assert isinstance(refusal, AlreadyBooked) and status_of(refusal).http == 409
        winner = booking["session_id"]
        loser = second if winner == first else first
        assert booked(sessions, winner) == before[winner] + 1
        assert booked(sessions, loser) == before[loser]  # its seat was rolled back
        assert scalar(sessions, sa.select(sa.func.count()).select_from(BookingRecord).where(
            BookingRecord.account_id == candidate.account_id)) == 1


def test_the_unique_index_refuses_a_second_booking_the_first_check_could_not_see(sessions,
                                                                                  engine):
    """The deterministic interleaving: the first booking is made but not committed, so the
    second passes the "already booked?" read, takes its seat and waits on the unique index;
    when the first commits, the index refuses it and its seat goes back."""
    publish_activity(sessions)
    first, second = new_session(sessions, capacity=5), new_session(sessions, capacity=5)
    [candidate] = accepted_candidates(sessions, 1)

    with ThreadPoolExecutor(2) as pool:
        holding = Held(pool, sessions, book_session, candidate, first)
        racing = pool.submit(outcome, lambda: run(sessions, book_session, candidate, second))
        wait_until(lambda: waiting_on_a_lock(engine) >= 1, timeout=WAIT,
                   message="the second booking waiting on the unique index")
        assert holding.commit()["session_id"] == first
        assert isinstance(racing.result(WAIT), AlreadyBooked)
    assert (booked(sessions, first), booked(sessions, second)) == (1, 0)
    assert (bookings_of(sessions, first), bookings_of(sessions, second)) == (1, 0)


def test_the_capacity_check_holds_against_raw_sql(sessions):
    publish_activity(sessions)
    session_id = new_session(sessions, capacity=3)
    for change in ("capacity + 1", "-1"):
        with pytest.raises(sa.exc.IntegrityError, match="ck_test_sessions_within_capacity"), \
                unit_of_work(sessions) as session:
            session.execute(sa.text(f"UPDATE test_sessions SET booked = {change} "
                                    "WHERE id = :id"), {"id": session_id})
    assert booked(sessions, session_id) == 0


# -- attempts ----------------------------------------------------------------------------------

def booked_candidates(sessions, count: int, capacity: int = 100, **window) -> tuple[str, list]:
    publish_activity(sessions)
    session_id = new_session(sessions, capacity=capacity, **window)
    candidates = accepted_candidates(sessions, count)
    for candidate in candidates:
        run(sessions, book_session, candidate, session_id)
    return session_id, candidates


def test_the_answer_log_is_append_only_even_for_raw_sql(sessions):
    session_id, [candidate] = booked_candidates(sessions, 1)
    started = run(sessions, start_attempt, candidate, session_id)
    run(sessions, save_answer, candidate, started["attempt_id"], started["questions"][0]["id"],
        2, "10.1.2.3")

    for statement in ("UPDATE answer_log SET option_index = 0", "DELETE FROM answer_log",
                      "TRUNCATE answer_log"):
        with pytest.raises(sa.exc.DBAPIError, match="answer_log is append-only"), \
                unit_of_work(sessions) as session:
            session.execute(sa.text(statement))
    with unit_of_work(sessions) as session:
        [entry] = session.execute(sa.select(AnswerLogRecord)).scalars().all()
    assert (entry.attempt_id, entry.question_id, entry.option_index, entry.client_address) == (
        started["attempt_id"], started["questions"][0]["id"], 2, "10.1.2.3")


def test_starting_twice_at_once_is_one_attempt(sessions):
    session_id, candidates = booked_candidates(sessions, 5)
    for candidate in candidates:
        first, second = all_at_once([
            lambda candidate=candidate: run(sessions, start_attempt, candidate, session_id)] * 2)

        assert first["attempt_id"] == second["attempt_id"]
        assert sorted((first["created"], second["created"])) == [False, True]
        assert first["questions"] == second["questions"]  # the same draw, the same order
        assert scalar(sessions, sa.select(sa.func.count()).select_from(AttemptRecord).where(
            AttemptRecord.account_id == candidate.account_id)) == 1
        assert scalar(sessions, sa.select(sa.func.count()).select_from(AttemptQuestionRecord)
                      .where(AttemptQuestionRecord.attempt_id == first["attempt_id"])) == 30


def race_saves_against_the_close(sessions, candidate: Identity, session_id: str,
                                 savers: int = 2) -> tuple[str, list, list]:
    """The candidate's attempt; ``savers`` threads save the same answers (their upserts race
    too), through the questions once and then the last one again and again until refused, so
    saves are in flight whenever the close comes; the timekeeper runs at the deadline from
    the sixth save acknowledged until the attempt is closed. (attempt id, the saves
    acknowledged, the refusals.)"""
    started = run(sessions, start_attempt, candidate, session_id)
    attempt_id, deadline = started["attempt_id"], started["deadline"]
    questions = [question["id"] for question in started["questions"]]
    acknowledged: list[tuple[str, int]] = []
    refused: list[DomainError] = []
    lock = threading.Lock()
    some_saved = threading.Event()

    def save_until_refused() -> None:
        for turn in range(len(questions) + 500):
            question_id = questions[min(turn, len(questions) - 1)]
            try:
                run(sessions, save_answer, candidate, attempt_id, question_id, 1, "10.0.0.1")
            except AttemptOver as refusal:
                with lock:
                    refused.append(refusal)
                return
            with lock:
                acknowledged.append((question_id, 1))
                if len(acknowledged) >= 6:
                    some_saved.set()

    def close_at_deadline() -> None:
        assert some_saved.wait(WAIT)
        while attempt_row(sessions, attempt_id).status == OPEN:
            # SKIP LOCKED: an attempt with a save in flight waits for the next run.
            assert run(sessions, keep_time, deadline, NO_OUTAGE) is not None

    barrier = threading.Barrier(savers + 2, timeout=WAIT)  # the savers, the closer and us
    with ThreadPoolExecutor(savers + 1, initializer=barrier.wait) as pool:
        futures = [pool.submit(save_until_refused) for _ in range(savers)]
        futures.append(pool.submit(close_at_deadline))
        barrier.wait()
        for future in futures:
            future.result(WAIT)
    return attempt_id, acknowledged, refused


def test_a_deadline_close_racing_saves_counts_every_save_acknowledged(sessions):
    """Whatever the interleaving, what the close counts is exactly what was acknowledged.
    (Two savers: more of them on one attempt keep its row share-locked nearly all the time,
    and the close, which skips a locked attempt, waits for them to stop.)"""
    session_id, candidates = booked_candidates(sessions, 3)
    for candidate in candidates:
        attempt_id, acknowledged, refused = race_saves_against_the_close(
            sessions, candidate, session_id)

        assert len(refused) == 2  # every saver saw the close
        saved = dict(acknowledged)
        closed = attempt_row(sessions, attempt_id)
        assert (closed.status, closed.closed_by) == (CLOSED, BY_DEADLINE)
        assert closed.answered == len(saved)
        with unit_of_work(sessions) as session:
            answers = dict(session.execute(
                sa.select(AnswerRecord.question_id, AnswerRecord.shown_index)
                .where(AnswerRecord.attempt_id == attempt_id)).all())
            log_entries = session.execute(sa.select(sa.func.count()).select_from(
                AnswerLogRecord).where(AnswerLogRecord.attempt_id == attempt_id)).scalar_one()
            keys = session.execute(
                sa.select(AttemptQuestionRecord.question_id, AttemptQuestionRecord.option_order,
                          QuestionRecord.answer_index)
                .join(QuestionRecord, QuestionRecord.id == AttemptQuestionRecord.question_id)
                .where(AttemptQuestionRecord.attempt_id == attempt_id)).all()
        assert answers == saved  # nothing refused was stored
        assert log_entries == len(acknowledged)  # every acknowledged save, once
        right = sum(1 for question_id, order, answer in keys if question_id in saved
                    and int(order.split(",")[saved[question_id]]) == answer)
        assert closed.score == score_of(right, 30)


def started_attempt(sessions) -> tuple[Identity, dict]:
    session_id, [candidate] = booked_candidates(sessions, 1)
    return candidate, run(sessions, start_attempt, candidate, session_id)


def test_a_save_in_flight_is_not_closed_under_and_the_next_run_counts_it(sessions):
    """The save has passed its check and is about to write when the deadline run comes: the
    run leaves the attempt for the next one, which counts the save."""
    candidate, started = started_attempt(sessions)
    attempt_id, question_id = started["attempt_id"], started["questions"][0]["id"]
    checked, may_write = threading.Event(), threading.Event()

    def save_held_after_its_check():
        with unit_of_work(sessions) as session:
            uow = AssessmentUnitOfWork(session)
            write = uow.attempts.save_answer

            def held(*args):
                checked.set()
                assert may_write.wait(WAIT)
                return write(*args)

            uow.attempts.save_answer = held
            return save_answer(uow, candidate, attempt_id, question_id, 1, "10.0.0.1")

    with ThreadPoolExecutor(1) as pool:
        saving = pool.submit(save_held_after_its_check)
        assert checked.wait(WAIT)
        skipped = run(sessions, keep_time, started["deadline"], NO_OUTAGE)
        may_write.set()
        assert saving.result(WAIT)["question_id"] == question_id  # acknowledged

    assert skipped.closed == 0 and attempt_row(sessions, attempt_id).status == OPEN
    assert run(sessions, keep_time, started["deadline"], NO_OUTAGE).closed == 1
    closed = attempt_row(sessions, attempt_id)
    assert (closed.status, closed.answered) == (CLOSED, 1)


def test_a_save_that_comes_while_the_close_is_under_way_waits_and_is_refused(sessions, engine):
    """The deadline run has closed the attempt but not committed yet: a save arriving now
    waits for it and is refused, so nothing is stored that the score did not count."""
    candidate, started = started_attempt(sessions)
    attempt_id, question_id = started["attempt_id"], started["questions"][0]["id"]
    closed_it, may_commit = threading.Event(), threading.Event()

    def close_and_hold():
        with unit_of_work(sessions) as session:
            result = keep_time(AssessmentUnitOfWork(session), started["deadline"], NO_OUTAGE)
            closed_it.set()
            assert may_commit.wait(WAIT)
        return result

    with ThreadPoolExecutor(2) as pool:
        closing = pool.submit(close_and_hold)
        assert closed_it.wait(WAIT)
        saving = pool.submit(outcome, lambda: run(
            sessions, save_answer, candidate, attempt_id, question_id, 1, "10.0.0.1"))
        wait_until(lambda: waiting_on_a_lock(engine) >= 1, timeout=WAIT,
                   message="the save waiting for the close")
        may_commit.set()
        assert closing.result(WAIT).closed == 1
        assert isinstance(saving.result(WAIT), AttemptOver)

    closed = attempt_row(sessions, attempt_id)
    assert (closed.status, closed.answered) == (CLOSED, 0)
    assert scalar(sessions, sa.select(sa.func.count()).select_from(AnswerRecord)) == 0
    assert scalar(sessions, sa.select(sa.func.count()).select_from(AnswerLogRecord)) == 0


def test_one_timekeeper_at_a_time(sessions):
    """Two replicas' runs, both inside their transaction at once: one keeps time, the other
    skips its turn; once the first has committed, the next run gets it."""
    now = utcnow()

    with ThreadPoolExecutor(2) as pool:
        holding = Held(pool, sessions, keep_time, now, THRESHOLD)
        second = pool.submit(run, sessions, keep_time, now, THRESHOLD).result(WAIT)
        first = holding.commit()

    assert isinstance(first, TimekeepingRun) and second is None
    assert isinstance(run(sessions, keep_time, now + timedelta(seconds=1), THRESHOLD),
                      TimekeepingRun)


def test_a_long_closing_run_never_holds_the_heartbeat_back(sessions):
    """Closing (the nameko service) and the heartbeat (the attempt server) take turns of their
    own: while a closing run holds its turn (a session's end, thousands of attempts), the
    attempt server still beats; two beats at once: one beats, the other skips."""
    now = utcnow()

    with ThreadPoolExecutor(3) as pool:
        closing = Held(pool, sessions, close_and_report, now, THRESHOLD)
        first_beat = Held(pool, sessions, beat, now, THRESHOLD)  # while closing holds its turn
        second_beat = pool.submit(run, sessions, beat, now, THRESHOLD).result(WAIT)
        assert first_beat.commit() == (None, 0)
        assert closing.commit() is not None
    assert second_beat is None  # the other replica's beat at that moment: skipped


def test_an_outage_is_credited_to_the_attempts_open_during_it(sessions, monkeypatch):
    """The last heartbeat 20 s ago: an attempt whose deadline is ahead, and one whose deadline
    fell inside the gap, get 20 s more; one whose deadline had passed before the gap began
    keeps it and is closed."""
    now = utcnow().replace(microsecond=0)
    gap_began = now - timedelta(seconds=20)
    session_id, candidates = booked_candidates(
        sessions, 3, starts_at=now - timedelta(hours=2), ends_at=now + timedelta(hours=2))
    started_at = {"ahead": now - timedelta(minutes=10),
                  "inside the gap": now - timedelta(minutes=60, seconds=10),
                  "before the gap": now - timedelta(minutes=61)}
    attempt_ids = {}
    for candidate, (name, at) in zip(candidates, started_at.items(), strict=True):
        monkeypatch.setattr(attempt_cases, "utcnow", lambda at=at: at)
        attempt_ids[name] = run(sessions, start_attempt, candidate, session_id)["attempt_id"]
    monkeypatch.undo()
    with unit_of_work(sessions) as session:
        AssessmentUnitOfWork(session).clock.beat(gap_began)

    result = run(sessions, keep_time, now, THRESHOLD)

    assert result.outage == timedelta(seconds=20)
    assert (result.credited, result.closed) == (2, 1)
    ahead, inside, before = (attempt_row(sessions, attempt_ids[name]) for name in started_at)
    assert ahead.deadline == now + timedelta(minutes=50, seconds=20)
    assert (ahead.status, inside.status) == (OPEN, OPEN)
    assert inside.deadline == now + timedelta(seconds=10)
    assert before.deadline == now - timedelta(minutes=1)
    assert (before.status, before.closed_by, before.closed_at) == (CLOSED, BY_DEADLINE, now)
    # The heartbeat is now: the next run finds no gap.
    assert run(sessions, keep_time, now + timedelta(seconds=1), THRESHOLD).outage is None


def test_the_seats_taken_are_the_bookings_made(sessions):
    """After a crowd on two sessions, each counter equals its rows (nothing leaked from the
    refusals' rolled-back seats)."""
    publish_activity(sessions)
    small, large = new_session(sessions, capacity=7), new_session(sessions, capacity=20)
    candidates = accepted_candidates(sessions, 40)
    outcomes = all_at_once([
        lambda candidate=candidate, session_id=session_id: run(
            sessions, book_session, candidate, session_id)
        for candidate in candidates for session_id in (small, large)])

    kinds = Counter(type(result).__name__ for result in outcomes)
    assert kinds["dict"] == 27 and kinds["dict"] + kinds["SessionFull"] + \
        kinds["AlreadyBooked"] == 80
    assert (booked(sessions, small), booked(sessions, large)) == (7, 20)
    assert (bookings_of(sessions, small), bookings_of(sessions, large)) == (7, 20)
