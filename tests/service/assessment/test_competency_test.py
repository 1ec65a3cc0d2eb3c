"""The competency test through its use cases, on the in-memory unit of work: the satker's
scope, the item bank taken whole or not at all, booking (accepted only, once, within capacity,
before the end), the voiding decision, the timed attempt (window, resume, saves, submit, score,
nothing a candidate gets names a correct answer) and the timekeeper (deadlines, no-shows,
outage credit). Time is moved by replacing each use-case module's ``utcnow``."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from services.assessment.domain.attempts import BY_CANDIDATE, BY_DEADLINE, CLOSED, SUBMITTED
from services.assessment.domain.errors import (
    ActivityUnknown,
    AlreadyBooked,
    AttemptOver,
    AttemptUnknown,
    InvalidQuestions,
    ItemBankEmpty,
    NoBooking,
    NotAccepted,
    OutsideSessionWindow,
    QuestionNotInAttempt,
    SessionEnded,
    SessionFull,
    SessionUnknown,
)
from services.assessment.domain.model import ACTIVE, VOIDED
from services.assessment.use_cases import attempts as attempts_module
from services.assessment.use_cases import bookings as bookings_module
from services.assessment.use_cases import eligibility as eligibility_module
from services.assessment.use_cases import item_bank as item_bank_module
from services.assessment.use_cases import sessions as sessions_module
from services.assessment.use_cases.activities import follow_activity
from services.assessment.use_cases.attempts import (
    get_attempt,
    save_answer,
    start_attempt,
    submit_attempt,
)
from services.assessment.use_cases.bookings import book_session, my_tests
from services.assessment.use_cases.eligibility import follow_administrative_decision
from services.assessment.use_cases.item_bank import add_questions, list_questions
from services.assessment.use_cases.sessions import create_session, list_sessions
from services.assessment.use_cases.timekeeping import beat, close_and_report, keep_time
from services.shared.contracts.errors import InvalidInput, NotInScope
from services.shared.contracts.events import ATTEMPT_COMPLETED, TEST_MISSED
from services.shared.contracts.identity import Identity
from tests.service.assessment.fakes import InMemoryAssessmentUnitOfWork

ADMIN = Identity("admin-1", "admin_satker", "3528")
JEPARA = Identity("admin-2", "admin_satker", "3320")
CANDIDATE = Identity("acc-1", "mitra")
SECOND = Identity("acc-2", "mitra")
THIRD = Identity("acc-3", "mitra")

SESSION_STARTS = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)  # 07:00 WIB
SESSION_ENDS = SESSION_STARTS + timedelta(hours=2)
DAY_BEFORE = SESSION_STARTS - timedelta(days=1)
DECIDED_AT = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
THRESHOLD = timedelta(seconds=15)
BANK_SIZE = 45
ADDRESS = "203.0.113.7"

# What would name a correct answer, or the bank's order behind the candidate's.
SECRET_KEYS = {"answer_index", "bank_index", "option_order", "seed", "correct", "answer_key"}


class Clock:
    """The server's clock as the use cases read it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock(DAY_BEFORE)
    for module in (attempts_module, bookings_module, eligibility_module, item_bank_module,
                   sessions_module):
        monkeypatch.setattr(module, "utcnow", clock)
    return clock


@pytest.fixture
def uow() -> InMemoryAssessmentUnitOfWork:
    return InMemoryAssessmentUnitOfWork()


def activity(activity_id: str = "act-1", satker_code: str = "3528") -> dict:
    return {"activity_id": activity_id, "satker_code": satker_code, "name": "Sensus 2026",
            "version": 1}


def question(number: int, **changes) -> dict:
    item = {"text": f"Soal nomor {number}?",
            "options": [f"{number}-{letter}" for letter in "ABCD"],
            "answer_index": number % 4, "category": ("tiu", "twk", "tkp")[number % 3]}
    item.update(changes)
    return item


def decided(status: str, application_id: str = "app-1", account_id: str = "acc-1",
            at: datetime = DECIDED_AT) -> dict:
    return {"application_id": application_id, "activity_id": "act-1", "satker_code": "3528",
            "account_id": account_id, "registration_number": f"3528-2026-{application_id}",
            "status": status, "decided_at": at}


@dataclass
class World:
    uow: InMemoryAssessmentUnitOfWork
    clock: Clock
    session_id: str

    def at(self, now: datetime) -> World:
        self.clock.now = now
        return self

    def answer_key(self) -> dict[str, dict]:
        """The admin's view of the bank: the answer key."""
        return {item["id"]: item
                for item in list_questions(self.uow, ADMIN, "act-1", 1, 1000)["items"]}


@pytest.fixture
def world(uow, clock) -> World:
    """Activity act-1 of satker 3528, a bank of 45 questions in 3 categories, one session on
    1 December 07:00-09:00 WIB with 50 seats, and acc-1 (app-1) and acc-2 (app-2) accepted."""
    follow_activity(uow, activity())
    add_questions(uow, ADMIN, "act-1", [question(number) for number in range(BANK_SIZE)])
    session = create_session(uow, ADMIN, "act-1", SESSION_STARTS, SESSION_ENDS, 50)
    follow_administrative_decision(uow, decided("accepted"))
    follow_administrative_decision(uow, decided("accepted", "app-2", "acc-2"))
    return World(uow, clock, session["id"])


def booked_and_started(world: World, identity: Identity = CANDIDATE,
                       after_start: timedelta = timedelta(minutes=5)) -> dict:
    book_session(world.uow, identity, world.session_id)
    world.at(SESSION_STARTS + after_start)
    return start_attempt(world.uow, identity, world.session_id)


def correct_shown_index(world: World, shown: dict) -> int:
    """Where the candidate sees the right option of a question: found by its text."""
    key = world.answer_key()[shown["id"]]
    return shown["options"].index(key["options"][key["answer_index"]])


def secret_keys_in(value) -> set[str]:
    if isinstance(value, dict):
        found = {key for key in value if key in SECRET_KEYS}
        for inner in value.values():
            found |= secret_keys_in(inner)
        return found
    if isinstance(value, (list, tuple)):
        return set().union(*(secret_keys_in(inner) for inner in value))
    return set()


# Satker scope


def test_another_satker_s_admin_may_not_touch_the_activity(world):
    uow = world.uow
    with pytest.raises(NotInScope):
        add_questions(uow, JEPARA, "act-1", [question(1)])
    with pytest.raises(NotInScope):
        list_questions(uow, JEPARA, "act-1", 1, 10)
    with pytest.raises(NotInScope):
        create_session(uow, JEPARA, "act-1", SESSION_STARTS, SESSION_ENDS, 10)
    with pytest.raises(NotInScope):
        list_sessions(uow, JEPARA, "act-1")
    assert len(uow.questions.rows) == BANK_SIZE and len(uow.sessions.rows) == 1


def test_a_candidate_never_reads_the_item_bank(world):
    with pytest.raises(NotInScope):
        list_questions(world.uow, CANDIDATE, "act-1", 1, 10)


def test_an_unknown_activity_is_unknown(world):
    with pytest.raises(ActivityUnknown):
        add_questions(world.uow, ADMIN, "act-unknown", [question(1)])
    with pytest.raises(ActivityUnknown):
        create_session(world.uow, ADMIN, "act-unknown", SESSION_STARTS, SESSION_ENDS, 10)
    with pytest.raises(ActivityUnknown):
        list_sessions(world.uow, CANDIDATE, "act-unknown")


def test_the_superadmin_acts_for_every_satker(world):
    root = Identity("root", "superadmin")
    assert add_questions(world.uow, root, "act-1", [question(99)]) == {"created": 1}


# The item bank


def test_questions_are_taken_whole_or_not_at_all(uow, clock):
    follow_activity(uow, activity())
    with pytest.raises(InvalidQuestions) as caught:
        add_questions(uow, ADMIN, "act-1", [question(1), question(2, options=["A", "B", "C"]),
                                            question(3, answer_index=4)])
    assert caught.value.errors == {
        "items.1.options": ["Give 4 or 5 options."],
        "items.2.answer_index": ["The correct option must be one of the options."]}
    assert list_questions(uow, ADMIN, "act-1", 1, 10) == {"items": [], "total": 0}

    assert add_questions(uow, ADMIN, "act-1", [question(1), question(2)]) == {"created": 2}
    listed = list_questions(uow, ADMIN, "act-1", 1, 10)
    assert listed["total"] == 2
    # Only the admin's list shows the answer key.
    assert sorted((item["text"], item["answer_index"]) for item in listed["items"]) == [
        ("Soal nomor 1?", 1), ("Soal nomor 2?", 2)]


def test_an_attempt_cannot_start_on_an_empty_bank(uow, clock):
    follow_activity(uow, activity())
    session = create_session(uow, ADMIN, "act-1", SESSION_STARTS, SESSION_ENDS, 5)
    follow_administrative_decision(uow, decided("accepted"))
    book_session(uow, CANDIDATE, session["id"])
    clock.now = SESSION_STARTS
    with pytest.raises(ItemBankEmpty):
        start_attempt(uow, CANDIDATE, session["id"])


# Booking


def test_an_accepted_candidate_books_one_seat(world):
    booking = book_session(world.uow, CANDIDATE, world.session_id)
    assert (booking["session_id"], booking["application_id"], booking["activity_id"]) == (
        world.session_id, "app-1", "act-1")
    assert (booking["starts_at"], booking["ends_at"]) == (SESSION_STARTS, SESSION_ENDS)
    assert world.uow.sessions.get(world.session_id).booked == 1
    assert [item["booked"] for item in list_sessions(world.uow, CANDIDATE, "act-1")[
        "items"]] == [1]


@pytest.mark.parametrize("status", ["pending", "needs_confirmation", "rejected"])
def test_a_candidate_not_accepted_may_not_book(world, status):
    follow_administrative_decision(world.uow, decided(status, "app-3", "acc-3"))
    with pytest.raises(NotAccepted):
        book_session(world.uow, THIRD, world.session_id)
    assert world.uow.sessions.get(world.session_id).booked == 0


def test_a_candidate_assessment_has_not_heard_of_may_not_book(world):
    with pytest.raises(NotAccepted):
        book_session(world.uow, THIRD, world.session_id)


def test_an_unknown_session_cannot_be_booked(world):
    with pytest.raises(SessionUnknown):
        book_session(world.uow, CANDIDATE, "session-unknown")


def test_a_second_booking_is_refused_in_the_same_or_another_session(world):
    other = create_session(world.uow, ADMIN, "act-1", SESSION_ENDS,
                           SESSION_ENDS + timedelta(hours=2), 50)
    book_session(world.uow, CANDIDATE, world.session_id)
    for session_id in (world.session_id, other["id"]):
        with pytest.raises(AlreadyBooked):
            book_session(world.uow, CANDIDATE, session_id)
    assert world.uow.sessions.get(world.session_id).booked == 1
    assert world.uow.sessions.get(other["id"]).booked == 0
    assert len(world.uow.bookings.rows) == 1


def test_a_full_session_refuses_the_next_candidate(world):
    small = create_session(world.uow, ADMIN, "act-1", SESSION_STARTS, SESSION_ENDS, 1)
    book_session(world.uow, CANDIDATE, small["id"])
    with pytest.raises(SessionFull):
        book_session(world.uow, SECOND, small["id"])
    assert world.uow.sessions.get(small["id"]).booked == 1
    # The refused booking's row goes with the transaction's rollback (the booking is written
    # before the seat is taken): tests/integration/test_assessment_concurrency.py proves it on
    # PostgreSQL; the in-memory unit of work has no rollback.


def test_a_session_that_has_ended_cannot_be_booked_one_running_can(world):
    world.at(SESSION_STARTS + timedelta(minutes=30))
    book_session(world.uow, CANDIDATE, world.session_id)
    world.at(SESSION_ENDS)
    with pytest.raises(SessionEnded):
        book_session(world.uow, SECOND, world.session_id)


def test_a_later_rejection_voids_a_booking_without_attempt_and_frees_its_seat(world):
    small = create_session(world.uow, ADMIN, "act-1", SESSION_STARTS, SESSION_ENDS, 1)
    booking = book_session(world.uow, CANDIDATE, small["id"])
    follow_administrative_decision(world.uow, decided(
        "rejected", at=DECIDED_AT + timedelta(days=1)))
    assert world.uow.bookings.rows[booking["id"]].status == VOIDED
    assert world.uow.sessions.get(small["id"]).booked == 0
    assert my_tests(world.uow, CANDIDATE, ["app-1"])["items"][0]["status"] == "not_booked"
    # The seat is someone else's now; the rejected candidate may neither start nor rebook.
    book_session(world.uow, SECOND, small["id"])
    world.at(SESSION_STARTS)
    with pytest.raises(NoBooking):
        start_attempt(world.uow, CANDIDATE, small["id"])
    with pytest.raises(NotAccepted):
        book_session(world.uow, CANDIDATE, small["id"])


def test_no_decision_voids_a_booking_whose_attempt_started(world):
    started = booked_and_started(world)
    follow_administrative_decision(world.uow, decided(
        "rejected", at=DECIDED_AT + timedelta(days=1)))
    booking = world.uow.bookings.active_of_application("app-1")
    assert booking is not None and booking.status == ACTIVE
    assert world.uow.sessions.get(world.session_id).booked == 1
    first = started["questions"][0]
    save_answer(world.uow, CANDIDATE, started["attempt_id"], first["id"], 0, ADDRESS)


# Starting and resuming


@pytest.mark.parametrize("now", [SESSION_STARTS - timedelta(seconds=1), SESSION_ENDS,
                                 SESSION_ENDS + timedelta(hours=1)])
def test_an_attempt_opens_only_inside_the_session_window(world, now):
    book_session(world.uow, CANDIDATE, world.session_id)
    world.at(now)
    with pytest.raises(OutsideSessionWindow):
        start_attempt(world.uow, CANDIDATE, world.session_id)
    assert world.uow.attempts.rows == {}


def test_only_a_booked_candidate_starts(world):
    world.at(SESSION_STARTS)
    with pytest.raises(NoBooking):
        start_attempt(world.uow, CANDIDATE, world.session_id)
    with pytest.raises(SessionUnknown):
        start_attempt(world.uow, CANDIDATE, "session-unknown")


def test_an_attempt_draws_thirty_questions_with_a_deadline_sixty_minutes_on(world):
    started = booked_and_started(world)
    assert started["created"] is True and started["status"] == "open"
    assert started["started_at"] == SESSION_STARTS + timedelta(minutes=5)
    assert started["deadline"] == SESSION_STARTS + timedelta(minutes=65)
    assert started["seconds_left"] == 3600
    assert len(started["questions"]) == 30 == len({q["id"] for q in started["questions"]})
    assert started["answers"] == {}
    keys = world.answer_key()
    for shown in started["questions"]:
        assert shown["text"] == keys[shown["id"]]["text"]
        assert sorted(shown["options"]) == sorted(keys[shown["id"]]["options"])


def test_an_attempt_started_near_the_session_end_ends_with_it(world):
    started = booked_and_started(world, after_start=timedelta(minutes=100))
    assert started["deadline"] == SESSION_ENDS
    assert started["seconds_left"] == 20 * 60


def test_starting_again_resumes_the_same_attempt_with_its_answers(world):
    first = booked_and_started(world)
    chosen = {shown["id"]: position % 4 for position, shown in enumerate(first["questions"][:3])}
    for question_id, index in chosen.items():
        save_answer(world.uow, CANDIDATE, first["attempt_id"], question_id, index, ADDRESS)
    world.at(SESSION_STARTS + timedelta(minutes=25))
    again = start_attempt(world.uow, CANDIDATE, world.session_id)
    assert again["created"] is False
    assert again["attempt_id"] == first["attempt_id"]
    assert again["questions"] == first["questions"]  # same questions, same orders
    assert again["answers"] == chosen
    assert again["deadline"] == first["deadline"]
    assert again["seconds_left"] == 40 * 60
    assert len(world.uow.attempts.rows) == 1


def test_each_candidate_gets_an_own_order(world):
    first = booked_and_started(world)
    world.at(DAY_BEFORE)
    second = booked_and_started(world, SECOND)
    assert first["questions"] != second["questions"]


def test_nothing_a_candidate_gets_names_a_correct_answer(world):
    booking = book_session(world.uow, CANDIDATE, world.session_id)
    world.at(SESSION_STARTS + timedelta(minutes=5))
    started = start_attempt(world.uow, CANDIDATE, world.session_id)
    first = started["questions"][0]
    responses = [
        booking, started, start_attempt(world.uow, CANDIDATE, world.session_id),
        save_answer(world.uow, CANDIDATE, started["attempt_id"], first["id"], 1, ADDRESS),
        get_attempt(world.uow, CANDIDATE, started["attempt_id"]),
        list_sessions(world.uow, CANDIDATE, "act-1"),
        my_tests(world.uow, CANDIDATE, ["app-1"]),
        submit_attempt(world.uow, CANDIDATE, started["attempt_id"]),
    ]
    assert [secret_keys_in(response) for response in responses] == [set()] * len(responses)
    # An option is its text and nothing else; and the candidate's order is not the bank's.
    keys = world.answer_key()
    for shown in started["questions"]:
        assert set(shown) == {"id", "text", "options"}
        assert all(isinstance(option, str) for option in shown["options"])
    assert any(shown["options"] != keys[shown["id"]]["options"]
               for shown in started["questions"])


# Saving answers


def test_a_save_is_kept_and_logged_with_the_client_address_every_time(world):
    started = booked_and_started(world)
    attempt_id, first = started["attempt_id"], started["questions"][0]["id"]
    world.at(SESSION_STARTS + timedelta(minutes=6))
    saved = save_answer(world.uow, CANDIDATE, attempt_id, first, 2, ADDRESS)
    assert saved == {"attempt_id": attempt_id, "question_id": first, "option_index": 2,
                     "saved_at": SESSION_STARTS + timedelta(minutes=6),
                     "seconds_left": 59 * 60}
    world.at(SESSION_STARTS + timedelta(minutes=7))
    save_answer(world.uow, CANDIDATE, attempt_id, first, 3, "198.51.100.9")
    assert world.uow.attempts.answers(attempt_id) == {first: 3}  # the latest counts
    assert [(row.attempt_id, row.question_id, row.option_index, row.saved_at,
             row.client_address) for row in world.uow.answer_log] == [
        (attempt_id, first, 2, SESSION_STARTS + timedelta(minutes=6), ADDRESS),
        (attempt_id, first, 3, SESSION_STARTS + timedelta(minutes=7), "198.51.100.9")]
    order = next(item.option_order for item in world.uow.attempts.drawn[attempt_id]
                 if item.question_id == first)
    assert world.uow.attempts.saved[(attempt_id, first)].bank_index == order[3]


def test_another_candidate_s_attempt_is_unknown(world):
    started = booked_and_started(world)
    first = started["questions"][0]["id"]
    for attempt_id in (started["attempt_id"], "attempt-unknown"):
        with pytest.raises(AttemptUnknown):
            save_answer(world.uow, SECOND, attempt_id, first, 0, ADDRESS)
    with pytest.raises(AttemptUnknown):
        get_attempt(world.uow, SECOND, started["attempt_id"])
    with pytest.raises(AttemptUnknown):
        submit_attempt(world.uow, SECOND, started["attempt_id"])
    assert world.uow.answer_log == [] and world.uow.events == []


def test_a_question_not_in_the_attempt_is_refused(world):
    started = booked_and_started(world)
    drawn = {shown["id"] for shown in started["questions"]}
    not_drawn = next(question_id for question_id in world.answer_key() if question_id not in drawn)
    for question_id in (not_drawn, "question-unknown"):
        with pytest.raises(QuestionNotInAttempt):
            save_answer(world.uow, CANDIDATE, started["attempt_id"], question_id, 0, ADDRESS)
    assert world.uow.answer_log == []


@pytest.mark.parametrize("option_index", [4, -1, 99])
def test_an_option_index_outside_the_options_shown_is_refused(world, option_index):
    started = booked_and_started(world)
    with pytest.raises(InvalidInput) as caught:
        save_answer(world.uow, CANDIDATE, started["attempt_id"], started["questions"][0]["id"],
                    option_index, ADDRESS)
    assert caught.value.errors == {"option_index": ["Choose one of the 4 options: 0 to 3."]}
    assert world.uow.answer_log == []


def test_no_answer_is_taken_at_or_after_the_deadline(world):
    started = booked_and_started(world)
    first = started["questions"][0]["id"]
    for now in (started["deadline"], started["deadline"] + timedelta(seconds=1)):
        world.at(now)
        with pytest.raises(AttemptOver):
            save_answer(world.uow, CANDIDATE, started["attempt_id"], first, 0, ADDRESS)
    assert get_attempt(world.uow, CANDIDATE, started["attempt_id"])["status"] == CLOSED
    with pytest.raises(AttemptOver):
        submit_attempt(world.uow, CANDIDATE, started["attempt_id"])
    assert world.uow.answer_log == [] and world.uow.events == []


# Submitting


def answer(world: World, started: dict, right: int, wrong: int) -> None:
    """Answer the first ``right`` questions correctly and the next ``wrong`` ones wrongly."""
    for position, shown in enumerate(started["questions"][:right + wrong]):
        correct = correct_shown_index(world, shown)
        index = correct if position < right else (correct + 1) % len(shown["options"])
        save_answer(world.uow, CANDIDATE, started["attempt_id"], shown["id"], index, ADDRESS)


def test_the_correct_shown_index_is_where_the_bank_s_answer_was_moved(world):
    started = booked_and_started(world)
    keys = world.answer_key()
    for item in world.uow.attempts.drawn[started["attempt_id"]]:
        shown = next(q for q in started["questions"] if q["id"] == item.question_id)
        assert correct_shown_index(world, shown) == item.option_order.index(
            keys[item.question_id]["answer_index"])


def test_submit_scores_the_saved_answers_and_tells_selection(world):
    started = booked_and_started(world)
    answer(world, started, right=10, wrong=5)
    world.at(SESSION_STARTS + timedelta(minutes=40))
    assert submit_attempt(world.uow, CANDIDATE, started["attempt_id"]) == {
        "attempt_id": started["attempt_id"], "status": SUBMITTED}
    assert world.uow.events.of_type(ATTEMPT_COMPLETED) == [{
        "attempt_id": started["attempt_id"], "application_id": "app-1", "activity_id": "act-1",
        "satker_code": "3528", "account_id": "acc-1", "session_id": world.session_id,
        "score": 33.33, "answered": 15, "question_count": 30, "closed_by": BY_CANDIDATE,
        "completed_at": (SESSION_STARTS + timedelta(minutes=40)).isoformat()}]
    attempt = world.uow.attempts.get(started["attempt_id"])
    assert (attempt.status, attempt.score, attempt.answered, attempt.closed_by) == (
        SUBMITTED, 33.33, 15, BY_CANDIDATE)
    assert get_attempt(world.uow, CANDIDATE, started["attempt_id"])["status"] == SUBMITTED
    assert my_tests(world.uow, CANDIDATE, ["app-1"])["items"][0]["status"] == "completed"


def test_all_right_scores_one_hundred(world):
    started = booked_and_started(world)
    answer(world, started, right=30, wrong=0)
    submit_attempt(world.uow, CANDIDATE, started["attempt_id"])
    assert world.uow.events.of_type(ATTEMPT_COMPLETED)[0]["score"] == 100.0


def test_a_retried_submit_answers_the_same_and_tells_selection_once(world):
    started = booked_and_started(world)
    submit_attempt(world.uow, CANDIDATE, started["attempt_id"])
    assert submit_attempt(world.uow, CANDIDATE, started["attempt_id"])["status"] == SUBMITTED
    assert len(world.uow.events.of_type(ATTEMPT_COMPLETED)) == 1
    with pytest.raises(AttemptOver):
        save_answer(world.uow, CANDIDATE, started["attempt_id"],
                    started["questions"][0]["id"], 0, ADDRESS)


def test_the_status_page_follows_the_test(world):
    def status() -> str:
        return my_tests(world.uow, CANDIDATE, ["app-1"])["items"][0]["status"]

    assert status() == "not_booked"
    book_session(world.uow, CANDIDATE, world.session_id)
    assert status() == "booked"
    # Another candidate's booking is not this candidate's business.
    book_session(world.uow, SECOND, world.session_id)
    assert my_tests(world.uow, CANDIDATE, ["app-2"])["items"] == [
        {"application_id": "app-2", "session_id": None, "status": "not_booked",
         "attempt_id": None}]
    world.at(SESSION_STARTS)
    started = start_attempt(world.uow, CANDIDATE, world.session_id)
    assert my_tests(world.uow, CANDIDATE, ["app-1"])["items"] == [
        {"application_id": "app-1", "session_id": world.session_id, "status": "in_progress",
         "attempt_id": started["attempt_id"]}]
    world.at(SESSION_ENDS)
    assert my_tests(world.uow, SECOND, ["app-2"])["items"][0]["status"] == "missed"


# The timekeeper


def test_the_timekeeper_closes_attempts_at_their_deadline_with_the_saved_answers(world):
    started = booked_and_started(world)
    answer(world, started, right=3, wrong=2)
    deadline = started["deadline"]
    keep_time(world.uow, deadline - timedelta(seconds=1), THRESHOLD)
    assert world.uow.events.of_type(ATTEMPT_COMPLETED) == []

    run = keep_time(world.uow, deadline + timedelta(seconds=2), THRESHOLD)
    assert (run.outage, run.credited, run.closed) == (None, 0, 1)
    assert world.uow.events.of_type(ATTEMPT_COMPLETED) == [{
        "attempt_id": started["attempt_id"], "application_id": "app-1", "activity_id": "act-1",
        "satker_code": "3528", "account_id": "acc-1", "session_id": world.session_id,
        "score": 10.0, "answered": 5, "question_count": 30, "closed_by": BY_DEADLINE,
        "completed_at": (deadline + timedelta(seconds=2)).isoformat()}]
    attempt = world.uow.attempts.get(started["attempt_id"])
    assert (attempt.status, attempt.closed_by, attempt.score) == (CLOSED, BY_DEADLINE, 10.0)
    # Closed once: the next run finds nothing due.
    assert keep_time(world.uow, deadline + timedelta(seconds=4), THRESHOLD).closed == 0
    assert len(world.uow.events.of_type(ATTEMPT_COMPLETED)) == 1


def test_the_timekeeper_leaves_a_submitted_attempt_alone(world):
    started = booked_and_started(world)
    submit_attempt(world.uow, CANDIDATE, started["attempt_id"])
    run = keep_time(world.uow, started["deadline"] + timedelta(seconds=1), THRESHOLD)
    assert run.closed == 0
    assert world.uow.attempts.get(started["attempt_id"]).closed_by == BY_CANDIDATE


def test_no_shows_are_reported_once_when_the_session_ends(world):
    follow_administrative_decision(world.uow, decided("accepted", "app-3", "acc-3"))
    booked_and_started(world)  # acc-1 takes the test
    world.at(DAY_BEFORE)
    book_session(world.uow, SECOND, world.session_id)  # acc-2 never comes
    book_session(world.uow, THIRD, world.session_id)  # acc-3 is rejected before the test
    follow_administrative_decision(world.uow, decided(
        "rejected", "app-3", "acc-3", DECIDED_AT + timedelta(days=1)))

    assert keep_time(world.uow, SESSION_ENDS - timedelta(seconds=1), THRESHOLD).missed == 0
    run = keep_time(world.uow, SESSION_ENDS, THRESHOLD)
    assert run.missed == 1
    assert world.uow.events.of_type(TEST_MISSED) == [{
        "application_id": "app-2", "activity_id": "act-1", "satker_code": "3528",
        "account_id": "acc-2", "session_id": world.session_id,
        "session_ended_at": SESSION_ENDS.isoformat()}]
    assert keep_time(world.uow, SESSION_ENDS + timedelta(seconds=5), THRESHOLD).missed == 0
    assert len(world.uow.events.of_type(TEST_MISSED)) == 1


def test_an_outage_gives_open_attempts_its_length_back(world):
    started = booked_and_started(world)
    deadline = started["deadline"]
    last_beat = deadline - timedelta(seconds=5)  # the service died 5 s before the deadline
    world.uow.clock.beat(last_beat)
    back = last_beat + timedelta(seconds=20)

    run = keep_time(world.uow, back, THRESHOLD)
    assert (run.outage, run.credited, run.closed) == (timedelta(seconds=20), 1, 0)
    assert world.uow.attempts.get(started["attempt_id"]).deadline == deadline + timedelta(
        seconds=20)
    assert world.uow.clock.last_beat() == back
    # The candidate has the 5 seconds that were left when we went down, and may still save.
    world.at(back)
    assert get_attempt(world.uow, CANDIDATE, started["attempt_id"])["seconds_left"] == 5
    save_answer(world.uow, CANDIDATE, started["attempt_id"], started["questions"][0]["id"], 0,
                ADDRESS)
    # Credited once: the next run, a beat later, finds no outage.
    again = keep_time(world.uow, back + timedelta(seconds=3), THRESHOLD)
    assert (again.outage, again.credited) == (None, 0)
    assert world.uow.attempts.get(started["attempt_id"]).deadline == deadline + timedelta(
        seconds=20)


def test_the_heartbeat_half_credits_and_beats_without_closing_anything(world):
    """The service commits the heartbeat on its own (two transactions): beating and crediting
    need nothing of the closing half, which may fail without stopping the heartbeat."""
    started = booked_and_started(world)
    world.uow.clock.beat(started["deadline"] - timedelta(seconds=5))
    back = started["deadline"] + timedelta(seconds=30)  # past even the old deadline

    assert beat(world.uow, back, THRESHOLD) == (timedelta(seconds=35), 1)
    assert world.uow.clock.last_beat() == back
    attempt = world.uow.attempts.get(started["attempt_id"])
    assert attempt.status == "open"
    assert attempt.deadline == started["deadline"] + timedelta(seconds=35)
    world.uow.heartbeat_turns = False  # another replica beats now
    assert beat(world.uow, back + timedelta(seconds=1), THRESHOLD) is None


def test_an_outage_shorter_than_the_threshold_credits_nothing(world):
    started = booked_and_started(world)
    world.uow.clock.beat(SESSION_STARTS + timedelta(minutes=10))
    run = keep_time(world.uow, SESSION_STARTS + timedelta(minutes=10, seconds=10), THRESHOLD)
    assert (run.outage, run.credited) == (None, 0)
    assert world.uow.attempts.get(started["attempt_id"]).deadline == started["deadline"]


def test_an_attempt_finished_before_the_outage_is_not_credited(world):
    started = booked_and_started(world)
    submit_attempt(world.uow, CANDIDATE, started["attempt_id"])
    world.uow.clock.beat(SESSION_STARTS + timedelta(minutes=10))
    run = keep_time(world.uow, SESSION_STARTS + timedelta(minutes=30), THRESHOLD)
    assert (run.outage, run.credited) == (timedelta(minutes=20), 0)
    assert world.uow.attempts.get(started["attempt_id"]).deadline == started["deadline"]


def test_only_the_replica_holding_the_turn_keeps_time(world):
    started = booked_and_started(world)
    world.uow.heartbeat_turns = world.uow.timekeeper_turns = False
    assert keep_time(world.uow, started["deadline"] + timedelta(minutes=1), THRESHOLD) is None
    assert world.uow.clock.last_beat() is None
    assert world.uow.attempts.get(started["attempt_id"]).status == "open"
    assert world.uow.events == []


def test_an_attempt_started_after_the_outage_is_not_credited(world):
    before = booked_and_started(world)
    world.at(DAY_BEFORE)
    book_session(world.uow, SECOND, world.session_id)
    last_beat = SESSION_STARTS + timedelta(minutes=10)
    world.uow.clock.beat(last_beat)
    back = last_beat + timedelta(seconds=20)
    # The restarted service answers a start a moment before its timekeeper's first run.
    world.at(back)
    after = start_attempt(world.uow, SECOND, world.session_id)

    keep_time(world.uow, back + timedelta(milliseconds=50), THRESHOLD)
    # The gap runs to the timekeeper's run: 20.05 s back for the attempt open during it; the
    # one the restarted service started at ``back`` was open for 50 ms of it, not the outage.
    assert world.uow.attempts.get(before["attempt_id"]).deadline == before["deadline"] + (
        timedelta(seconds=20, milliseconds=50))
    assert world.uow.attempts.get(after["attempt_id"]).deadline == after["deadline"] + (
        timedelta(milliseconds=50))


def test_nothing_is_closed_while_the_heartbeat_is_stale(world):
    """The heartbeat is the attempt server's, the closing the nameko service's: while the
    attempt server is down (its last beat older than the threshold), candidates cannot answer
    and their deadlines are about to move, so no attempt is closed and no no-show reported;
    once it beats again (and credits), closing goes on."""
    started = booked_and_started(world)
    deadline = started["deadline"]
    world.uow.clock.beat(deadline - timedelta(seconds=5))  # the attempt server died here
    world.at(DAY_BEFORE)
    book_session(world.uow, SECOND, world.session_id)  # a no-show, due at the session's end
    late = max(deadline, SESSION_ENDS) + timedelta(seconds=30)

    assert close_and_report(world.uow, late, THRESHOLD) == (0, 0)
    assert world.uow.attempts.get(started["attempt_id"]).status == "open"
    assert world.uow.events.of_type(ATTEMPT_COMPLETED) == []
    assert world.uow.events.of_type(TEST_MISSED) == []

    credited = beat(world.uow, late, THRESHOLD)  # back: the outage credited first
    assert credited is not None and credited[1] == 1
    assert close_and_report(world.uow, late, THRESHOLD) == (0, 1)  # still inside its time
    assert world.uow.attempts.get(started["attempt_id"]).status == "open"
