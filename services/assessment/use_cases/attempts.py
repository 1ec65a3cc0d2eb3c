"""The timed attempt: start (or resume) inside the booked session, save each answer as it is
given, submit; the deadline is the server's. The candidate sees the questions and options in
their own order and never an answer key."""
from __future__ import annotations

import secrets
from datetime import datetime

from services.assessment.domain.attempts import (
    BY_CANDIDATE,
    OPEN,
    SUBMITTED,
    bank_index,
    check_may_answer,
    check_may_start,
    deadline_of,
    draw_questions,
    public_status,
    score_of,
    seconds_left,
)
from services.assessment.domain.errors import (
    AttemptOver,
    AttemptUnknown,
    NoBooking,
    QuestionNotInAttempt,
    SessionUnknown,
)
from services.assessment.domain.model import Attempt
from services.shared.contracts.errors import InvalidInput
from services.shared.contracts.events import ATTEMPT_COMPLETED
from services.shared.contracts.identity import Identity
from services.shared.platform.database import new_id, utcnow


def _shown(uow, attempt: Attempt, created: bool, now: datetime) -> dict:
    items = uow.attempts.items(attempt.id)
    return {
        "attempt_id": attempt.id, "created": created,
        "status": public_status(attempt.status, attempt.deadline, now),
        "started_at": attempt.started_at, "deadline": attempt.deadline,
        "seconds_left": seconds_left(attempt.deadline, now) if attempt.status == OPEN else 0,
        "questions": [{"id": item.drawn.question_id, "text": item.text,
                       "options": [item.options[index] for index in item.drawn.option_order]}
                      for item in items],
        "answers": {} if created else uow.attempts.answers(attempt.id),
    }


def start_attempt(uow, identity: Identity, session_id: str) -> dict:
    """The candidate's attempt of the booked session: a new one inside the session's window,
    or the one already started, with the answers saved so far and the seconds left."""
    session = uow.sessions.get(session_id)
    if session is None:
        raise SessionUnknown()
    # Locked: a decision voiding the booking and this start take turns.
    booking = uow.bookings.active_of_candidate(identity.account_id, session.id,
                                               for_update=True)
    if booking is None:
        raise NoBooking()
    now = utcnow()
    attempt = uow.attempts.of_booking(booking.id)
    if attempt is not None:
        return _shown(uow, attempt, False, now)
    check_may_start(now, session.starts_at, session.ends_at)
    seed = secrets.randbits(62)
    drawn = draw_questions(uow.questions.bank(session.activity_id), seed)
    attempt = Attempt(
        id=new_id(), booking_id=booking.id, application_id=booking.application_id,
        session_id=session.id, activity_id=session.activity_id,
        satker_code=session.satker_code, account_id=identity.account_id, started_at=now,
        deadline=deadline_of(now, session.ends_at), status=OPEN, question_count=len(drawn))
    if not uow.attempts.add(attempt, seed, drawn):
        # A second tab started it a moment earlier: that one is the attempt.
        return _shown(uow, uow.attempts.of_booking(booking.id), False, now)
    return _shown(uow, attempt, True, now)


def save_answer(uow, identity: Identity, attempt_id: str, question_id: str, option_index: int,
                client_address: str) -> dict:
    """The hot path of test day: one read (attempt and question), one upsert, one audit row."""
    check = uow.attempts.answer_check(attempt_id, question_id)
    if check is None or check.account_id != identity.account_id:
        raise AttemptUnknown()
    if check.option_order is None:
        raise QuestionNotInAttempt()
    now = utcnow()
    check_may_answer(check.status, check.deadline, now)
    chosen = bank_index(check.option_order, option_index)
    if chosen is None:
        raise InvalidInput({"option_index": [
            f"Choose one of the {len(check.option_order)} options: 0 to "
            f"{len(check.option_order) - 1}."]})
    uow.attempts.save_answer(attempt_id, question_id, option_index, chosen, now,
                             client_address[:64])
    return {"attempt_id": attempt_id, "question_id": question_id, "option_index": option_index,
            "saved_at": now, "seconds_left": seconds_left(check.deadline, now)}


def _own_attempt(uow, identity: Identity, attempt_id: str, for_update: bool = False) -> Attempt:
    attempt = uow.attempts.get(attempt_id, for_update=for_update)
    # Another candidate's attempt is as unknown as one that does not exist.
    if attempt is None or attempt.account_id != identity.account_id:
        raise AttemptUnknown()
    return attempt


def finish_attempt(uow, attempt: Attempt, status: str, closed_by: str, now: datetime) -> bool:
    """Close an open attempt with the answers saved, score it and tell selection (through the
    outbox); False when it was not open any more."""
    answered, correct = uow.attempts.correct_count(attempt.id)
    score = score_of(correct, attempt.question_count)
    if not uow.attempts.finish(attempt.id, status, closed_by, now, score, answered):
        return False
    uow.events.record(ATTEMPT_COMPLETED, {
        "attempt_id": attempt.id, "application_id": attempt.application_id,
        "activity_id": attempt.activity_id, "satker_code": attempt.satker_code,
        "account_id": attempt.account_id, "session_id": attempt.session_id, "score": score,
        "answered": answered, "question_count": attempt.question_count,
        "closed_by": closed_by, "completed_at": now})
    return True


def submit_attempt(uow, identity: Identity, attempt_id: str) -> dict:
    attempt = _own_attempt(uow, identity, attempt_id, for_update=True)
    now = utcnow()
    if attempt.status == SUBMITTED:
        return {"attempt_id": attempt.id, "status": SUBMITTED}  # a retried submit
    if attempt.status != OPEN or now >= attempt.deadline:
        raise AttemptOver()
    finish_attempt(uow, attempt, SUBMITTED, BY_CANDIDATE, now)
    return {"attempt_id": attempt.id, "status": SUBMITTED}


def get_attempt(uow, identity: Identity, attempt_id: str) -> dict:
    attempt = _own_attempt(uow, identity, attempt_id)
    now = utcnow()
    return {"attempt_id": attempt.id,
            "status": public_status(attempt.status, attempt.deadline, now),
            "deadline": attempt.deadline,
            "seconds_left": seconds_left(attempt.deadline, now) if attempt.status == OPEN else 0,
            "answered": uow.attempts.answered_count(attempt.id),
            "question_count": attempt.question_count}
