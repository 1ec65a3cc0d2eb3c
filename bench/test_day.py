"""Test-day benchmark: K candidates take the competency test at once; then the answer save's
throughput at a fixed concurrency, measured as the monolith baseline measures it.

What it does
------------
0. The system. Without ``--base-url`` it starts its own, as the end-to-end tests do
   (``tests/support/infra.py``): fresh PostgreSQL databases (dropped afterwards), a RabbitMQ
   vhost of its own, a temporary ``BPS_VAR_DIR``, ``BPS_PORT_OFFSET=-30000`` (gRPC on
   20051-20055), ``GATEWAY_PORT=18300``, ``ATTEMPT_GATEWAY_PORT=18301``, its own
   ``JWT_SECRET`` and superadmin, every process
   through the launcher; it stops it all at the end. Any other setting in the environment
   (``MAX_WORKERS``, ``GRPC_SELECT_TIMEOUT``...) reaches the processes. With ``--base-url``
   the operator runs the system; the script then needs the assessment and registration
   databases (``--assessment-database-url``, ``--registration-database-url``, default
   ``$ASSESSMENT_DATABASE_URL`` and ``$REGISTRATION_DATABASE_URL``) and the system's
   ``--jwt-secret`` (default ``$JWT_SECRET``), and the system's ``JWT_TTL_SECONDS`` must be
   at least the run's ``--timeout`` plus an hour (the tokens' lifetime).
1. Set-up (not timed). The superadmin creates an ``admin_satker``; the admin creates an
   activity, waits until assessment has heard of it, adds 40 questions (four options each)
   and creates one session running now (started 5 minutes ago, ends in 2 hours) with a seat
   for every candidate of both phases. Sign-up, application and the administrative decision
   are not what is measured here (``bench/load.py`` measures sign-up and application), so
   the set-up seeds assessment's read model directly: one ``applications`` row per candidate
   (``administrative_status`` accepted, a fresh account id) in assessment's own database and
   an active ``mitra`` account row with that id in registration's (every service checks that
   a token's account exists and is current), and mints each candidate's access token with
   the system's ``JWT_SECRET`` (``services.shared.platform.identity.issue_token``), as
   registration would at sign-in.
   Selection has no row for these applications, so each ``attempt_completed`` fails there
   once (about the cost of the real update, plus a logged traceback); the started system
   retries it after an hour (``EVENT_RETRY_DELAYS_MS=3600000``), long after the run, instead
   of five times during it.
   Every candidate books the session in the set-up too (untimed, 16 at a time): a booking is
   made days before test day (the candidate picks the session once, ahead), so it is not
   test day's load; the booking race itself is proven by the concurrency tests.
2. Phase 1, test day (timed). ``--candidates`` candidates (default 2,000) arrive spread
   evenly over ``--ramp`` seconds (default 60); each starts the attempt, saves ``--answers``
   answers (default 30, a random option each) with a think time drawn uniformly from
   ``--think MIN MAX`` seconds (default 20 40: a real candidate has 120 s per question on
   average, 60 minutes for 30) before each, and submits.
   Each candidate waits for an answer before thinking again (a closed loop per candidate).
   The requests are sent by ``--concurrency`` client threads (default 256, one keep-alive
   connection each); a request that is due while every thread is busy waits for one, and
   that wait is reported (``due -> sent``) and included in the ``seen`` latency, so a slow
   system cannot hide behind a slow client. Per route: count, p50, p99 (server: sent ->
   answer read; seen: due -> answer read), errors by status. Answer saves per second over
   the phase (successful saves / the phase's wall time), over the saving window (first to
   last save) and the best second. Then two checks in assessment's database: one
   ``answer_log`` row per successful save, and every submitted attempt submitted.
   The attempt routes (``/api/v1/attempts/``: saves, submits) go to the attempt gateway, as
   the Ingress's path rule sends them in a cluster (``--attempt-url``: ``gateway`` for the
   nameko gateway, or a URL); everything else to the gateway.
3. Phase 2, throughput at a fixed concurrency, as ``/work/shared/bench/monolith/run.sh``
   measures: ``wrk -t2 -c20 -d8s --latency`` on (a) the bare hop ``GET /api/v1/ops/ping``
   (one empty gRPC call gateway -> registration) and (b) the answer save, with
   ``bench/test_day_save.lua`` over a second cohort of ``--wrk-attempts`` attempts (default
   200, booked and started before, untimed; the attempts in turn, their questions in turn).
   Requests/s, p50, p99, non-2xx and socket errors of each, the ratio save / hop, and the CPU
   each part spent per request (gateway, assessment, PostgreSQL, wrk; from ``/proc``).
   ``--profile DIR`` also samples the gateway and assessment with py-spy during the save run
   (``DIR/<process>.txt``, collapsed stacks; the report gives the top frames and the split by
   component).
4. ``--monolith`` then runs the monolith baseline in the same window (same wrk settings,
   ``DUR`` = ``--wrk-duration``) and prints ours / monolith for the save and the hop.

Exit status: 0 when phase 1 had no error, its checks hold, phase 2 had no non-2xx and no
socket error (and, with ``--monolith``, the baseline ran); 1 otherwise; 2 when the set-up
failed.

How to run it
-------------
PostgreSQL on 127.0.0.1:5432 (``$TEST_DATABASE_URL``), RabbitMQ with its management plugin,
``wrk`` (``apt-get install wrk``)::

    .venv/bin/python bench/test_day.py --json /tmp/test_day.json           # the full run
    .venv/bin/python bench/test_day.py --candidates 100 --ramp 5           # a quick check
    .venv/bin/python bench/test_day.py --monolith --profile /tmp/td-prof   # with the baseline
"""
from __future__ import annotations

import argparse
import contextlib
import heapq
import http.client
import json
import math
import os
import platform
import queue
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[1]
for _path in (REPO_ROOT, REPO_ROOT / "gen"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import requests  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from services.shared.contracts.identity import Identity  # noqa: E402
from services.shared.platform.database import normalise_url  # noqa: E402
from tests.support.api import activity_body, question_items  # noqa: E402

API = "/api/v1"
R_BOOK = f"POST {API}/test-sessions/{{id}}/booking"
R_START = f"POST {API}/test-sessions/{{id}}/attempt"
R_SAVE = f"PUT {API}/attempts/{{id}}/answers/{{qid}}"
R_SUBMIT = f"POST {API}/attempts/{{id}}/submit"
ROUTES = (R_BOOK, R_START, R_SAVE, R_SUBMIT)
MONOLITH = Path("/work/shared/bench/monolith/run.sh")
SAVE_LUA = Path(__file__).resolve().parent / "test_day_save.lua"
SATKER = "3528"
QUESTIONS = 40
PROFILED = ("gateway", "assessment", "attempt-gateway", "attempt-server")


# -- small helpers ---------------------------------------------------------------------------

def percentile(values, p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p / 100.0 * len(ordered))) - 1]


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000.0, 2)


def ratio(value, base) -> float | None:
    return None if value is None or not base else round(value / base, 3)


class SetupError(Exception):
    pass


class Deadline:
    """The global ``--timeout``: every wait and every request checks it."""

    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def expired(self) -> bool:
        return self.remaining() <= 0


# -- HTTP: one keep-alive connection per client thread ---------------------------------------

class Http:
    """A lean HTTP/1.1 client (http.client), lighter on the shared CPUs than requests. A
    request on a kept-alive connection the server had closed (nothing was read back) is sent
    once more on a fresh one, as urllib3 does; those resends are counted."""

    resends = 0
    _lock = threading.Lock()

    def __init__(self, base_url: str, timeout: float):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.timeout = timeout
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, token: str | None = None,
                body: dict | None = None) -> tuple[int, bytes]:
        payload = json.dumps(body if body is not None else {}).encode() \
            if method != "GET" else None
        headers = {"Content-Type": "application/json"} if payload is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        for attempt in (1, 2):
            reused = self.connection is not None
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port,
                                                             timeout=self.timeout)
            try:
                self.connection.request(method, path, body=payload, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError) as error:
                self.close()
                if reused and attempt == 1:
                    with Http._lock:
                        Http.resends += 1
                    continue
                raise error
            except Exception:
                self.close()
                raise
            if response.will_close:
                self.close()
            return response.status, data
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


# -- the system ------------------------------------------------------------------------------

@contextlib.contextmanager
def own_system(stack: contextlib.ExitStack, tmp: Path, logs: Path | None):
    """Fresh databases, own vhost, own var dir and secret; the launcher starts everything."""
    from services.shared.ops.launcher import System
    from services.shared.platform.config import SERVICES
    from tests.support import infra

    urls = stack.enter_context(infra.postgres_databases(list(SERVICES)))
    amqp_uri = stack.enter_context(infra.rabbitmq_vhost())
    env = dict(os.environ)
    env.update({
        "BPS_VAR_DIR": str(tmp / "var"), "BPS_PORT_OFFSET": "-30000",
        "GATEWAY_PORT": env.get("GATEWAY_PORT") or "18300", "AMQP_URI": amqp_uri,
        "ATTEMPT_GATEWAY_PORT": env.get("ATTEMPT_GATEWAY_PORT") or "18301",
        "SUPERADMIN_EMAIL": "root@bps.go.id", "SUPERADMIN_PASSWORD": "superadmin-secret",
        "JWT_SECRET": uuid.uuid4().hex + uuid.uuid4().hex,
        "JWT_TTL_SECONDS": "86400",  # the seeded tokens outlive the longest run
        # Selection has no row for the seeded applications: each attempt_completed fails there
        # once (about the cost of the real update, plus a logged traceback) and is retried an
        # hour later, after the run, instead of five times during it.
        "EVENT_RETRY_DELAYS_MS": env.get("EVENT_RETRY_DELAYS_MS") or "3600000",
    })
    env.pop("ATTEMPT_SERVER_GRPC_PORT", None)
    env.pop("ATTEMPT_SERVER_GRPC_TARGET", None)
    for service in SERVICES:  # the offset picks the ports; a target set outside must not win
        env.pop(f"{service.upper()}_GRPC_PORT", None)
        env.pop(f"{service.upper()}_GRPC_TARGET", None)
        env[f"{service.upper()}_DATABASE_URL"] = urls[service]
    system = System(env)
    try:
        system.up(timeout=120)
        yield system, urls, env["JWT_SECRET"]
    finally:
        system.down()
        if logs is not None:
            shutil.copytree(system.log_dir, logs, dirs_exist_ok=True)


def pids_of(system) -> dict[str, int]:
    """The pids of the processes on the measured paths (the launcher's pid files); empty
    for a system this script did not start."""
    if system is None:
        return {}
    return {name: pid for name in (*PROFILED, "registration") if (pid := system.pid(name))}


# -- set-up ----------------------------------------------------------------------------------

def api_call(base_url: str, method: str, path: str, token: str | None = None, expect=(200,),
             **kwargs):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = requests.request(method, base_url + path, headers=headers, timeout=60, **kwargs)
    if response.status_code not in expect:
        raise SetupError(f"{method} {path} -> {response.status_code} {response.text[:300]}")
    return response.json()


def wait_for(predicate, timeout: float, message: str):
    limit = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > limit:
            raise SetupError(f"timed out after {timeout} s waiting for {message}")
        time.sleep(0.1)  # polling the system's own progress: nothing to wait on but its answer


def set_up(args, base_url: str, seats: int) -> dict:
    """Admin, activity (once assessment knows it), 40 questions, one session running now."""
    try:
        requests.get(base_url + "/readyz", timeout=10).raise_for_status()
    except requests.RequestException as error:
        raise SetupError(f"the system is not ready at {base_url}: {error}") from None
    root = api_call(base_url, "POST", f"{API}/auth/token", json={
        "email": args.superadmin_email, "password": args.superadmin_password})["access_token"]
    email, password = f"bench-td-{uuid.uuid4().hex[:10]}@example.com", "bench-admin-password-1"
    api_call(base_url, "POST", f"{API}/admin/accounts", token=root, expect=(201,), json={
        "email": email, "password": password, "full_name": f"Admin Test Day {SATKER}",
        "role": "admin_satker", "satker_code": SATKER})
    admin = api_call(base_url, "POST", f"{API}/auth/token",
                     json={"email": email, "password": password})["access_token"]
    activity = api_call(base_url, "POST", f"{API}/activities", token=admin, expect=(201,),
                        json=activity_body(SATKER))
    sessions = f"{base_url}{API}/activities/{activity['id']}/test-sessions"
    wait_for(lambda: requests.get(sessions, headers={"Authorization": f"Bearer {admin}"},
                                  timeout=10).status_code == 200,
             60, "the activity in assessment (activity_published)")
    api_call(base_url, "POST", f"{API}/activities/{activity['id']}/questions", token=admin,
             expect=(201,), json={"items": question_items(QUESTIONS)})
    now = datetime.now(UTC)
    session = api_call(base_url, "POST", f"{API}/activities/{activity['id']}/test-sessions",
                       token=admin, expect=(201,), json={
                           "starts_at": (now - timedelta(minutes=5)).isoformat(),
                           "ends_at": (now + timedelta(hours=2)).isoformat(),
                           "capacity": seats})
    return {"activity_id": activity["id"], "session_id": session["id"]}


def seed_candidates(database_url: str, registration_url: str, jwt_secret: str,
                    activity_id: str, count: int, ttl_seconds: int) -> list[str]:
    """Accepted applications in assessment's read model and each candidate's access token
    (sign-up is measured by bench/load.py, not here)."""
    os.environ["JWT_SECRET"] = jwt_secret  # issue_token signs with the system's secret
    from services.shared.platform.identity import issue_token

    tag = uuid.uuid4().hex[:8]
    now = datetime.now(UTC)
    rows, accounts, tokens = [], [], []
    for index in range(count):
        account_id = str(uuid.uuid4())
        accounts.append({"id": account_id, "email": f"td-{tag}-{index:06d}@bench.invalid",
                         "full_name": f"Kandidat {index}", "now": now})
        rows.append({"application_id": str(uuid.uuid4()), "activity_id": activity_id,
                     "satker_code": SATKER, "account_id": account_id,
                     "registration_number": f"TD-{tag}-{index:06d}",
                     "administrative_status": "accepted", "decided_at": now})
        tokens.append(issue_token(Identity(account_id, "mitra", None), ttl_seconds)[0])
    registration = sa.create_engine(normalise_url(registration_url))
    try:
        with registration.begin() as connection:
            connection.execute(sa.text(  # "!" is no argon2 hash: no password signs in
                "INSERT INTO accounts (id, email, password_hash, full_name, role, satker_code, "
                "status, created_at, activated_at, data_version, token_version) VALUES "
                "(:id, :email, '!', :full_name, 'mitra', NULL, 'active', :now, :now, 0, 0)"),
                accounts)
    finally:
        registration.dispose()
    engine = sa.create_engine(normalise_url(database_url))
    try:
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO applications (application_id, activity_id, satker_code, "
                "account_id, registration_number, administrative_status, decided_at) VALUES "
                "(:application_id, :activity_id, :satker_code, :account_id, "
                ":registration_number, :administrative_status, :decided_at)"), rows)
    finally:
        engine.dispose()
    return tokens


# -- phase 1: the journey --------------------------------------------------------------------

class Stats:
    """Per route: server latency (sent -> read) and seen latency (due -> read) of 2xx answers,
    errors by status; when each successful save finished; thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.server: dict[str, list[float]] = defaultdict(list)
        self.seen: dict[str, list[float]] = defaultdict(list)
        self.lag: list[float] = []
        self.counts: Counter = Counter()
        self.errors: dict[str, Counter] = defaultdict(Counter)
        self.save_times: list[float] = []
        self.first_sent: float | None = None
        self.last_read: float | None = None

    def record(self, route: str, due: float, sent: float, done: float, status) -> None:
        with self.lock:
            self.counts[route] += 1
            self.lag.append(sent - due)
            self.first_sent = sent if self.first_sent is None else min(self.first_sent, sent)
            self.last_read = done if self.last_read is None else max(self.last_read, done)
            if isinstance(status, int) and 200 <= status < 300:
                self.server[route].append(done - sent)
                self.seen[route].append(done - due)
                if route == R_SAVE:
                    self.save_times.append(done)
            else:
                self.errors[route][str(status)] += 1


class Candidate:
    """One candidate's place in the journey: 0 book, 1 start, 2.. saves, then submit."""

    __slots__ = ("index", "token", "step", "attempt_id", "questions", "failure", "done")

    def __init__(self, index: int, token: str):
        self.index, self.token, self.step = index, token, 0
        self.attempt_id: str | None = None
        self.questions: list[tuple[str, int]] = []  # (question id, number of options)
        self.failure: str | None = None
        self.done = False


class Journeys:
    """A heap of candidates by the time their next request is due; a dispatcher hands the due
    ones to the client threads; each thread sends one request and puts the candidate back
    with its think time."""

    def __init__(self, args, base_url: str, session_id: str, tokens: list[str],
                 deadline: Deadline, attempt_url: str | None = None):
        self.args, self.base_url, self.session_id, self.deadline = (args, base_url, session_id,
                                                                    deadline)
        self.attempt_url = attempt_url or base_url  # where /api/v1/attempts/ goes
        self.rng = random.Random(args.seed)
        self.rng_lock = threading.Lock()
        self.stats = Stats()
        self.heap: list = []
        self.condition = threading.Condition()
        self.sequence = 0
        self.ready: queue.Queue = queue.Queue()
        self.candidates = [Candidate(i, token) for i, token in enumerate(tokens)]
        for candidate in self.candidates:
            candidate.step = 1  # booked in the set-up: test day starts at the attempt
        self.remaining = len(self.candidates)
        self.submitted = 0
        self.saves_ok = 0

    def think(self) -> float:
        with self.rng_lock:
            return self.rng.uniform(*self.args.think)

    def schedule(self, due: float, candidate: Candidate) -> None:
        with self.condition:
            self.sequence += 1
            heapq.heappush(self.heap, (due, self.sequence, candidate))
            self.condition.notify()

    def finish(self, candidate: Candidate, failure: str | None = None) -> None:
        candidate.failure = failure
        with self.condition:
            self.remaining -= 1
            self.condition.notify()

    def dispatch(self) -> None:
        """Move each candidate to the ready queue when its request is due."""
        while True:
            with self.condition:
                while True:
                    if self.remaining == 0 or self.deadline.expired():
                        return
                    now = time.perf_counter()
                    if self.heap and self.heap[0][0] <= now:
                        due, _, candidate = heapq.heappop(self.heap)
                        break
                    wait = self.heap[0][0] - now if self.heap else None
                    self.condition.wait(timeout=min(wait or 1.0, 1.0, max(
                        0.001, self.deadline.remaining())))
            self.ready.put((due, candidate))

    def work(self) -> None:
        client = Http(self.base_url, self.args.request_timeout)
        attempts = (client if self.attempt_url == self.base_url
                    else Http(self.attempt_url, self.args.request_timeout))
        try:
            while True:
                item = self.ready.get()
                if item is None:
                    return
                if self.deadline.expired():
                    self.finish(item[1], "deadline: --timeout reached before the request")
                    continue
                self.step(client, attempts, *item)
        finally:
            client.close()
            attempts.close()

    def step(self, client: Http, attempts: Http, due: float, candidate: Candidate) -> None:
        answers = self.args.answers
        if candidate.step == 0:
            route, method = R_BOOK, "POST"
            path, body = f"{API}/test-sessions/{self.session_id}/booking", {}
        elif candidate.step == 1:
            route, method = R_START, "POST"
            path, body = f"{API}/test-sessions/{self.session_id}/attempt", {}
        elif candidate.step < 2 + answers:
            question_id, options = candidate.questions[(candidate.step - 2)
                                                       % len(candidate.questions)]
            with self.rng_lock:
                option = self.rng.randrange(options)
            route, method = R_SAVE, "PUT"
            path = f"{API}/attempts/{candidate.attempt_id}/answers/{question_id}"
            body = {"option_index": option}
        else:
            route, method = R_SUBMIT, "POST"
            path, body = f"{API}/attempts/{candidate.attempt_id}/submit", {}
        sent = time.perf_counter()
        try:
            status, data = (attempts if path.startswith(f"{API}/attempts/") else client).request(
                method, path, candidate.token, body)
        except Exception as error:  # a transport error counts as this route's error
            self.stats.record(route, due, sent, time.perf_counter(), type(error).__name__)
            self.finish(candidate, f"{route} -> {type(error).__name__}: {error}"[:300])
            return
        done = time.perf_counter()
        self.stats.record(route, due, sent, done, status)
        if not 200 <= status < 300:
            self.finish(candidate, f"{route} -> {status} {data[:200]!r}")
            return
        if route == R_START:
            attempt = json.loads(data)
            candidate.attempt_id = attempt["attempt_id"]
            candidate.questions = [(q["id"], len(q["options"])) for q in attempt["questions"]]
            if not candidate.questions:
                self.finish(candidate, "the attempt has no questions")
                return
        elif route == R_SAVE:
            with self.condition:
                self.saves_ok += 1
        elif route == R_SUBMIT:
            with self.condition:
                self.submitted += 1
            candidate.done = True
            self.finish(candidate)
            return
        candidate.step += 1
        # Booking leads straight to the start; every answer and the submit come after a pause.
        self.schedule(done if route == R_BOOK else done + self.think(), candidate)

    def run(self) -> dict:
        start = time.perf_counter() + 0.5  # the threads are up before the first arrival
        spacing = self.args.ramp / len(self.candidates) if self.candidates else 0.0
        for candidate in self.candidates:
            self.schedule(start + candidate.index * spacing, candidate)
        workers = [threading.Thread(target=self.work, name=f"client-{n}", daemon=True)
                   for n in range(self.args.concurrency)]
        for worker in workers:
            worker.start()
        self.dispatch()
        for _ in workers:
            self.ready.put(None)
        for worker in workers:
            worker.join(timeout=max(1.0, self.args.request_timeout + 5))
        failures = [c.failure for c in self.candidates if c.failure]
        failures += [f"deadline: --timeout reached at step {c.step}" for c in self.candidates
                     if c.failure is None and not c.done]
        return {"failures": failures, "submitted": self.submitted}


class WaitSampler(threading.Thread):
    """Samples what assessment's PostgreSQL backends wait on, every ``interval`` seconds:
    ``Lock/transactionid`` or ``Lock/tuple`` is a transaction queued behind another's row
    lock; ``Client/ClientRead`` inside a transaction is the server waiting for the service."""

    def __init__(self, database_url: str, interval: float = 0.25):
        super().__init__(name="pg-waits", daemon=True)
        self.url, self.interval = normalise_url(database_url), interval
        self.counts: Counter = Counter()
        self.samples = 0
        self.stopping = threading.Event()
        self.error: str | None = None

    def run(self) -> None:
        engine = sa.create_engine(self.url, pool_size=1, max_overflow=0)
        query = sa.text(
            "SELECT state, coalesce(wait_event_type, 'CPU') || '/' || coalesce(wait_event, '-')"
            " FROM pg_stat_activity WHERE datname = current_database() AND pid <> "
            "pg_backend_pid() AND state IN ('active', 'idle in transaction')")
        try:
            with engine.connect() as connection:
                while not self.stopping.wait(self.interval):
                    rows = connection.execute(query).all()
                    connection.rollback()
                    self.samples += 1
                    self.counts.update(f"{state}: {wait}" for state, wait in rows)
        except sa.exc.SQLAlchemyError as error:
            self.error = str(error)[:200]
        finally:
            engine.dispose()

    def report(self) -> dict:
        """Mean number of backends in each state/wait per sample."""
        return {"samples": self.samples, "error": self.error,
                "mean_backends": {key: round(n / self.samples, 2)
                                  for key, n in self.counts.most_common(8)}
                if self.samples else {}}


def journey_report(journeys: Journeys, outcome: dict) -> dict:
    stats = journeys.stats
    routes = {}
    for route in ROUTES:
        server, seen = stats.server.get(route, []), stats.seen.get(route, [])
        routes[route] = {"count": stats.counts.get(route, 0), "ok": len(server),
                         "p50_ms": ms(percentile(server, 50)), "p99_ms": ms(percentile(server, 99)),
                         "seen_p50_ms": ms(percentile(seen, 50)),
                         "seen_p99_ms": ms(percentile(seen, 99)),
                         "errors": dict(stats.errors.get(route, {}))}
    wall = (stats.last_read - stats.first_sent) if stats.first_sent is not None else 0.0
    saves = sorted(stats.save_times)
    window = saves[-1] - saves[0] if len(saves) > 1 else 0.0
    per_second = Counter(int(t - saves[0]) for t in saves) if saves else Counter()
    errors = sum(sum(c.values()) for c in stats.errors.values())
    return {
        "candidates": len(journeys.candidates), "submitted": outcome["submitted"],
        "failed": len(outcome["failures"]), "errors": errors,
        "failures": Counter(f.split(" -> ")[0] + " -> " + f.split(" -> ")[-1][:40]
                            for f in outcome["failures"]).most_common(10),
        "failure_examples": outcome["failures"][:5],
        "wall_seconds": round(wall, 2), "saves_ok": len(saves),
        "saves_per_second": round(len(saves) / wall, 1) if wall > 0 else None,
        "saves_per_second_saving_window": round(len(saves) / window, 1) if window > 0 else None,
        "saves_best_second": max(per_second.values()) if per_second else 0,
        "due_to_sent_p50_ms": ms(percentile(stats.lag, 50)),
        "due_to_sent_p99_ms": ms(percentile(stats.lag, 99)),
        "connection_resends": Http.resends,
        "routes": routes,
    }


def check_database(database_url: str, session_id: str, saves_ok: int, submitted: int) -> dict:
    """Each successful save left one audit row; each submitted attempt is submitted."""
    engine = sa.create_engine(normalise_url(database_url))
    try:
        with engine.connect() as connection:
            logged = connection.execute(sa.text(
                "SELECT count(*) FROM answer_log l JOIN attempts a ON a.id = l.attempt_id "
                "WHERE a.session_id = :s"), {"s": session_id}).scalar_one()
            closed = connection.execute(sa.text(
                "SELECT count(*) FROM attempts WHERE session_id = :s AND status = 'submitted'"),
                {"s": session_id}).scalar_one()
    finally:
        engine.dispose()
    return {"answer_log_rows": logged, "saves_ok": saves_ok,
            "attempts_submitted": closed, "submits_ok": submitted,
            "hold": logged == saves_ok and closed == submitted}


# -- phase 2: wrk ----------------------------------------------------------------------------

def book_all(base_url: str, session_id: str, tokens: list[str], timeout: float) -> None:
    """Every candidate's booking, untimed (made days before test day)."""

    def book(token: str) -> None:
        client = Http(base_url, timeout)
        try:
            status, data = client.request("POST", f"{API}/test-sessions/{session_id}/booking",
                                          token, {})
        finally:
            client.close()
        if status != 201:
            raise SetupError(f"booking -> {status} {data[:200]!r}")

    with ThreadPoolExecutor(max_workers=16) as executor:
        list(executor.map(book, tokens))


def open_cohort(base_url: str, session_id: str, tokens: list[str], path: Path,
                timeout: float) -> int:
    """Start an attempt (booked in the set-up) for each token, untimed; one line per attempt
    for the Lua script: token, attempt id, its question ids."""

    def open_one(token: str) -> str:
        client = Http(base_url, timeout)
        try:
            for step in ("attempt",):  # booked in the set-up
                status, data = client.request("POST", f"{API}/test-sessions/{session_id}/{step}",
                                              token, {})
                if status not in (200, 201):
                    raise SetupError(f"second cohort: {step} -> {status} {data[:200]!r}")
        finally:
            client.close()
        attempt = json.loads(data)
        return " ".join([token, attempt["attempt_id"], *(q["id"] for q in attempt["questions"])])

    with ThreadPoolExecutor(max_workers=16) as executor:
        lines = list(executor.map(open_one, tokens))
    path.write_text("\n".join(lines) + "\n")
    return len(lines)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def to_ms(text: str) -> float | None:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    return round(float(match.group(1)) * _UNITS[match.group(2)], 3) if match else None


def parse_wrk(output: str) -> dict:
    def first(pattern: str, cast=float, default=None):
        match = re.search(pattern, output, re.MULTILINE)
        return cast(match.group(1)) if match else default

    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       output)
    return {"rps": first(r"^Requests/sec:\s+([\d.]+)"),
            "requests": first(r"^\s*(\d+) requests in", int, 0),
            "p50_ms": to_ms(first(r"^\s+50%\s+(\S+)", str, "")),
            "p99_ms": to_ms(first(r"^\s+99%\s+(\S+)", str, "")),
            "non_2xx": first(r"Non-2xx or 3xx responses:\s+(\d+)", int, 0),
            "socket_errors": sum(map(int, socket.groups())) if socket else 0}


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process and of its living children (the attempt gateway's gunicorn
    workers), seconds."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(") ", 1)[1].split()
        own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (FileNotFoundError, IndexError, ValueError):
        return 0.0
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            children += [int(child) for child in task.read_text().split()]
    return own + sum(cpu_seconds(child) for child in children)


def postgres_cpu() -> float:
    """CPU seconds of every PostgreSQL process on the machine (the server is shared: what the
    others do in the same window counts too; read it as an upper bound)."""
    total = 0.0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/comm") as handle:
                if handle.read().strip() != "postgres":
                    continue
        except OSError:
            continue
        total += cpu_seconds(int(entry.name))
    return total


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of the machine, from /proc/stat."""
    with open("/proc/stat") as handle:
        values = [int(v) for v in handle.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def idle_cores(pids: dict, seconds: float = 3.0) -> dict:
    """The CPU each process uses with no request at all (its polling loops, timers): the
    floor under the per-request figures. A measurement window, so a plain sleep."""
    before = {process: cpu_seconds(pid) for process, pid in pids.items()}
    started = time.perf_counter()
    time.sleep(seconds)
    wall = time.perf_counter() - started
    return {process: round((cpu_seconds(pid) - before[process]) / wall, 3)
            for process, pid in pids.items()}


def run_wrk(args, url: str, name: str, pids: dict, lua: tuple[Path, Path] | None = None,
            profile_dir: Path | None = None, idle: dict | None = None) -> dict:
    """One wrk run; with ``pids``, the CPU each process used meanwhile (cores, and ms per
    request), and with ``profile_dir`` py-spy samples of the gateway and assessment."""
    command = ["wrk", f"-t{args.wrk_threads}", f"-c{args.wrk_connections}",
               f"-d{args.wrk_duration}s", "--latency"]
    if lua:
        command += ["-s", str(lua[0]), url, "--", str(lua[1])]
    else:
        command.append(url)
    samplers = []
    if profile_dir is not None:
        spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
        for process in (p for p in PROFILED if p in pids):
            samplers.append(subprocess.Popen(
                [spy, "record", "--pid", str(pids[process]), "--nonblocking", "--format",
                 "raw", "--nolineno", "--rate", "200", "--duration", str(args.wrk_duration),
                 "-o", str(profile_dir / f"{process}.txt"),
                 *(["--subprocesses"] if process == "attempt-gateway" else [])],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
    before = {process: cpu_seconds(pid) for process, pid in pids.items()}
    pg_before, busy_before = postgres_cpu(), machine_busy()
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    wrk = subprocess.run(command, capture_output=True, text=True,
                         timeout=args.wrk_duration + 60)
    wall = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk: py-spy is not reaped yet
    cpu = {process: cpu_seconds(pid) - before[process] for process, pid in pids.items()}
    cpu["postgresql (all)"] = postgres_cpu() - pg_before
    cpu["wrk"] = (children.ru_utime + children.ru_stime
                  - children_before.ru_utime - children_before.ru_stime)
    busy_after = machine_busy()
    for sampler in samplers:
        _, err = sampler.communicate(timeout=args.wrk_duration + 30)
        if sampler.returncode:
            print(f"py-spy exited {sampler.returncode}: {err.decode()[-300:]}", file=sys.stderr)
    result = parse_wrk(wrk.stdout)
    result["name"] = name
    if wrk.returncode or result["rps"] is None:
        result["wrk_failed"] = (wrk.stderr or wrk.stdout)[-500:]
    done = result["requests"] or 0
    result["cpu_cores"] = {process: round(seconds / wall, 3) for process, seconds in cpu.items()}
    result["cpu_ms_per_request"] = {process: round(seconds * 1000 / done, 3) if done else None
                                    for process, seconds in cpu.items()}
    if idle:  # without what the process burns idle
        result["cpu_ms_per_request_above_idle"] = {
            process: round((cpu[process] - idle[process] * wall) * 1000 / done, 3)
            for process in idle if done}
    busy = busy_after[0] - busy_before[0]
    total = busy_after[1] - busy_before[1]
    result["machine_busy_share"] = round(busy / total, 3) if total else None
    return result


# -- py-spy summary --------------------------------------------------------------------------

COMPONENTS = (  # the first that matches, from the innermost frame outwards
    ("PostgreSQL driver (psycopg2; the wait for the server is in poll)",
     ("psycopg2/", "psycogreen/")),
    ("SQLAlchemy", ("sqlalchemy/",)),
    ("JWT decode (PyJWT, platform/identity.py)", ("jwt/", "services/shared/platform/identity")),
    ("marshmallow", ("marshmallow/",)),
    ("protobuf and proto <-> dict (platform/proto.py)",
     ("protobuf/", "google/", "services/shared/platform/proto")),
    ("h2 / hpack / hyperframe (HTTP/2)", ("h2/", "hpack/", "hyperframe/")),
    ("nameko-grpc", ("nameko_grpc/",)),
    ("werkzeug", ("werkzeug/",)),
    ("eventlet wsgi (HTTP server)", ("eventlet/wsgi",)),
    ("prometheus_client", ("prometheus_client/",)),
    ("logging", ("logging/", "services/shared/platform/logs")),
    ("settings read per call (platform/config.py)", ("services/shared/platform/config",)),
    ("rpc wrapper (platform/rpc.py)", ("services/shared/platform/rpc",)),
    ("gateway code (services/gateway)", ("services/gateway/",)),
    ("assessment code (services/assessment)", ("services/assessment/",)),
    ("platform code (services/shared)", ("services/shared/",)),
    ("nameko", ("nameko/",)),
    ("eventlet hub / green io", ("eventlet/", "greenlet/")),
)


ACTIVITIES = (  # what a greenthread is doing, by a frame on its stack
    ("gRPC connection loop (nameko-grpc: h2 frames, select, sends)",
     "ConnectionManager.run_forever"),
    ("worker: the route / the entrypoint", "ServiceContainer._run_worker"),
    ("HTTP server (eventlet wsgi: reading, parsing, writing)", "HttpProtocol"),
    ("call deadline watchers", ".timeout ("),
)


def _frame_file(frame: str) -> str:
    match = re.search(r"\(([^()]*)\)\s*$", frame)
    return match.group(1) if match else ""


def _component(file: str) -> str | None:
    for name, marks in COMPONENTS:
        if any(file.startswith(mark) or "/" + mark in file for mark in marks):
            return name
    return None


def summarise_profile(path: Path, top: int = 12) -> dict:
    """Top frames (inclusive and self share of the busy samples) and the split by component
    from py-spy's collapsed stacks. A sample sitting in the eventlet hub's poll is counted
    apart ("in poll"): that is the process waiting for I/O, or runnable and waiting for a CPU
    when the machine is saturated; the shares are of the other samples."""
    inclusive: Counter = Counter()
    own: Counter = Counter()
    split: Counter = Counter()
    activity: Counter = Counter()
    total = polling = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        samples = int(count)
        frames = [f for f in stack.split(";") if not f.startswith(("thread (", "process "))]
        if not frames:
            continue
        total += samples
        if "eventlet/hubs/" in _frame_file(frames[-1]) and "poll" in frames[-1]:
            polling += samples
            continue
        for frame in set(frames):
            inclusive[frame] += samples
        own[frames[-1]] += samples
        activity[next((name for name, mark in ACTIVITIES
                       if any(mark in frame for frame in frames)),
                      "eventlet hub (timers, switching)")] += samples
        for frame in reversed(frames):
            component = _component(_frame_file(frame))
            if component:
                split[component] += samples
                break
        else:
            split["other (stdlib, C)"] += samples
    busy = total - polling

    def share(counter: Counter, limit: int | None = top) -> list:
        return [(frame, round(100.0 * n / busy, 1)) for frame, n in counter.most_common(limit)]

    return {"samples": total, "in_poll_share": round(polling / total, 3) if total else None,
            "inclusive": share(inclusive) if busy else [], "self": share(own) if busy else [],
            "activity": share(activity, None) if busy else [],
            "split": share(split, None) if busy else []}


# -- the monolith baseline -------------------------------------------------------------------

def run_monolith(args) -> dict:
    env = dict(os.environ, DUR=str(args.wrk_duration))
    done = subprocess.run(["bash", str(MONOLITH)], capture_output=True, text=True, env=env,
                          timeout=3 * args.wrk_duration + 600)
    lines = {}
    for match in re.finditer(r"^(\w+) ([\d.]+) req/s p50 (\S+) p99 (\S+) non2xx (\d+)",
                             done.stdout, re.MULTILINE):
        lines[match.group(1)] = {"rps": float(match.group(2)), "p50_ms": to_ms(match.group(3)),
                                 "p99_ms": to_ms(match.group(4)),
                                 "non_2xx": int(match.group(5))}
    rows = re.search(r"^answer_log rows: (\d+)", done.stdout, re.MULTILINE)
    # run.sh may exit non-zero from its clean-up (dropping its database while gunicorn's
    # connections close): only a missing line is a failure.
    if not all(name in lines for name in ("ping", "grpcio_hop", "answer_save")):
        lines["failed"] = f"exit {done.returncode}: " + (done.stderr or done.stdout)[-500:]
    elif rows:
        lines["answer_save"]["answer_log_rows"] = int(rows.group(1))
    return lines


# -- report ----------------------------------------------------------------------------------

def _fmt(value, width: int) -> str:
    if value is None:
        return "-".rjust(width)
    return f"{value:{width}.1f}" if isinstance(value, float) else str(value).rjust(width)


def print_report(report: dict) -> None:
    j = report["journey"]
    print(f"\nTest day {report['when']}  {report['settings']['base_url']}  "
          f"candidates={j['candidates']} ramp={report['settings']['ramp']}s "
          f"think={report['settings']['think']} clients={report['settings']['concurrency']} "
          f"cpus={report['machine']['cpus']}")
    print(f"phase 1: {j['submitted']}/{j['candidates']} submitted, {j['failed']} failed, "
          f"{j['errors']} errors, {j['wall_seconds']} s")
    print(f"answer saves: {j['saves_ok']} = {j['saves_per_second']}/s over the phase, "
          f"{j['saves_per_second_saving_window']}/s first to last save, best second "
          f"{j['saves_best_second']}; due -> sent p50 {j['due_to_sent_p50_ms']} ms, p99 "
          f"{j['due_to_sent_p99_ms']} ms")
    header = (f"{'route':40} {'count':>6} {'ok':>6} {'p50 ms':>8} {'p99 ms':>8} "
              f"{'seen p50':>9} {'seen p99':>9}  errors")
    print(header)
    print("-" * len(header))
    for route, row in j["routes"].items():
        errors = ", ".join(f"{s}: {n}" for s, n in sorted(row["errors"].items())) or "-"
        print(f"{route:40} {row['count']:6d} {row['ok']:6d} {_fmt(row['p50_ms'], 8)} "
              f"{_fmt(row['p99_ms'], 8)} {_fmt(row['seen_p50_ms'], 9)} "
              f"{_fmt(row['seen_p99_ms'], 9)}  {errors}")
    waits = j["postgresql_waits"]
    print(f"assessment's PostgreSQL backends, mean per sample ({waits['samples']} samples): "
          + ("; ".join(f"{k} {v}" for k, v in waits["mean_backends"].items()) or "-")
          + (f" (sampler error: {waits['error']})" if waits["error"] else ""))
    check = report["checks"]
    print(f"checks: answer_log rows {check['answer_log_rows']} / saves {check['saves_ok']}, "
          f"submitted attempts {check['attempts_submitted']} / submits "
          f"{check['submits_ok']}: {'hold' if check['hold'] else 'FAIL'}")
    for example in j["failure_examples"]:
        print(f"  e.g. {example}")
    wrk = report.get("wrk") or {}
    if wrk:
        if report.get("idle_cores"):
            print("\nidle CPU floor (cores, no requests): " + ", ".join(
                f"{k} {v}" for k, v in report["idle_cores"].items()))
        print(f"\nphase 2 (wrk -t{report['settings']['wrk_threads']} "
              f"-c{report['settings']['wrk_connections']} "
              f"-d{report['settings']['wrk_duration']}s):")
        for run in wrk.values():
            cpu = ", ".join(f"{k} {v} ({run['cpu_cores'][k]} cores)"
                            for k, v in run["cpu_ms_per_request"].items())
            print(f"  {run['name']:12} {_fmt(run['rps'], 8)} req/s  p50 {run['p50_ms']} ms  "
                  f"p99 {run['p99_ms']} ms  non-2xx {run['non_2xx']}  socket errors "
                  f"{run['socket_errors']}  (CPU ms/request: {cpu}; machine busy "
                  f"{run['machine_busy_share']})")
            if run.get("cpu_ms_per_request_above_idle"):
                print("    CPU ms/request above the idle floor: " + ", ".join(
                    f"{k} {v}" for k, v in run["cpu_ms_per_request_above_idle"].items()))
            if run.get("wrk_failed"):
                print(f"    wrk failed: {run['wrk_failed']}")
        print(f"  save / hop: {report['ratios'].get('save_over_hop')}")
        if len(report.get("wrk_rounds") or ()) > 1:
            for number, r in enumerate(report["wrk_rounds"], 1):
                print(f"  round {number}: hop {r['hop_rps']} req/s (p99 {r['hop_p99_ms']} ms), "
                      f"save {r['save_rps']} req/s (p99 {r['save_p99_ms']} ms, non-2xx "
                      f"{r['save_non_2xx']}), save / hop {r['save_over_hop']}")
            print(f"  save / hop, median of {len(report['wrk_rounds'])} rounds: "
                  f"{report['ratios'].get('save_over_hop_median')}")
        print(f"  load average at the end: {report.get('load_average')}")
    monolith = report.get("monolith")
    if monolith:
        print("\nmonolith baseline (same window):")
        for name, row in monolith.items():
            print(f"  {name:12} {row}" if name == "failed" else
                  f"  {name:12} {_fmt(row['rps'], 8)} req/s  p50 {row['p50_ms']} ms  "
                  f"p99 {row['p99_ms']} ms  non-2xx {row['non_2xx']}")
        for key in ("save_over_monolith_save", "hop_over_monolith_grpcio_hop",
                    "hop_over_monolith_ping"):
            print(f"  {key}: {report['ratios'].get(key)}")
    for process, summary in (report.get("profile") or {}).items():
        print(f"\nprofile of {process} during the save run ({summary['samples']} samples, "
              f"{summary['in_poll_share']} of them in the hub's poll; shares of the rest):")
        print("  by activity: " + "; ".join(f"{name} {pct}%"
                                            for name, pct in summary["activity"]))
        print("  by component (innermost frame that names one): " + "; ".join(
            f"{name} {pct}%" for name, pct in summary["split"]))
        print("  top inclusive:")
        for frame, pct in summary["inclusive"]:
            print(f"    {pct:5.1f}%  {frame}")
        print("  top self:")
        for frame, pct in summary["self"]:
            print(f"    {pct:5.1f}%  {frame}")


# -- main ------------------------------------------------------------------------------------

def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default=None,
                        help="a running system's gateway (loopback); default: start our own")
    parser.add_argument("--assessment-database-url",
                        default=os.environ.get("ASSESSMENT_DATABASE_URL"),
                        help="with --base-url: assessment's PostgreSQL database")
    parser.add_argument("--registration-database-url",
                        default=os.environ.get("REGISTRATION_DATABASE_URL"),
                        help="with --base-url: registration's PostgreSQL database")
    parser.add_argument("--jwt-secret", default=os.environ.get("JWT_SECRET"),
                        help="with --base-url: the system's JWT_SECRET")
    parser.add_argument("--attempt-url", default=None,
                        help="where /api/v1/attempts/ goes: a URL, or 'gateway' (the nameko "
                        "gateway); default: the started system's attempt gateway")
    parser.add_argument("--superadmin-email", default="root@bps.go.id")
    parser.add_argument("--superadmin-password", default="superadmin-secret")
    parser.add_argument("--candidates", type=int, default=2000, help="default %(default)s")
    parser.add_argument("--ramp", type=float, default=60.0,
                        help="seconds over which the candidates arrive (default %(default)s)")
    parser.add_argument("--think", type=float, nargs=2, default=(20.0, 40.0),
                        metavar=("MIN", "MAX"), help="think time before each answer, seconds")
    parser.add_argument("--answers", type=int, default=30, help="saves per candidate")
    parser.add_argument("--concurrency", type=int, default=256,
                        help="client threads of phase 1 (default %(default)s)")
    parser.add_argument("--wrk-attempts", type=int, default=200,
                        help="attempts of the second cohort, saved into by wrk")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--wrk-connections", type=int, default=20)
    parser.add_argument("--wrk-duration", type=int, default=8, help="seconds per wrk run")
    parser.add_argument("--wrk-rounds", type=int, default=1,
                        help="hop and save runs in turn, this many pairs (a shared machine)")
    parser.add_argument("--monolith", action="store_true",
                        help=f"then run {MONOLITH} in the same window")
    parser.add_argument("--profile", type=Path, default=None, metavar="DIR",
                        help="py-spy the gateway and assessment during the save run")
    parser.add_argument("--timeout", type=float, default=1800.0,
                        help="bound on phase 1, seconds (default %(default)s)")
    parser.add_argument("--request-timeout", type=float, default=60.0)
    parser.add_argument("--logs", type=Path, default=None, metavar="DIR",
                        help="copy the started system's logs here at the end")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = parser.parse_args(argv)
    if args.base_url:
        args.base_url = args.base_url.rstrip("/")
        if urlsplit(args.base_url).hostname not in ("127.0.0.1", "localhost", "::1"):
            parser.error("--base-url must be a loopback address")
        if not (args.assessment_database_url and args.registration_database_url
                and args.jwt_secret):
            parser.error("--base-url needs --assessment-database-url, "
                         "--registration-database-url and --jwt-secret")
        if args.profile:
            parser.error("--profile needs the system this script starts (its pids)")
    if min(args.candidates, args.answers, args.concurrency, args.wrk_attempts) < 1:
        parser.error("--candidates, --answers, --concurrency and --wrk-attempts must be >= 1")
    if args.answers > 30:
        parser.error("--answers: an attempt has 30 questions")
    if not 0 <= args.think[0] <= args.think[1]:
        parser.error("--think MIN MAX with 0 <= MIN <= MAX")
    if not shutil.which("wrk"):
        parser.error("wrk is not installed (apt-get install wrk)")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    with contextlib.ExitStack() as stack:
        system = None
        if args.base_url:
            base_url, secret = args.base_url, args.jwt_secret
            urls = {"assessment": args.assessment_database_url,
                    "registration": args.registration_database_url}
        else:
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bps-test-day-")))
            print("starting the system (PostgreSQL, own vhost, launcher) ...", flush=True)
            try:
                system, urls, secret = stack.enter_context(own_system(stack, tmp, args.logs))
            except Exception as error:
                print(f"error: the system did not start: {error}", file=sys.stderr)
                return 2
            base_url = system.gateway_url
        return run(args, base_url, urls, secret, system)


def attempt_url_of(args, base_url: str, system) -> str:
    """Where the attempt routes (/api/v1/attempts/: save, submit) go: ``--attempt-url``;
    ``gateway``: the nameko gateway with the rest; by default the attempt gateway of the
    system this script started (the Ingress's path rule in a deployment), else the gateway."""
    if args.attempt_url == "gateway":
        return base_url
    if args.attempt_url:
        return args.attempt_url.rstrip("/")
    return system.attempt_gateway_url if system is not None else base_url


def run(args, base_url: str, urls: dict[str, str], secret: str, system) -> int:
    database_url = urls["assessment"]
    total = args.candidates + args.wrk_attempts
    try:
        made = set_up(args, base_url, total)
        tokens = seed_candidates(database_url, urls["registration"], secret,
                                 made["activity_id"], total,
                                 ttl_seconds=int(args.timeout) + 3600)
    except (SetupError, sa.exc.SQLAlchemyError, requests.RequestException) as error:
        print(f"error: set-up failed: {error}", file=sys.stderr)
        return 2
    try:
        book_all(base_url, made["session_id"], tokens, args.request_timeout)
    except SetupError as error:
        print(f"error: set-up failed: {error}", file=sys.stderr)
        return 2
    print(f"session {made['session_id']}: phase 1, {args.candidates} candidates over "
          f"{args.ramp} s ...", flush=True)
    attempt_url = attempt_url_of(args, base_url, system)
    journeys = Journeys(args, base_url, made["session_id"], tokens[:args.candidates],
                        Deadline(args.timeout), attempt_url)
    waits = WaitSampler(database_url)
    waits.start()
    try:
        outcome = journeys.run()
    finally:
        waits.stopping.set()
        waits.join(timeout=10)
    journey = journey_report(journeys, outcome)
    journey["postgresql_waits"] = waits.report()
    checks = check_database(database_url, made["session_id"], journeys.saves_ok,
                            journeys.submitted)
    print(f"phase 1 done in {journey['wall_seconds']} s; phase 2: {args.wrk_attempts} "
          f"attempts for wrk ...", flush=True)
    pids = pids_of(system)
    wrk: dict = {}
    rounds: list[dict] = []
    profile: dict = {}
    idle = None
    with tempfile.TemporaryDirectory(prefix="bps-test-day-wrk-") as work:
        cohort = Path(work) / "attempts.txt"
        try:
            open_cohort(base_url, made["session_id"], tokens[args.candidates:], cohort,
                        args.request_timeout)
        except (SetupError, OSError, ValueError, KeyError) as error:
            print(f"error: the second cohort could not start: {error}", file=sys.stderr)
            return 1
        idle = idle_cores(pids) if pids else None
        if args.profile:
            args.profile.mkdir(parents=True, exist_ok=True)
        # --wrk-rounds: the pair again and again, so that a shared machine's load, which
        # drifts over seconds, weighs on both routes of each pair alike.
        for round_ in range(args.wrk_rounds):
            hop = run_wrk(args, f"{base_url}{API}/ops/ping", "hop", pids, idle=idle)
            save = run_wrk(args, attempt_url, "answer_save", pids, (SAVE_LUA, cohort),
                           args.profile if round_ == 0 else None, idle=idle)
            if round_ == 0:
                wrk["hop"], wrk["save"] = hop, save
            rounds.append({"hop": hop, "save": save,
                           "save_over_hop": ratio(save["rps"], hop["rps"])})
    if args.profile:
        for process in pids:
            path = args.profile / f"{process}.txt"
            if path.exists():
                profile[process] = summarise_profile(path)
    monolith = run_monolith(args) if args.monolith else None
    ratios = {"save_over_hop": ratio(wrk["save"]["rps"], wrk["hop"]["rps"])}
    if len(rounds) > 1:
        each = sorted(r["save_over_hop"] for r in rounds if r["save_over_hop"] is not None)
        ratios["save_over_hop_rounds"] = [r["save_over_hop"] for r in rounds]
        ratios["save_over_hop_median"] = each[len(each) // 2] if each else None
    if monolith and "answer_save" in monolith:
        ratios["save_over_monolith_save"] = ratio(wrk["save"]["rps"],
                                                  monolith["answer_save"]["rps"])
        ratios["hop_over_monolith_grpcio_hop"] = ratio(
            wrk["hop"]["rps"], monolith.get("grpcio_hop", {}).get("rps"))
        ratios["hop_over_monolith_ping"] = ratio(wrk["hop"]["rps"],
                                                 monolith.get("ping", {}).get("rps"))
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version()},
        "settings": {"base_url": base_url, "attempt_url": attempt_url,
                     "candidates": args.candidates, "ramp": args.ramp,
                     "think": list(args.think), "answers": args.answers,
                     "concurrency": args.concurrency, "wrk_attempts": args.wrk_attempts,
                     "wrk_threads": args.wrk_threads, "wrk_connections": args.wrk_connections,
                     "wrk_duration": args.wrk_duration, "own_system": system is not None,
                     **made},
        "journey": journey, "checks": checks, "idle_cores": idle, "wrk": wrk,
        "wrk_rounds": [{"hop_rps": r["hop"]["rps"], "hop_p99_ms": r["hop"]["p99_ms"],
                        "save_rps": r["save"]["rps"], "save_p99_ms": r["save"]["p99_ms"],
                        "save_non_2xx": r["save"]["non_2xx"],
                        "save_socket_errors": r["save"]["socket_errors"],
                        "save_over_hop": r["save_over_hop"],
                        "cpu_ms_per_request": {"hop": r["hop"]["cpu_ms_per_request"],
                                               "save": r["save"]["cpu_ms_per_request"]},
                        "machine_busy_share": [r["hop"]["machine_busy_share"],
                                               r["save"]["machine_busy_share"]]}
                       for r in rounds],
        "load_average": os.getloadavg(),
        "ratios": ratios,
        "monolith": monolith, "profile": profile,
    }
    print_report(report)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"\nfigures written to {args.json}")
    failed = (journey["errors"] or journey["failed"] or not checks["hold"]
              or any(run["non_2xx"] or run["socket_errors"] or run.get("wrk_failed")
                     for r in rounds for run in (r["hop"], r["save"]))
              or (monolith is not None and "failed" in monolith))
    if failed:
        print("\nFAILED: errors in phase 1, a check did not hold, non-2xx / socket errors "
              "in phase 2, or the monolith baseline did not run", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
