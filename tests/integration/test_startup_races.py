"""Replicas starting together (issue 7, finding 16): the first superadmin made once on
PostgreSQL while several registration processes insert it at the same moment, the local JWT
secret written atomically while many processes make it at once, and no start without
JWT_SECRET outside development."""
from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import threading
from pathlib import Path

import sqlalchemy as sa

from services.shared.ops.migrate import upgrade
from services.shared.platform import config
from services.shared.platform.database import normalise_url
from tests.support.infra import postgres_databases, wait_until

REPLICAS = 3
_ON_START = "from services.registration.entrypoints import on_start; on_start()"


def _replica_env(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(REGISTRATION_DATABASE_URL=database_url, SUPERADMIN_EMAIL="Root@bps.go.id",
               SUPERADMIN_PASSWORD="superadmin-secret", JWT_SECRET="startup-race-tests")
    return env


def test_replicas_starting_together_make_the_superadmin_once():
    with postgres_databases(["registration"]) as urls:
        url = urls["registration"]
        upgrade("registration", url)
        engine = sa.create_engine(normalise_url(url))
        try:
            with engine.connect() as holder:
                # Readers pass this lock, writers wait at it: every replica finds no account,
                # hashes the password and then waits to insert, so all insert at once when it
                # is released, the race of replicas started together, every time.
                holder.exec_driver_sql("LOCK TABLE accounts IN EXCLUSIVE MODE")
                replicas = [subprocess.Popen([sys.executable, "-c", _ON_START],
                                             env=_replica_env(url), cwd=config.REPO_ROOT,
                                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                             text=True)
                            for _ in range(REPLICAS)]

                def waiting_inserts() -> bool:
                    with engine.connect() as probe:
                        return probe.scalar(sa.text(
                            "SELECT count(*) FROM pg_stat_activity WHERE datname = :db "
                            "AND wait_event_type = 'Lock' AND query ILIKE 'INSERT INTO accounts%'"),
                            {"db": engine.url.database}) == REPLICAS

                wait_until(waiting_inserts, timeout=60,
                           message="every replica waiting to insert the superadmin")
                holder.rollback()  # lets them all insert at once
            outcomes = [(r.wait(timeout=60), r.communicate()[1]) for r in replicas]
            assert [code for code, _ in outcomes] == [0] * REPLICAS, outcomes
            with engine.connect() as check:
                rows = check.execute(sa.text(
                    "SELECT email, role, status FROM accounts")).all()
            assert [tuple(row) for row in rows] == [("root@bps.go.id", "superadmin", "active")]
        finally:
            engine.dispose()


# --- the local JWT secret --------------------------------------------------------------

PROCESSES, THREADS, ROUNDS = 8, 4, 25


def _make_secrets(barrier, var_dirs, results) -> None:
    """One process: in each round, its threads wait with every other process's, then all
    ask for the secret of a fresh var dir at once."""
    os.environ.pop("JWT_SECRET", None)
    os.environ["BPS_ENV"] = "development"
    def ask(seen: list) -> None:
        barrier.wait()
        try:
            seen.append(config.jwt_secret())
        except Exception as error:  # reported to the test, which shows it
            seen.append(f"error: {error!r}")

    for var_dir in var_dirs:
        os.environ["BPS_VAR_DIR"] = var_dir
        seen: list[str] = []
        threads = [threading.Thread(target=ask, args=(seen,)) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        results.put((var_dir, seen))


def test_processes_making_the_secret_at_once_all_read_the_same_whole_one(tmp_path,
                                                                           monkeypatch):
    monkeypatch.delenv("JWT_SECRET", raising=False)
    monkeypatch.delenv("BPS_ENV", raising=False)
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(PROCESSES * THREADS, timeout=60)
    results = context.Queue()
    var_dirs = [str(tmp_path / f"round{n}" / "var") for n in range(ROUNDS)]
    workers = [context.Process(target=_make_secrets, args=(barrier, var_dirs, results))
               for _ in range(PROCESSES)]
    for worker in workers:
        worker.start()
    read: dict[str, list[str]] = {var_dir: [] for var_dir in var_dirs}
    for _ in range(PROCESSES * ROUNDS):
        var_dir, seen = results.get(timeout=120)
        read[var_dir].extend(seen)
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    for var_dir, seen in read.items():
        kept = Path(var_dir, "secrets", "jwt_secret").read_text()
        assert len(kept) >= 60
        assert seen == [kept] * PROCESSES * THREADS, (var_dir, set(seen))
        assert os.listdir(os.path.join(var_dir, "secrets")) == ["jwt_secret"]


# --- JWT_SECRET outside development ----------------------------------------------------

def test_outside_development_no_process_starts_without_jwt_secret(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "JWT_SECRET"}
    env.update(BPS_ENV="production", BPS_VAR_DIR=str(tmp_path / "var"),
               AMQP_URI="amqp://guest:guest@127.0.0.1:1/")  # it must not get that far
    for process in ("selection", "gateway"):
        started = subprocess.run(
            [sys.executable, "-m", "services.shared.ops.runner", process], env=env,
            cwd=config.REPO_ROOT, capture_output=True, text=True, timeout=60)
        assert started.returncode == 2
        assert f"{process} not started: JWT_SECRET is required when BPS_ENV is " \
               "'production'" in started.stderr
    assert not (tmp_path / "var" / "secrets").exists()
