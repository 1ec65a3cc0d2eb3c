"""The test-day use cases in-process, without HTTP or gRPC: what one answer save, one attempt
start and one resume cost in assessment's own code and PostgreSQL, sequentially.

This is where the service's share of bench/test_day.py's figures is found and changed: it
isolates the use case, its repositories and the database from the transport. It makes a
throw-away database on ``$TEST_DATABASE_URL`` (default the local server, user postgres),
migrates it, seeds one activity, 40 questions, one running session and N accepted, booked
candidates through the use cases the events and routes call, then times N/2 starts, N/2
resumes and ``--saves`` saves (after 200 warm-up saves). ``--profile`` prints cProfile's top
frames of the saves.

    .venv/bin/python bench/attempt_path.py --candidates 400 --saves 2000
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=400)
    parser.add_argument("--saves", type=int, default=2000)
    parser.add_argument("--profile", action="store_true")
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
        started = time.perf_counter()
        for i in range(args.saves):
            save(i)
        save_ms = (time.perf_counter() - started) / args.saves * 1000
        print(f"start {start_ms:.2f} ms, resume {resume_ms:.2f} ms, save {save_ms:.2f} ms "
              f"(sequential, in-process, {half} starts and resumes, {args.saves} saves)")
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
