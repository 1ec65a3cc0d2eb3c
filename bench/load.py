"""Load benchmark: N candidates through the whole registration journey at once.

What it measures
----------------
1. Setup (not timed): the superadmin signs in, creates an ``admin_satker`` for ``--satker``
   (default 3528), and that admin creates an activity with no quota and an open window.
2. Journeys (timed): ``--candidates`` candidates (default 200) run concurrently in a thread pool
   of ``--concurrency`` workers (default 50), each through::

       POST /api/v1/accounts                  (then wait for the activation e-mail)
       POST /api/v1/accounts/activate
       POST /api/v1/auth/token
       PUT  /api/v1/me/profile
       PUT  /api/v1/me/documents/photo        (JPEG)
       PUT  /api/v1/me/documents/ktp          (PNG)
       PUT  /api/v1/me/documents/ijazah       (PDF)
       POST /api/v1/activities/{id}/applications
       GET  /api/v1/me/applications           (must list the new application)

   Every request is timed with ``time.perf_counter`` per route; the moment of each 201 of the
   application is recorded. Any non-2xx (or transport error) is counted per route and status,
   and ends that candidate's journey.
3. Events: a test subscriber declares its own exclusive, auto-delete queue bound to the topic
   exchange ``registration.events`` (routing key ``application_submitted``) before the
   journeys start and consumes in a background thread. After the journeys it waits (bounded by
   ``--event-timeout``) until every application's event has arrived, and reports the delay from
   the application's 201 to its event. It is negative when the event arrives before the
   client has read the 201 (the relay publishes right after the commit, while the answer
   still travels back through the gateway); so the delay from sending the application
   request to its event is reported too (always positive, an upper bound), and the delay from
   the envelope's ``occurred_at`` (written in the service's transaction, just before its
   commit) to its arrival: the event's own trip through outbox, relay and broker.
4. The bare hop: ``GET /api/v1/ops/ping`` (one empty gRPC call gateway -> registration) is
   hammered with the same concurrency for ``--hop-requests`` requests (default
   max(2000, 10*N)); p50/p99 and requests per second.
5. Report: applications per second (successful applications / wall time of phase 2); per route
   count, p50, p99 (ms, over 2xx answers), errors by status, and each route's p50/p99 as a
   multiple of the bare hop's p50/p99 ("x hop"), so that the figures mean the same on any
   machine; p50/p99 of the 201 -> event delay; the bare hop's rps, p50, p99. Plain text on
   stdout; ``--json FILE`` writes the same figures as JSON.

Exit status: 0 when every journey succeeded, every application's event arrived and the bare hop
had no errors; 1 otherwise; 2 when the set-up failed (system not running, superadmin missing).

How to run it
-------------
The system must run, started with the superadmin this script signs in as, and (default
configuration) with mail written as .eml files under ``var/mail``::

    export SUPERADMIN_EMAIL=root@bps.go.id SUPERADMIN_PASSWORD=superadmin-secret
    .venv/bin/python -m services.shared.ops.launcher up
    .venv/bin/python bench/load.py --base-url http://127.0.0.1:8000 --candidates 200 \\
        --concurrency 50 --json bench/last.json
    .venv/bin/python -m services.shared.ops.launcher down

Activation tokens are read from the .eml files in ``--maildir`` (default ``<repo>/var/mail``, or
``$MAIL_DIR``); the broker is ``--amqp-uri`` (default ``$AMQP_URI`` or
amqp://guest:guest@127.0.0.1:5672/). Only a loopback base URL is accepted. Everything is
bounded: ``--timeout`` (default 600 s) caps the whole run (the journeys get at most 3/4 of what is
left after the set-up, so a stuck system still leaves time for the events and the bare hop),
``--request-timeout`` each request, ``--mail-timeout`` the wait for one activation mail.
"""
from __future__ import annotations

import argparse
import email
import email.policy
import json
import math
import os
import platform
import re
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor, as_completed
from concurrent.futures import TimeoutError as FuturesTimeout
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import kombu  # noqa: E402
import requests  # noqa: E402
from requests.adapters import HTTPAdapter  # noqa: E402

from tests.support.api import JPEG, PDF, PNG, activity_body, profile_body  # noqa: E402
from tests.support.builders import encode_nik  # noqa: E402

API = "/api/v1"
EXCHANGE = "registration.events"
ROUTING_KEY = "application_submitted"
TOKEN_RE = re.compile(r"Token aktivasi:\s*(\S+)")
CANDIDATE_PASSWORD = "kata-sandi-rahasia"
SERIALS = 9999  # NIK serials 0001..9999
NIK_FIRST_BIRTH_DATE = date(1972, 1, 1)
NIK_BIRTH_DAYS = 365 * 20  # candidates are born 1972..1991: aged 18..58 for years to come

# The journey's routes, in order (the label is the route; the activity id is templated).
R_ACCOUNT = f"POST {API}/accounts"
R_ACTIVATE = f"POST {API}/accounts/activate"
R_TOKEN = f"POST {API}/auth/token"
R_PROFILE = f"PUT {API}/me/profile"
R_PHOTO = f"PUT {API}/me/documents/photo"
R_KTP = f"PUT {API}/me/documents/ktp"
R_IJAZAH = f"PUT {API}/me/documents/ijazah"
R_APPLY = f"POST {API}/activities/{{id}}/applications"
R_MINE = f"GET {API}/me/applications"
JOURNEY_ROUTES = (R_ACCOUNT, R_ACTIVATE, R_TOKEN, R_PROFILE, R_PHOTO, R_KTP, R_IJAZAH, R_APPLY,
                  R_MINE)
R_PING = f"GET {API}/ops/ping"
DOCUMENTS = ((R_PHOTO, "photo", JPEG, "image/jpeg"), (R_KTP, "ktp", PNG, "image/png"),
             (R_IJAZAH, "ijazah", PDF, "application/pdf"))


# -- small helpers ---------------------------------------------------------------------------

def percentile(values, p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100) of ``values``; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100.0 * len(ordered)))
    return ordered[rank - 1]


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000.0, 3)


def ratio(value: float | None, base: float | None) -> float | None:
    if value is None or not base:
        return None
    return round(value / base, 2)


class SetupError(Exception):
    pass


class JourneyFailed(Exception):
    def __init__(self, route: str, status, detail: str = ""):
        super().__init__(f"{route} -> {status} {detail}".strip())
        self.route, self.status, self.detail = route, status, detail


class Deadline:
    """The global ``--timeout``: every loop and wait checks it."""

    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds
        self.cancelled = threading.Event()

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def expired(self) -> bool:
        return self.cancelled.is_set() or self.remaining() <= 0

    def bound(self, seconds: float) -> float:
        return max(0.001, min(seconds, self.remaining()))

    def part(self, share: float) -> Deadline:
        """A deadline for one phase: ``share`` of what is left, never past this one."""
        return Deadline(max(0.0, self.remaining()) * share)


class Stats:
    """Latencies (2xx only) and error counts per route, thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.counts: Counter = Counter()
        self.errors: dict[str, Counter] = defaultdict(Counter)

    def record(self, route: str, seconds: float, status) -> None:
        with self.lock:
            self.counts[route] += 1
            if isinstance(status, int) and 200 <= status < 300:
                self.latencies[route].append(seconds)
            else:
                self.errors[route][str(status)] += 1


# -- HTTP ------------------------------------------------------------------------------------

_local = threading.local()


def session() -> requests.Session:
    """One pooled session per worker thread (one keep-alive connection each)."""
    current = getattr(_local, "session", None)
    if current is None:
        current = requests.Session()
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=1, max_retries=0)
        current.mount("http://", adapter)
        current.mount("https://", adapter)
        _local.session = current
    return current


def call(base_url: str, method: str, path: str, *, deadline: Deadline, request_timeout: float,
         stats: Stats | None = None, route: str | None = None, token: str | None = None,
         expect=(200, 201), **kwargs):
    """One timed request. Returns (response, seconds); raises JourneyFailed on a non-2xx, a
    status not in ``expect``, a transport error or the global deadline."""
    route = route or f"{method} {path}"
    if deadline.expired():
        raise JourneyFailed(route, "deadline", "global --timeout reached before the request")
    headers = dict(kwargs.pop("headers", {}) or {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    started = time.perf_counter()
    try:
        response = session().request(method, base_url + path, headers=headers,
                                     timeout=deadline.bound(request_timeout), **kwargs)
    except requests.RequestException as error:
        elapsed = time.perf_counter() - started
        if stats:
            stats.record(route, elapsed, type(error).__name__)
        raise JourneyFailed(route, type(error).__name__, str(error)[:200]) from None
    elapsed = time.perf_counter() - started
    if stats:
        stats.record(route, elapsed, response.status_code)
    if response.status_code not in expect:
        raise JourneyFailed(route, response.status_code, response.text[:300])
    return response, elapsed


# -- activation mail -------------------------------------------------------------------------

class MailWatcher(threading.Thread):
    """Polls the maildir for new .eml files and keeps the activation token per recipient."""

    def __init__(self, maildir: Path, interval: float = 0.02):
        super().__init__(name="mail-watcher", daemon=True)
        self.maildir = maildir
        self.interval = interval
        self.tokens: dict[str, str] = {}
        self.condition = threading.Condition()
        self.stopping = threading.Event()
        self.seen: set[str] = set(self._names())  # mails from before this run are not ours
        self.unreadable = 0

    def _names(self) -> list[str]:
        try:
            return [entry.name for entry in os.scandir(self.maildir)
                    if entry.name.endswith(".eml")]
        except FileNotFoundError:
            return []

    def scan(self) -> None:
        found = {}
        for name in self._names():
            if name in self.seen:
                continue
            self.seen.add(name)
            try:
                with open(self.maildir / name, "rb") as handle:
                    message = email.message_from_bytes(handle.read(), policy=email.policy.default)
                match = TOKEN_RE.search(message.get_body(("plain",)).get_content())
            except (OSError, AttributeError, LookupError, ValueError):
                self.unreadable += 1
                continue
            if match:
                for address in message.get_all("To", []):
                    found[str(address).strip().lower()] = match.group(1)
        if found:
            with self.condition:
                self.tokens.update(found)
                self.condition.notify_all()

    def run(self) -> None:
        while not self.stopping.is_set():
            self.scan()
            self.stopping.wait(self.interval)

    def token_for(self, recipient: str, timeout: float) -> str | None:
        key = recipient.lower()
        with self.condition:
            self.condition.wait_for(lambda: key in self.tokens, timeout=timeout)
            return self.tokens.get(key)

    def stop(self) -> None:
        self.stopping.set()


# -- event subscriber ------------------------------------------------------------------------

class EventSubscriber(threading.Thread):
    """Own exclusive, auto-delete queue bound to registration.events/application_submitted;
    records the receive time (perf_counter and wall clock) per payload.application_id."""

    def __init__(self, amqp_uri: str):
        super().__init__(name="event-subscriber", daemon=True)
        self.amqp_uri = amqp_uri
        self.exchange = kombu.Exchange(EXCHANGE, type="topic", durable=True)
        self.queue = kombu.Queue(f"bench.load.{uuid.uuid4().hex[:12]}", exchange=self.exchange,
                                 routing_key=ROUTING_KEY, exclusive=True, auto_delete=True,
                                 durable=False)
        self.received: dict[str, tuple[float, float]] = {}
        self.duplicates = 0
        self.malformed = 0
        self.lock = threading.Lock()
        self.ready = threading.Event()
        self.stopping = threading.Event()
        self.error: BaseException | None = None

    def _on_message(self, body, message) -> None:
        now_perf, now_wall = time.perf_counter(), time.time()
        try:
            if isinstance(body, (bytes, str)):
                body = json.loads(body)
            application_id = str(body["payload"]["application_id"])
            # The envelope's occurred_at is written in the service's transaction, just before
            # its commit: now - occurred_at is the event's own trip (outbox, relay, broker),
            # without the HTTP queueing the request itself met under load.
            occurred = datetime.fromisoformat(body["occurred_at"]).timestamp()
        except (KeyError, TypeError, ValueError):
            with self.lock:
                self.malformed += 1
            return
        with self.lock:
            if application_id in self.received:
                self.duplicates += 1
            else:
                self.received[application_id] = (now_perf, now_wall, now_wall - occurred)

    def run(self) -> None:
        try:
            with kombu.Connection(self.amqp_uri, heartbeat=0, connect_timeout=10) as connection:
                connection.ensure_connection(max_retries=3)
                with connection.Consumer([self.queue], callbacks=[self._on_message],
                                         accept=["json"], no_ack=True):
                    self.ready.set()
                    while not self.stopping.is_set():
                        try:
                            connection.drain_events(timeout=0.2)
                        except TimeoutError:
                            continue
        except BaseException as error:  # reported by the main thread
            self.error = error
        finally:
            self.ready.set()

    def count(self, wanted: set[str]) -> int:
        with self.lock:
            return sum(1 for application_id in wanted if application_id in self.received)

    def stop(self) -> None:
        self.stopping.set()


# -- the phases ------------------------------------------------------------------------------

def setup(args, deadline: Deadline) -> str:
    """Superadmin -> admin_satker -> activity (no quota, open window). Returns the activity id."""
    kw = {"deadline": deadline, "request_timeout": args.request_timeout}
    try:
        call(args.base_url, "GET", "/readyz", **kw, expect=(200,))
    except JourneyFailed as error:
        raise SetupError(f"the system is not ready at {args.base_url}: {error}") from None
    try:
        response, _ = call(args.base_url, "POST", f"{API}/auth/token", **kw, expect=(200,),
                           json={"email": args.superadmin_email,
                                 "password": args.superadmin_password})
    except JourneyFailed as error:
        raise SetupError(
            f"the superadmin {args.superadmin_email} cannot sign in ({error}); start the system "
            "with SUPERADMIN_EMAIL/SUPERADMIN_PASSWORD set to --superadmin-email/"
            "--superadmin-password") from None
    root = response.json()["access_token"]
    admin_email = f"bench-admin{args.satker}-{uuid.uuid4().hex[:10]}@example.com"
    admin_password = "bench-admin-password-1"
    try:
        call(args.base_url, "POST", f"{API}/admin/accounts", **kw, token=root, expect=(201,),
             json={"email": admin_email, "password": admin_password,
                   "full_name": f"Admin Benchmark {args.satker}", "role": "admin_satker",
                   "satker_code": args.satker})
        response, _ = call(args.base_url, "POST", f"{API}/auth/token", **kw, expect=(200,),
                           json={"email": admin_email, "password": admin_password})
        admin = response.json()["access_token"]
        response, _ = call(args.base_url, "POST", f"{API}/activities", **kw, token=admin,
                           expect=(201,), json=activity_body(satker_code=args.satker, quota=None))
    except JourneyFailed as error:
        raise SetupError(f"set-up failed: {error}") from None
    return response.json()["id"]


def candidate_profile(index: int, nik_base: int, kecamatan: str) -> dict:
    """A valid profile whose NIK is unique: serial and birth date both follow the index."""
    slot = nik_base + index
    serial = slot % SERIALS + 1
    birth = NIK_FIRST_BIRTH_DATE + timedelta(days=(slot // SERIALS) % NIK_BIRTH_DAYS)
    sex = "P" if index % 2 else "L"
    return profile_body(sex=sex, birth=birth, kecamatan=kecamatan,
                        nik=encode_nik(kecamatan, birth, sex, serial))


def journey(index: int, args, activity_id: str, nik_base: int, run_tag: str, stats: Stats,
            mail: MailWatcher, deadline: Deadline, mail_waits: list, results: list) -> dict:
    started = time.perf_counter()
    base = args.base_url
    kw = {"deadline": deadline, "request_timeout": args.request_timeout, "stats": stats}
    address = f"bench-{run_tag}-{index:06d}@example.com"
    call(base, "POST", f"{API}/accounts", route=R_ACCOUNT, **kw, expect=(201,),
         json={"email": address, "password": CANDIDATE_PASSWORD, "full_name": "Siti Aminah"})
    waited = time.perf_counter()
    activation = mail.token_for(address, timeout=deadline.bound(args.mail_timeout))
    if activation is None:
        raise JourneyFailed("activation mail", "missing",
                            f"no mail to {address} within {args.mail_timeout}s")
    mail_waits.append(time.perf_counter() - waited)
    call(base, "POST", f"{API}/accounts/activate", route=R_ACTIVATE, **kw, expect=(200,),
         json={"token": activation})
    response, _ = call(base, "POST", f"{API}/auth/token", route=R_TOKEN, **kw, expect=(200,),
                       json={"email": address, "password": CANDIDATE_PASSWORD})
    token = response.json()["access_token"]
    call(base, "PUT", f"{API}/me/profile", route=R_PROFILE, **kw, token=token, expect=(200,),
         json=candidate_profile(index, nik_base, args.kecamatan))
    for route, kind, content, content_type in DOCUMENTS:
        call(base, "PUT", f"{API}/me/documents/{kind}", route=route, **kw, token=token,
             expect=(201,), data=content, headers={"Content-Type": content_type})
    response, elapsed = call(base, "POST", f"{API}/activities/{activity_id}/applications",
                             route=R_APPLY, **kw, token=token, expect=(201,), json={})
    applied_perf, applied_wall = time.perf_counter(), time.time()
    application_id = str(response.json()["id"])
    results.append((application_id, applied_perf, applied_wall, applied_perf - elapsed))
    response, _ = call(base, "GET", f"{API}/me/applications", route=R_MINE, **kw, token=token,
                       expect=(200,))
    if application_id not in {str(item.get("id")) for item in response.json().get("items", [])}:
        raise JourneyFailed(R_MINE, "200-without-application",
                            f"application {application_id} not listed")
    return {"application_id": application_id, "seconds": time.perf_counter() - started}


def run_journeys(args, activity_id: str, stats: Stats, mail: MailWatcher,
                 deadline: Deadline) -> dict:
    run_tag = uuid.uuid4().hex[:8]
    # A NIK is unique per account: a random base per run keeps runs against the same
    # database apart (SERIALS * NIK_BIRTH_DAYS slots, N consecutive ones per run).
    nik_base = args.nik_base if args.nik_base is not None else \
        int.from_bytes(os.urandom(4), "big") % (SERIALS * NIK_BIRTH_DAYS - args.candidates)
    results: list = []  # (application_id, perf at 201, wall clock at 201, perf at send)
    mail_waits: list = []
    failures: list = []
    durations: list = []
    started = time.perf_counter()
    executor = ThreadPoolExecutor(max_workers=args.concurrency, thread_name_prefix="candidate")
    futures = {executor.submit(journey, i, args, activity_id, nik_base, run_tag, stats, mail,
                               deadline, mail_waits, results): i
               for i in range(args.candidates)}
    handled = set()

    def collect(future) -> None:
        handled.add(future)
        try:
            durations.append(future.result()["seconds"])
        except JourneyFailed as error:
            failures.append({"candidate": futures[future], "route": error.route,
                             "status": str(error.status), "detail": error.detail})
        except Exception as error:  # a bug in the answer's shape, say
            failures.append({"candidate": futures[future], "route": "?",
                             "status": type(error).__name__, "detail": str(error)[:300]})

    try:
        for future in as_completed(futures, timeout=max(0.001, deadline.remaining())):
            collect(future)
    except FuturesTimeout:
        deadline.cancelled.set()  # the running journeys stop before their next request
    executor.shutdown(wait=True, cancel_futures=True)
    for future, index in futures.items():
        if future in handled:
            continue
        if future.cancelled():
            failures.append({"candidate": index, "route": "-", "status": "deadline",
                             "detail": "not started before the global --timeout"})
        else:
            collect(future)
    wall = time.perf_counter() - started
    return {"wall_seconds": wall, "applications": results, "failures": failures,
            "journey_seconds": durations, "mail_waits": mail_waits, "nik_base": nik_base}


def wait_for_events(subscriber: EventSubscriber, applications: list, timeout: float,
                    deadline: Deadline) -> dict:
    wanted = {application[0] for application in applications}
    limit = time.monotonic() + max(0.0, min(timeout, deadline.remaining()))
    interval = 0.01
    while subscriber.count(wanted) < len(wanted) and time.monotonic() < limit \
            and subscriber.error is None:
        time.sleep(interval)
        interval = min(interval * 1.5, 0.2)
    delays, from_send, from_commit, missing = [], [], [], []
    with subscriber.lock:
        for application_id, applied_perf, _, sent_perf in applications:
            seen = subscriber.received.get(application_id)
            if seen is None:
                missing.append(application_id)
            else:
                delays.append(seen[0] - applied_perf)
                from_send.append(seen[0] - sent_perf)
                from_commit.append(seen[2])
        foreign = len(set(subscriber.received) - wanted)
        duplicates, malformed = subscriber.duplicates, subscriber.malformed
    return {"expected": len(wanted), "received": len(wanted) - len(missing),
            "missing": missing, "duplicates": duplicates, "malformed": malformed,
            "foreign": foreign, "delays": delays, "from_send": from_send,
            "from_commit": from_commit,
            "subscriber_error": repr(subscriber.error) if subscriber.error else None}


def bare_hop(args, total: int, deadline: Deadline) -> dict:
    stats = Stats()
    kw = {"deadline": deadline, "request_timeout": args.request_timeout}

    def warm(_):
        try:
            call(args.base_url, "GET", f"{API}/ops/ping", **kw, expect=(200,))
        except JourneyFailed:
            pass

    workers = args.concurrency
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hop") as executor:
        list(executor.map(warm, range(min(total, workers * 2))))  # untimed warm-up
        shares = [total // workers + (1 if i < total % workers else 0) for i in range(workers)]
        barrier = threading.Barrier(workers + 1)

        def hammer(count: int):
            barrier.wait(timeout=60)
            for _ in range(count):
                if deadline.expired():
                    return
                try:
                    call(args.base_url, "GET", f"{API}/ops/ping", **kw, stats=stats,
                         route=R_PING, expect=(200,))
                except JourneyFailed:
                    pass

        futures = [executor.submit(hammer, share) for share in shares]
        barrier.wait(timeout=60)
        started = time.perf_counter()
        for future in futures:
            future.result()
        wall = time.perf_counter() - started
    latencies = stats.latencies[R_PING]
    return {"requests": stats.counts[R_PING], "ok": len(latencies),
            "errors": dict(stats.errors[R_PING]), "wall_seconds": round(wall, 3),
            "rps": round(len(latencies) / wall, 1) if wall > 0 else None,
            "p50_ms": ms(percentile(latencies, 50)), "p99_ms": ms(percentile(latencies, 99)),
            "requested": total}


# -- report ----------------------------------------------------------------------------------

def build_report(args, activity_id, journeys, events, hop, stats: Stats) -> dict:
    routes = {}
    for route in JOURNEY_ROUTES:
        latencies = stats.latencies.get(route, [])
        p50, p99 = ms(percentile(latencies, 50)), ms(percentile(latencies, 99))
        routes[route] = {"count": stats.counts.get(route, 0), "ok": len(latencies),
                         "p50_ms": p50, "p99_ms": p99,
                         "p50_x_hop": ratio(p50, hop["p50_ms"]),
                         "p99_x_hop": ratio(p99, hop["p99_ms"]),
                         "errors": dict(stats.errors.get(route, {}))}
    applications = len(journeys["applications"])
    delays = events["delays"]
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version()},
        "settings": {"base_url": args.base_url, "candidates": args.candidates,
                     "concurrency": args.concurrency, "hop_requests": hop["requested"],
                     "satker": args.satker, "activity_id": activity_id,
                     "nik_base": journeys["nik_base"]},
        "journeys": {
            "candidates": args.candidates,
            "completed": len(journeys["journey_seconds"]),
            "failed": len(journeys["failures"]),
            "applications": applications,
            "wall_seconds": round(journeys["wall_seconds"], 3),
            "applications_per_second": round(applications / journeys["wall_seconds"], 2)
            if journeys["wall_seconds"] > 0 else None,
            "journey_p50_ms": ms(percentile(journeys["journey_seconds"], 50)),
            "journey_p99_ms": ms(percentile(journeys["journey_seconds"], 99)),
            "activation_mail_wait_p50_ms": ms(percentile(journeys["mail_waits"], 50)),
            "activation_mail_wait_p99_ms": ms(percentile(journeys["mail_waits"], 99)),
            "failures": journeys["failures"][:50],
            "failures_by_route_status": dict(Counter(
                f"{f['route']} -> {f['status']}" for f in journeys["failures"])),
        },
        "routes": routes,
        "events": {"expected": events["expected"], "received": events["received"],
                   "missing": len(events["missing"]), "missing_ids": events["missing"][:50],
                   "duplicates": events["duplicates"], "malformed": events["malformed"],
                   "foreign": events["foreign"],
                   "delay_p50_ms": ms(percentile(delays, 50)),
                   "delay_p99_ms": ms(percentile(delays, 99)),
                   "delay_min_ms": ms(min(delays)) if delays else None,
                   "delay_max_ms": ms(max(delays)) if delays else None,
                   "early": sum(1 for delay in delays if delay < 0),
                   "send_to_event_p50_ms": ms(percentile(events["from_send"], 50)),
                   "send_to_event_p99_ms": ms(percentile(events["from_send"], 99)),
                   "commit_to_event_p50_ms": ms(percentile(events["from_commit"], 50)),
                   "commit_to_event_p99_ms": ms(percentile(events["from_commit"], 99)),
                   "subscriber_error": events["subscriber_error"]},
        "bare_hop": hop,
    }


def _fmt(value, width: int, digits: int = 1) -> str:
    if value is None:
        return "-".rjust(width)
    if isinstance(value, float):
        return f"{value:{width}.{digits}f}"
    return str(value).rjust(width)


def print_report(report: dict) -> None:
    j, e, h = report["journeys"], report["events"], report["bare_hop"]
    print()
    print(f"Load benchmark {report['when']}  {report['settings']['base_url']}  "
          f"candidates={j['candidates']} concurrency={report['settings']['concurrency']}  "
          f"cpus={report['machine']['cpus']}")
    print(f"journeys: {j['completed']} completed, {j['failed']} failed; "
          f"{j['applications']} applications in {j['wall_seconds']:.2f} s = "
          f"{j['applications_per_second']} applications/s")
    print(f"journey p50/p99: {j['journey_p50_ms']} / {j['journey_p99_ms']} ms; activation mail "
          f"wait p50/p99: {j['activation_mail_wait_p50_ms']} / "
          f"{j['activation_mail_wait_p99_ms']} ms")
    print()
    header = (f"{'route':42} {'count':>6} {'ok':>6} {'p50 ms':>9} {'p99 ms':>9} "
              f"{'p50 xhop':>9} {'p99 xhop':>9}  errors")
    print(header)
    print("-" * len(header))
    for route, row in report["routes"].items():
        errors = ", ".join(f"{status}: {n}" for status, n in sorted(row["errors"].items())) or "-"
        print(f"{route:42} {row['count']:6d} {row['ok']:6d} {_fmt(row['p50_ms'], 9)} "
              f"{_fmt(row['p99_ms'], 9)} {_fmt(row['p50_x_hop'], 9)} "
              f"{_fmt(row['p99_x_hop'], 9)}  {errors}")
    hop_errors = ", ".join(f"{s}: {n}" for s, n in sorted(h["errors"].items())) or "-"
    print(f"{R_PING + ' (bare hop)':42} {h['requests']:6d} {h['ok']:6d} "
          f"{_fmt(h['p50_ms'], 9)} {_fmt(h['p99_ms'], 9)} "
          f"{_fmt(1.0 if h['p50_ms'] else None, 9)} {_fmt(1.0 if h['p99_ms'] else None, 9)}  "
          f"{hop_errors}")
    print()
    print(f"bare hop: {h['rps']} requests/s over {h['wall_seconds']} s, "
          f"p50 {h['p50_ms']} ms, p99 {h['p99_ms']} ms")
    print(f"events: {e['received']}/{e['expected']} received, {e['missing']} missing, "
          f"{e['duplicates']} duplicates; 201 -> event delay p50 {e['delay_p50_ms']} ms, "
          f"p99 {e['delay_p99_ms']} ms (min {e['delay_min_ms']}, max {e['delay_max_ms']}; "
          f"{e['early']} events arrived before their 201 was read)")
    print(f"application request sent -> event: p50 {e['send_to_event_p50_ms']} ms, "
          f"p99 {e['send_to_event_p99_ms']} ms")
    print(f"event written (occurred_at, in the service's transaction) -> consumed: "
          f"p50 {e['commit_to_event_p50_ms']} ms, p99 {e['commit_to_event_p99_ms']} ms")
    if e["subscriber_error"]:
        print(f"event subscriber error: {e['subscriber_error']}")
    if j["failed"]:
        print()
        print("journey failures (route -> status: count):")
        for key, n in sorted(j["failures_by_route_status"].items()):
            print(f"  {key}: {n}")
        for failure in j["failures"][:5]:
            print(f"  e.g. candidate {failure['candidate']}: {failure['route']} -> "
                  f"{failure['status']} {failure['detail'][:200]}")


# -- main ------------------------------------------------------------------------------------

def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000",
                        help="the gateway; loopback only (default %(default)s)")
    parser.add_argument("--candidates", type=int, default=200, help="default %(default)s")
    parser.add_argument("--concurrency", type=int, default=50, help="default %(default)s")
    parser.add_argument("--hop-requests", type=int, default=None,
                        help="GET /ops/ping requests for the bare hop (default max(2000, 10*N))")
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="global bound on the whole run, seconds (default %(default)s)")
    parser.add_argument("--request-timeout", type=float, default=60.0,
                        help="bound on one request, seconds (default %(default)s)")
    parser.add_argument("--mail-timeout", type=float, default=60.0,
                        help="bound on the wait for one activation mail (default %(default)s)")
    parser.add_argument("--event-timeout", type=float, default=60.0,
                        help="bound on the wait for the last events (default %(default)s)")
    parser.add_argument("--maildir", type=Path,
                        default=Path(os.environ.get("MAIL_DIR") or REPO_ROOT / "var" / "mail"),
                        help="where the system writes .eml files (default %(default)s)")
    parser.add_argument("--amqp-uri", default=os.environ.get(
        "AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/"), help="default %(default)s")
    parser.add_argument("--superadmin-email", default="root@bps.go.id",
                        help="must equal SUPERADMIN_EMAIL of the running system")
    parser.add_argument("--superadmin-password", default="superadmin-secret",
                        help="must equal SUPERADMIN_PASSWORD of the running system")
    parser.add_argument("--satker", default="3528", help="satker of the activity (default 3528)")
    parser.add_argument("--kecamatan", default="352801",
                        help="kecamatan code of the candidates' NIKs (default %(default)s)")
    parser.add_argument("--nik-base", type=int, default=None,
                        help="first NIK slot (default: random per run, so reruns do not clash)")
    parser.add_argument("--json", type=Path, default=None, help="write the figures to this file")
    args = parser.parse_args(argv)
    args.base_url = args.base_url.rstrip("/")
    host = urlsplit(args.base_url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        parser.error(f"--base-url must be a loopback address, not {host!r}")
    for name in ("candidates", "concurrency"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.candidates >= SERIALS * NIK_BIRTH_DAYS:
        parser.error("--candidates is too large for unique NIKs")
    if args.hop_requests is None:
        args.hop_requests = max(2000, 10 * args.candidates)
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    deadline = Deadline(args.timeout)
    stats = Stats()
    mail = MailWatcher(args.maildir)
    subscriber = EventSubscriber(args.amqp_uri)

    print(f"set-up against {args.base_url} ...", flush=True)
    try:
        activity_id = setup(args, deadline)
    except SetupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    subscriber.start()
    subscriber.ready.wait(timeout=deadline.bound(30))
    if subscriber.error is not None or not subscriber.ready.is_set():
        print(f"error: the event subscriber could not start on {args.amqp_uri}: "
              f"{subscriber.error!r}", file=sys.stderr)
        return 2
    mail.start()
    try:
        print(f"activity {activity_id}; {args.candidates} journeys, concurrency "
              f"{args.concurrency} ...", flush=True)
        # The journeys get 3/4 of the time left, so that a stuck system still leaves time to
        # wait for the events and to measure the bare hop.
        journeys = run_journeys(args, activity_id, stats, mail, deadline.part(0.75))
        print(f"journeys done in {journeys['wall_seconds']:.2f} s; waiting for events ...",
              flush=True)
        events = wait_for_events(subscriber, journeys["applications"], args.event_timeout,
                                 deadline)
        print(f"bare hop: {args.hop_requests} x GET {API}/ops/ping ...", flush=True)
        hop = bare_hop(args, args.hop_requests, deadline)
    finally:
        subscriber.stop()
        mail.stop()
    subscriber.join(timeout=5)
    mail.join(timeout=5)

    report = build_report(args, activity_id, journeys, events, hop, stats)
    print_report(report)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"\nfigures written to {args.json}")
    failed = (report["journeys"]["failed"] > 0 or report["events"]["missing"] > 0
              or sum(hop["errors"].values()) > 0 or hop["ok"] < hop["requested"])
    if failed:
        print("\nFAILED: some journeys failed, events are missing or the bare hop had errors",
              file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
