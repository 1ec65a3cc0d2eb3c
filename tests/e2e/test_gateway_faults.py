"""The gateway and the gRPC path under faults (issue 7, findings 6, 9 and 10), on a system of
its own: a short gateway deadline, a small worker pool, and TCP proxies between the gateway
and two services (registration, to count its connections; pembinaan, to cut it off).

- 6: a call whose deadline passes while the service waits on a database lock answers 503 and
  commits nothing; the client's retry (no Idempotency-Key: the gateway derives one) then acts
  once, and a repeat is answered with the first result.
- 9: a service that hangs (SIGSTOP) takes only its own slots: its calls fail fast, the other
  routes and /healthz answer at once, /readyz says "degraded" and names it.
- 10: a connection that goes silent (the proxy stops forwarding) is noticed by the keepalive
  ping and replaced; calls succeed again once the network is back.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from types import SimpleNamespace

import pytest
import requests
import sqlalchemy as sa

from services.shared.platform.config import SERVICES
from services.shared.platform.database import normalise_url
from tests.support import api, infra
from tests.support.infra import free_port, wait_until
from tests.support.tcp_proxy import TcpProxy

DEADLINE = 3.0  # GATEWAY_DEADLINE_SECONDS of this system
KEEPALIVE, KEEPALIVE_TIMEOUT = 1.0, 1.0
WORKERS, SLOTS = 8, 3  # the gateway's workers; the calls it lets wait on one service
BUDGET = "/api/v1/pembinaan/budget/fullday?kl_count=3"


@pytest.fixture(scope="module")
def faulty(tmp_path_factory, smtp):
    controller, sink = smtp
    ports = {service: free_port() for service in ("registration", "pembinaan")}
    with infra.postgres_databases(list(SERVICES)) as urls, infra.rabbitmq_vhost() as amqp, \
            TcpProxy("127.0.0.1", ports["registration"]) as registration_proxy, \
            TcpProxy("127.0.0.1", ports["pembinaan"]) as pembinaan_proxy:
        env = {
            "GATEWAY_DEADLINE_SECONDS": str(DEADLINE), "DATABASE_POOL_TIMEOUT_SECONDS": "1",
            "RPC_COMMIT_MARGIN_SECONDS": "0.2", "GATEWAY_MAX_WORKERS": str(WORKERS),
            "GATEWAY_BACKEND_CONCURRENCY": str(SLOTS), "GATEWAY_BACKEND_WAIT_SECONDS": "0.05",
            "GRPC_KEEPALIVE_SECONDS": str(KEEPALIVE),
            "GRPC_KEEPALIVE_TIMEOUT_SECONDS": str(KEEPALIVE_TIMEOUT),
            "GRPC_RECYCLE_AFTER_DEADLINES": "2",
        }
        for service, proxy in (("registration", registration_proxy),
                               ("pembinaan", pembinaan_proxy)):
            env[f"{service.upper()}_GRPC_PORT"] = str(ports[service])
            env[f"{service.upper()}_GRPC_TARGET"] = f"http://127.0.0.1:{proxy.port}"
        with infra.running_system(tmp_path_factory.mktemp("faulty"), urls, amqp,
                                  controller.port, env) as system:
            yield SimpleNamespace(
                system=system, url=system.gateway_url, mail=sink, databases=urls,
                registration_proxy=registration_proxy, pembinaan_proxy=pembinaan_proxy)


def timed(method, url, **kwargs):
    started = time.monotonic()
    response = requests.request(method, url, timeout=30, **kwargs)
    return response, time.monotonic() - started


def test_a_call_past_its_deadline_commits_nothing_and_its_retry_acts_once(faulty):
    admin = api.admin_of(faulty.url, "3528")
    activity = admin.post("/api/v1/activities", json=api.activity_body("3528")).json()
    candidate = api.complete_candidate(faulty.url, faulty.mail)
    apply_url = f"/api/v1/activities/{activity['id']}/applications"
    engine = sa.create_engine(normalise_url(faulty.databases["registration"]))
    connections_before = faulty.registration_proxy.accepted
    results = {}

    def send(name, call):
        results[name] = call()

    with engine.connect() as locker:
        held = locker.begin()
        # Every statement on activities now waits: the application and the public list.
        locker.execute(sa.text("LOCK TABLE activities IN ACCESS EXCLUSIVE MODE"))
        try:
            threads = [threading.Thread(target=send, args=(name, call)) for name, call in (
                ("apply", lambda: timed("POST", faulty.url + apply_url, json={}, headers={
                    "Authorization": f"Bearer {candidate.token}"})),
                ("list", lambda: timed("GET", faulty.url + "/api/v1/activities")))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            held.rollback()
        released = locker.execute(sa.text("SELECT clock_timestamp()")).scalar()
        for response, took in results.values():
            assert response.status_code == 503, response.text
            assert took < DEADLINE + 1.5
        locker.rollback()

        def still_open() -> int:  # a transaction of its own: pg_stat_activity is a snapshot
            with engine.connect() as connection:
                return connection.execute(sa.text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND xact_start < :released"),
                    {"released": released}).scalar()

        # The service's transactions that waited on the lock have ended (rolled back, or,
        # without the deadline check, committed): only then is "nothing committed" a fact.
        wait_until(lambda: still_open() == 0, timeout=10,
                   message="the service's transactions to end")
        rows = locker.execute(sa.text(
            "SELECT count(*) FROM applications WHERE activity_id = :id"),
            {"id": activity["id"]}).scalar()
        counter = locker.execute(sa.text(
            "SELECT application_count FROM activities WHERE id = :id"),
            {"id": activity["id"]}).scalar()
        locker.rollback()
    assert (rows, counter) == (0, 0)
    # Two calls in a row past their deadline: the connection was replaced.
    wait_until(lambda: faulty.registration_proxy.accepted > connections_before, timeout=5,
               message="a new connection to registration")

    # Nothing was committed, so the retry applies; once applied, a repeat is 409 (already
    # applied), and its own key answers the first result again.
    retry = candidate.post(apply_url, json={}, headers={"Idempotency-Key": "apply-once"})
    assert retry.status_code == 201, retry.text
    again = candidate.post(apply_url, json={}, headers={"Idempotency-Key": "apply-once"})
    assert again.status_code == 201 and again.json()["id"] == retry.json()["id"]
    assert candidate.post(apply_url, json={}).status_code == 409
    with engine.connect() as connection:
        assert connection.execute(sa.text(
            "SELECT count(*) FROM applications WHERE activity_id = :id"),
            {"id": activity["id"]}).scalar() == 1
    engine.dispose()


def test_a_sign_up_sent_twice_is_answered_once(faulty):
    body = {"email": api.unique_email(), "password": "kata-sandi-rahasia", "full_name": "Rina"}
    first = requests.post(faulty.url + "/api/v1/accounts", json=body, timeout=30)
    second = requests.post(faulty.url + "/api/v1/accounts", json=body, timeout=30)
    assert first.status_code == second.status_code == 201, second.text
    assert first.json()["id"] == second.json()["id"]
    other = requests.post(faulty.url + "/api/v1/accounts",
                          json=dict(body, password="kata-sandi-lain"), timeout=30)
    # Another request for the same address: not a replay of the first, and answered as any
    # sign-up is (201, issue 11 finding 4: the answer never says the address is taken).
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]


def test_a_hung_service_takes_only_its_own_slots(faulty):
    token = api.admin_of(faulty.url, "3528").token
    headers = {"Authorization": f"Bearer {token}"}
    assert requests.get(faulty.url + BUDGET, headers=headers, timeout=30).status_code == 200
    pid = faulty.system.pid("pembinaan")
    flood = [None] * (WORKERS * 2)

    def call_budget(index):
        flood[index] = timed("GET", faulty.url + BUDGET, headers=headers)

    os.kill(pid, signal.SIGSTOP)
    try:
        threads = [threading.Thread(target=call_budget, args=(i,)) for i in range(len(flood))]
        for thread in threads:
            thread.start()
        # Beyond its slots the hung service's calls are refused at once.
        wait_until(lambda: sum(1 for result in flood if result) >= len(flood) - SLOTS,
                   timeout=KEEPALIVE + KEEPALIVE_TIMEOUT,
                   message="the calls beyond the hung service's slots answered")
        hung = [i for i, result in enumerate(flood) if result is None]
        assert hung, "some calls wait on the hung service meanwhile"
        for path in ("/healthz", "/api/v1/activities"):
            response, took = timed("GET", faulty.url + path)
            assert response.status_code == 200 and took < 0.5, (path, took)
        assert any(flood[i] is None for i in hung), "measured while the service hung"
        ready, took = timed("GET", faulty.url + "/readyz")  # its probe of pembinaan times out
        assert ready.status_code == 200 and took < 2, took
        assert ready.json() == {"status": "degraded", "checks": {
            "broker": True, "registration": True, "selection": True, "assessment": True,
            "pembinaan": False, "attempt-server": True}}
        for thread in threads:
            thread.join()
        assert {response.status_code for response, _ in flood} == {503}
    finally:
        os.kill(pid, signal.SIGCONT)
    wait_until(lambda: requests.get(faulty.url + BUDGET, headers=headers,
                                    timeout=30).status_code == 200,
               timeout=DEADLINE * 3, message="pembinaan answering again")


def test_a_silent_connection_is_noticed_and_replaced(faulty):
    token = api.admin_of(faulty.url, "3528").token
    headers = {"Authorization": f"Bearer {token}"}
    proxy = faulty.pembinaan_proxy
    assert requests.get(faulty.url + BUDGET, headers=headers, timeout=30).status_code == 200
    with proxy.lock:
        before = [link for link in proxy.links if not link.closed.is_set()]
    assert before
    proxy.pause()  # the network stalls: nothing answers, nothing is closed
    started = time.monotonic()
    try:
        wait_until(lambda: all(link.closed.is_set() for link in before),
                   timeout=KEEPALIVE + KEEPALIVE_TIMEOUT + 3,
                   message="the gateway dropping its silent connections")
        noticed = time.monotonic() - started
    finally:
        proxy.resume()
    assert noticed <= KEEPALIVE + KEEPALIVE_TIMEOUT + 1
    wait_until(lambda: requests.get(faulty.url + BUDGET, headers=headers,
                                    timeout=30).status_code == 200,
               timeout=KEEPALIVE + KEEPALIVE_TIMEOUT + DEADLINE,
               message="calls through a new connection")
