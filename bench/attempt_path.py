"""The test-day use cases in-process, without HTTP or gRPC: what one answer save, one attempt
start and one resume cost in assessment's own code and PostgreSQL, sequentially.

This is where the service's share of bench/test_day.py's figures is found and changed: it
isolates the use case, its repositories and the database from the transport. It makes a
throw-away database on ``$TEST_DATABASE_URL`` (default the local server, user postgres),
migrates it, seeds one activity, 40 questions, one running session and N accepted, booked
candidates through the use cases the events and routes call, then times N/2 starts, N/2
resumes and ``--saves`` saves (after 200 warm-up saves). ``--profile`` prints cProfile's top
frames of the saves. ``--rpc`` also times the save through the service's gRPC method as the
transport hands it over (the ``rpc`` wrapper: the token decoded and checked against a cached
token state, the deadline, the transaction, the metrics, the reply message), without the
transport itself; with ``--profile`` the profile is then of those.

    .venv/bin/python bench/attempt_path.py --candidates 400 --saves 2000 [--rpc]
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve()
                                                              .parents[1] / "gen")]

from services.assessment.persistence.unit_of_work import AssessmentUnitOfWork  # noqa: E402
from services.assessment.use_cases import (  # noqa: E402
    activities,
    attempts,
    bookings,
    eligibility,
    item_bank,
    sessions,
)
from services.shared.contracts.identity import Identity  # noqa: E402
from services.shared.ops.migrate import upgrade  # noqa: E402
from services.shared.platform.database import (  # noqa: E402
    create_engine,
    normalise_url,
    session_factory,
    unit_of_work,
)

SERVER = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def candidate(i: int) -> Identity:
    return Identity(f"acc-{i}", "mitra", None)


def timed(save, n: int, batch: int = 100) -> tuple[float, str]:
    """The mean wall time of ``n`` calls of ``save(i)`` in ms, and a line with the best
    batch's mean (a shared machine's other load only ever adds) and this process's CPU per
    call (the service's own cost, whatever the machine's load; PostgreSQL's is not in it)."""
    walls = []
    cpu = time.process_time()
    started = time.perf_counter()
    for first in range(0, n, batch):
        at = time.perf_counter()
        for i in range(first, min(n, first + batch)):
            save(i)
        walls.append((time.perf_counter() - at) / (min(n, first + batch) - first))
    mean = (time.perf_counter() - started) / n * 1000
    cpu_ms = (time.process_time() - cpu) / n * 1000
    return mean, (f"mean {mean:.2f} ms, best batch of {batch} {min(walls) * 1000:.2f} ms, "
                  f"CPU of this process {cpu_ms:.2f} ms per call")


def rpc_saver(factory, owner: Identity, attempt_id: str, questions: list[str]):
    """save(i): one SaveAnswer as nameko-grpc hands it to the service (request, context with
    the bearer token and a deadline); registration's token state answered from a stub."""
    from types import SimpleNamespace

    import assessment_pb2 as pb
    from services.assessment.entrypoints import AttemptCalls
    from services.assessment.persistence.unit_of_work import AssessmentUnitOfWork as Uow
    from services.shared.platform import token_state
    from services.shared.platform.identity import issue_token

    os.environ.setdefault("JWT_SECRET", "attempt-path-bench-only-" + uuid.uuid4().hex)
    token_state._remote = token_state.TokenStates(lambda subject: {
        "found": True, "active": True, "role": owner.role, "satker_code": None,
        "token_version": 0})
    token, _ = issue_token(owner)
    metadata = [("authorization", f"Bearer {token}"), ("x-correlation-id", "bench")]
    service = SimpleNamespace(name="assessment", db=SimpleNamespace(sessions=factory),
                              unit_of_work=Uow)

    def save(i: int) -> None:
        context = SimpleNamespace(
            request_stream=SimpleNamespace(deadline=time.monotonic() + 15),
            invocation_metadata=lambda: metadata)
        AttemptCalls.SaveAnswer(service, pb.SaveAnswerRequest(
            attempt_id=attempt_id, question_id=questions[i % len(questions)],
            option_index=i % 4, client_address="127.0.0.1"), context)
    return save


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=400)
    parser.add_argument("--saves", type=int, default=2000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--rpc", action="store_true",
                        help="also time the save through AttemptCalls.SaveAnswer")
    args = parser.parse_args()
    name = "attempt_path_" + uuid.uuid4().hex[:8]
    server = sa.create_engine(normalise_url(SERVER), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    url = normalise_url(SERVER).set(database=name).render_as_string(hide_password=False)
    engine = None
    try:
        upgrade("assessment", url)
        engine = create_engine(url)
        factory = session_factory(engine)

        def run(use_case, *arguments):
            with unit_of_work(factory) as session:
                return use_case(AssessmentUnitOfWork(session), *arguments)

        now = datetime.now(UTC)
        admin = Identity("admin-1", "admin_satker", "3528")
        run(activities.follow_activity, {"activity_id": "act-1", "satker_code": "3528",
                                         "name": "Tes", "version": 1})
        for i in range(args.candidates):
            run(eligibility.follow_administrative_decision, {
                "application_id": f"app-{i}", "activity_id": "act-1", "satker_code": "3528",
                "account_id": f"acc-{i}", "registration_number": f"3528-{i}",
                "status": "accepted", "decided_at": now})
        run(item_bank.add_questions, admin, "act-1", [
            {"text": f"Soal {i} " + "x" * 200, "options": [c * 50 for c in "abcd"],
             "answer_index": i % 4, "category": f"kategori {i % 3}"} for i in range(40)])
        session = run(sessions.create_session, admin, "act-1", now - timedelta(minutes=5),
                      now + timedelta(hours=2), args.candidates)
        for i in range(args.candidates):
            run(bookings.book_session, candidate(i), session["id"])

        half = args.candidates // 2
        started = time.perf_counter()
        for i in range(half):
            attempt = run(attempts.start_attempt, candidate(i), session["id"])
        start_ms = (time.perf_counter() - started) / half * 1000
        started = time.perf_counter()
        for i in range(half):
            run(attempts.start_attempt, candidate(i), session["id"])
        resume_ms = (time.perf_counter() - started) / half * 1000

        owner = candidate(half - 1)
        questions = [question["id"] for question in attempt["questions"]]

        def save(i: int) -> None:
            run(attempts.save_answer, owner, attempt["attempt_id"],
                questions[i % len(questions)], i % 4, "127.0.0.1")

        for i in range(200):
            save(i)
        save_ms, save_detail = timed(save, args.saves)
        print(f"start {start_ms:.2f} ms, resume {resume_ms:.2f} ms, save {save_ms:.2f} ms "
              f"(sequential, in-process, {half} starts and resumes, {args.saves} saves)")
        print(f"  save: {save_detail}")
        if args.rpc:
            save = rpc_saver(factory, owner, attempt["attempt_id"], questions)
            for i in range(200):
                save(i)
            rpc_ms, rpc_detail = timed(save, args.saves)
            print(f"save through the rpc wrapper (SaveAnswer, no transport) {rpc_ms:.2f} ms")
            print(f"  rpc save: {rpc_detail}")
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            for i in range(1000):
                save(i)
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    finally:
        if engine is not None:
            engine.dispose()
        with server.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
