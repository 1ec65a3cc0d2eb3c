"""Two replicas are safe (issue 12): on one PostgreSQL database, two processes of the
registration service (each behind a gateway of its own, so requests alternate between them)
and two of its outbox relay, with documents in an S3-compatible store (moto's server over
HTTP). Work goes through both replicas, part of it while the relays are down (a backlog both
relays start on at the same moment, the race of two pods rolled out together) and part while
both relays run. Then: every outbox event reached a queue bound to the service's exchange
exactly once (nothing lost, nothing twice: the relays claim rows with SKIP LOCKED), every
activation mail reached the SMTP server exactly once (the mail relays' claims), and a
document uploaded through one replica is served by the other (it is in the bucket, not on a
replica's disk)."""
from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import timedelta

import kombu
import pytest
import requests
import sqlalchemy as sa

from services.shared.ops.migrate import upgrade
from services.shared.platform import config
from services.shared.platform.database import normalise_url
from services.shared.platform.messaging import event_exchange
from tests.support.api import JPEG, PDF, Client, activity_body, unique_email
from tests.support.builders import profile_body
from tests.support.infra import (
    free_port,
    postgres_databases,
    rabbitmq_vhost,
    smtp_server,
    wait_until,
)
from tests.support.object_store import object_store

# Outbox events made before the relays start (a backlog) and while they run; sign-ups, each
# one activation mail, the same way.
ACTIVITIES_BEFORE, CHANGES_BEFORE, SIGNUPS_BEFORE = 6, 6, 4
ACTIVITIES_DURING, CHANGES_DURING, SIGNUPS_DURING = 6, 6, 4
PASSWORD = "kata-sandi-rahasia"


class Processes:
    """The processes this test starts, by name; stopped by their own pids only."""

    def __init__(self, env: dict, log_dir):
        self.env, self.log_dir = env, log_dir
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, *args: str, **env: str) -> None:
        with open(self.log_dir / f"{name}.log", "ab") as log:
            self.running[name] = subprocess.Popen(
                [sys.executable, "-m", *args], env={**self.env, **env}, stdout=log,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=config.REPO_ROOT)

    def stop(self, *names: str) -> None:
        for name in names:
            self.running[name].send_signal(signal.SIGTERM)
        for name in names:
            process = self.running.pop(name)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def check_alive(self) -> None:
        dead = {name: p.returncode for name, p in self.running.items() if p.poll() is not None}
        assert not dead, f"exited: {dead}; see {self.log_dir}"

    def stop_all(self) -> None:
        self.stop(*list(self.running))


@pytest.fixture
def replicas(tmp_path):
    """Two registration replicas behind a gateway each, relays not yet started."""
    with ExitStack() as stack:
        urls = stack.enter_context(postgres_databases(["registration"]))
        amqp_uri = stack.enter_context(rabbitmq_vhost())
        smtp, sink = stack.enter_context(smtp_server())
        store = stack.enter_context(object_store())
        url = urls["registration"]
        upgrade("registration", url)
        env = dict(os.environ)
        env.update(store.env())
        env.update({
            "BPS_VAR_DIR": str(tmp_path / "var"), "AMQP_URI": amqp_uri,
            "REGISTRATION_DATABASE_URL": url, "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(smtp.port), "JWT_SECRET": "two-replicas-share-this-secret-of-32-bytes",
            "SUPERADMIN_EMAIL": "root@bps.go.id", "SUPERADMIN_PASSWORD": "superadmin-secret",
            "OUTBOX_POLL_SECONDS": "0.05", "MAIL_POLL_SECONDS": "0.05", "MAX_WORKERS": "10",
            "PYTHONPATH": os.pathsep.join([str(config.REPO_ROOT), str(config.REPO_ROOT / "gen")]),
            "PYTHONWARNINGS": "ignore::DeprecationWarning", "PASSWORD_HASH_WAIT_SECONDS": "20",
            "RETENTION_INTERVAL_SECONDS": "0",  # the relays touch the outbox only to claim
        })
        for service in config.SERVICES:  # only registration runs; the others never answer
            env[f"{service.upper()}_GRPC_TARGET"] = f"http://127.0.0.1:{free_port()}"
        log_dir = tmp_path / "log"
        log_dir.mkdir()
        processes = Processes(env, log_dir)
        stack.callback(processes.stop_all)
        gateways = []
        for n in (1, 2):
            grpc_port, http_port = free_port(), free_port()
            processes.start(f"registration-{n}", "services.shared.ops.runner", "registration",
                            REGISTRATION_GRPC_PORT=str(grpc_port))
            processes.start(f"gateway-{n}", "services.shared.ops.runner", "gateway",
                            GATEWAY_PORT=str(http_port),
                            REGISTRATION_GRPC_TARGET=f"http://127.0.0.1:{grpc_port}")
            gateways.append(f"http://127.0.0.1:{http_port}")

        def signs_in(base_url):
            processes.check_alive()
            try:
                return requests.post(base_url + "/api/v1/auth/token", timeout=10, json={
                    "email": "root@bps.go.id", "password": "superadmin-secret"}).ok
            except requests.ConnectionError:
                return False

        for base_url in gateways:
            wait_until(lambda base_url=base_url: signs_in(base_url), timeout=90,
                       interval=0.2, message=f"the replica behind {base_url}")
        engine = sa.create_engine(normalise_url(url))
        stack.callback(engine.dispose)
        yield {"gateways": gateways, "processes": processes, "sink": sink, "store": store,
               "amqp_uri": amqp_uri, "engine": engine, "var": tmp_path / "var"}


def _post(url: str, body: dict) -> requests.Response:
    """POST, sent again while the answer is 503 "busy; try again" (argon2 has one core per
    process here, shared with other test runs): what API.md asks of a client, and the same
    request each time (sign-up derives its idempotency key from the body)."""
    answers = []

    def answered():
        answers.append(requests.post(url, json=body, timeout=30))
        return answers[-1].status_code != 503

    wait_until(answered, timeout=60, interval=0.2, message=f"an answer other than 503 {url}")
    return answers[-1]


def _login(base_url: str, email: str, password: str) -> Client:
    response = _post(base_url + "/api/v1/auth/token", {"email": email, "password": password})
    assert response.status_code == 200, response.text
    return Client(base_url, response.json()["access_token"])


def _root(base_url: str) -> Client:
    return _login(base_url, "root@bps.go.id", "superadmin-secret")


def _sign_up(base_url: str) -> str:
    email = unique_email("replika")
    response = _post(base_url + "/api/v1/accounts",
                     {"email": email, "password": PASSWORD, "full_name": "Siti Aminah"})
    assert response.status_code == 201, response.text
    return email


def _work(gateways: list[str], activities: int, changes: int, signups: int,
          parallel: int) -> list[str]:
    """Activities created and changed (an outbox event each) and candidates signed up (an
    activation mail each), alternating between the replicas; the e-mails signed up."""
    roots = [_root(base_url) for base_url in gateways]

    def create(n):
        response = roots[n % 2].post("/api/v1/activities", json=activity_body("3528"))
        assert response.status_code == 201, response.text
        return response.json()["id"]

    def change(args):
        n, activity_id = args
        response = roots[n % 2].patch(f"/api/v1/activities/{activity_id}",
                                      json={"quota": 100 + n})
        assert response.status_code == 200, response.text

    with ThreadPoolExecutor(parallel) as pool:
        signed_up = pool.map(lambda n: _sign_up(gateways[n % 2]), range(signups))
        created = list(pool.map(create, range(activities)))
        list(pool.map(change, enumerate(created[n % len(created)] for n in range(changes))))
        return list(signed_up)


def _outbox(engine) -> tuple[list[str], int]:
    """The outbox's event ids, and how many are not yet published."""
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT event_id, published_at FROM outbox")).all()
    return [row.event_id for row in rows], sum(row.published_at is None for row in rows)


def test_two_replicas_and_two_relays_do_nothing_twice_and_lose_nothing(replicas):
    gateways, processes, sink = replicas["gateways"], replicas["processes"], replicas["sink"]
    engine, store = replicas["engine"], replicas["store"]
    with kombu.Connection(replicas["amqp_uri"]) as connection:
        # Bound before any relay runs: every event the service ever publishes lands here.
        queue = kombu.Queue("replica-test-all-events", exchange=event_exchange("registration"),
                            routing_key="#", durable=False)
        queue(connection.default_channel).declare()

        # A backlog, made through both replicas while no relay runs.
        emails = _work(gateways, ACTIVITIES_BEFORE, CHANGES_BEFORE, SIGNUPS_BEFORE, parallel=1)
        backlog, unpublished = _outbox(engine)
        assert len(backlog) == unpublished == ACTIVITIES_BEFORE + CHANGES_BEFORE
        assert sink.received == []

        # Both relays start on it at once, then more work arrives through both replicas.
        with engine.connect() as holder:
            # Every statement on the two tables waits at this lock (a plain SELECT too), so
            # both relays' first claims wait here and run together when it is released: two
            # pods starting on the same backlog, every time.
            holder.exec_driver_sql("LOCK TABLE outbox, outgoing_mail IN ACCESS EXCLUSIVE MODE")
            for n in (1, 2):
                processes.start(f"relay-{n}", "services.shared.ops.relay", "registration")

            def both_relays_waiting() -> bool:
                processes.check_alive()
                with engine.connect() as probe:
                    events, mail = probe.execute(sa.text(
                        "SELECT count(*) FILTER (WHERE query ILIKE '%FROM outbox%'), "
                        "count(*) FILTER (WHERE query ILIKE '%FROM outgoing_mail%') "
                        "FROM pg_stat_activity WHERE datname = :db AND wait_event_type = "
                        "'Lock'"), {"db": engine.url.database}).one()
                return events >= 2 and mail >= 2

            wait_until(both_relays_waiting, timeout=60, interval=0.1,
                       message="both relays waiting to claim events and mail")
            holder.rollback()
        emails += _work(gateways, ACTIVITIES_DURING, CHANGES_DURING, SIGNUPS_DURING,
                        parallel=2)

        # A document uploaded through one replica, served by the other.
        candidate = _activated_candidate(gateways, sink)
        emails.append(candidate.email)
        application_id = _application_with_documents(gateways, candidate)
        for base_url in reversed(gateways):
            served = _root(base_url).get(
                f"/api/v1/applications/{application_id}/documents/ktp")
            assert served.status_code == 200, served.text
            assert served.content == PDF
        assert not (replicas["var"] / "uploads").exists()  # on no replica's disk
        assert len(store.object_keys()) == 2  # photo and ktp; ijazah is the ktp's bytes

        def all_relayed():
            processes.check_alive()
            _, waiting = _outbox(engine)
            return waiting == 0 and len(sink.received) >= len(emails)

        wait_until(all_relayed, timeout=60, message="every event and mail relayed")
        processes.stop("relay-1", "relay-2")  # whatever a relay still had in hand is sent now

        events, _ = _outbox(engine)
        published = []
        while (message := queue(connection.default_channel).get(no_ack=True)) is not None:
            published.append(message.properties["message_id"])

    twice = {event: n for event, n in collections.Counter(published).items() if n > 1}
    assert twice == {}, f"published more than once: {twice}"
    assert sorted(published) == sorted(events)  # and none lost
    # creates and changes, the candidate's profile, 3 documents and application
    assert len(events) == (ACTIVITIES_BEFORE + CHANGES_BEFORE + ACTIVITIES_DURING
                           + CHANGES_DURING + 1 + 3 + 1 + 1)

    mailed = collections.Counter(message["To"] for message in sink.received)
    assert {to: n for to, n in mailed.items() if n > 1} == {}, "a mail sent more than once"
    assert sorted(mailed) == sorted(emails)


def _activated_candidate(gateways: list[str], sink) -> Client:
    email = _sign_up(gateways[0])
    token = sink.activation_token(email)
    response = requests.post(gateways[1] + "/api/v1/accounts/activate", json={"token": token},
                             timeout=30)
    assert response.status_code == 200, response.text
    candidate = _login(gateways[0], email, PASSWORD)
    candidate.email = email
    return candidate


def _application_with_documents(gateways: list[str], candidate: Client) -> str:
    """Profile and documents through the first replica, the application through the other."""
    response = candidate.put("/api/v1/me/profile", json=profile_body())
    assert response.status_code == 200, response.text
    for kind, content, content_type in (("photo", JPEG, "image/jpeg"),
                                        ("ktp", PDF, "application/pdf"),
                                        ("ijazah", PDF, "application/pdf")):
        response = candidate.put(f"/api/v1/me/documents/{kind}", data=content,
                                 headers={"Content-Type": content_type})
        assert response.status_code == 201, response.text
    root = _root(gateways[0])
    response = root.post("/api/v1/activities",
                         json=activity_body("3528", opens_in=-timedelta(hours=1)))
    assert response.status_code == 201, response.text
    other = Client(gateways[1], candidate.token)
    applied = other.post(f"/api/v1/activities/{response.json()['id']}/applications", json={})
    assert applied.status_code == 201, applied.text
    return applied.json()["id"]


# --- a timer: selection's announcer, on two replicas --------------------------------------

DUE_ACTIVITIES = 5


def _seed_due_activities(url: str) -> list[str]:
    """Activities whose announcement time has passed, as selection learns them from
    registration's events."""
    from datetime import UTC, datetime

    from services.selection.persistence.unit_of_work import SelectionUnitOfWork
    from services.selection.use_cases.activities import follow_activity
    from services.shared.platform.database import (
        create_engine,
        new_id,
        session_factory,
        unit_of_work,
    )

    engine = create_engine(url)
    ids = [new_id() for _ in range(DUE_ACTIVITIES)]
    try:
        with unit_of_work(session_factory(engine)) as session:
            for n, activity_id in enumerate(ids):
                follow_activity(SelectionUnitOfWork(session), {
                    "activity_id": activity_id, "satker_code": "3528", "year": 2026,
                    "name": f"Rekrutmen {n}", "version": 1,
                    "announcement_at": datetime.now(UTC) - timedelta(minutes=n + 1)})
    finally:
        engine.dispose()
    return ids


def test_two_replicas_announce_each_activity_once(tmp_path):
    """Both replicas' announcers (a timer, eager: it runs as each starts) find the same
    activities due at the same moment; each activity is announced once, its
    ``results_announced`` event recorded once (the turn under an advisory lock, the rows under
    FOR UPDATE)."""
    with ExitStack() as stack:
        url = stack.enter_context(postgres_databases(["selection"]))["selection"]
        amqp_uri = stack.enter_context(rabbitmq_vhost())
        upgrade("selection", url)
        activity_ids = _seed_due_activities(url)
        engine = sa.create_engine(normalise_url(url))
        stack.callback(engine.dispose)
        env = dict(os.environ)
        env.update({
            "BPS_VAR_DIR": str(tmp_path / "var"), "AMQP_URI": amqp_uri,
            "SELECTION_DATABASE_URL": url, "JWT_SECRET": "two-replicas-share-this-secret-32b",
            "ANNOUNCEMENT_INTERVAL_SECONDS": "0.2", "MAX_WORKERS": "10",
            "PYTHONPATH": os.pathsep.join([str(config.REPO_ROOT), str(config.REPO_ROOT / "gen")]),
            "PYTHONWARNINGS": "ignore::DeprecationWarning",
        })
        log_dir = tmp_path / "log"
        log_dir.mkdir()
        processes = Processes(env, log_dir)
        stack.callback(processes.stop_all)
        names = ("selection-replica-1", "selection-replica-2")
        with engine.connect() as holder:
            # Each replica's first announcer run waits here, or skips its turn, until both
            # have come this far: then they meet the due activities together.
            holder.exec_driver_sql("LOCK TABLE activities IN ACCESS EXCLUSIVE MODE")
            for name in names:
                # PGAPPNAME: libpq names each replica's connections, the probe tells them apart
                processes.start(name, "services.shared.ops.runner", "selection",
                                SELECTION_GRPC_PORT=str(free_port()), PGAPPNAME=name)

            def both_came_to_the_activities() -> bool:
                """Every replica has a connection waiting at the lock, or one whose
                transaction ended (its turn skipped: the announcer is its only database
                work), and at least one waits."""
                processes.check_alive()
                with engine.connect() as probe:
                    rows = probe.execute(sa.text(
                        "SELECT application_name, state, wait_event_type = 'Lock' "
                        "AND query ILIKE '%FROM activities%' AS waiting "
                        "FROM pg_stat_activity WHERE datname = :db"),
                        {"db": engine.url.database}).all()
                waiting = {row.application_name for row in rows if row.waiting}
                done = {row.application_name for row in rows if row.state == "idle"}
                return waiting and set(names) <= waiting | done

            wait_until(both_came_to_the_activities, timeout=90, interval=0.1,
                       message="both replicas' announcers at the due activities")
            holder.rollback()

        def announced() -> int:
            processes.check_alive()
            with engine.connect() as connection:
                return connection.scalar(sa.text(
                    "SELECT count(*) FROM activities WHERE announced_at IS NOT NULL"))

        wait_until(lambda: announced() == DUE_ACTIVITIES, timeout=60,
                   message="every due activity announced")
        with engine.connect() as connection:
            events = connection.execute(sa.text(
                "SELECT envelope FROM outbox WHERE event_type = 'results_announced'")).all()
    announced_ids = [row.envelope["payload"]["activity_id"] for row in events]
    assert sorted(announced_ids) == sorted(activity_ids)  # each once
