"""Chaos run: the load script's journeys while the relays, the services and the broker are
killed and restarted at random; afterwards nothing may be lost or done twice.

What it does
------------
1. Starts its own system exactly as the end-to-end tests do (``tests/support/infra.py``):
   throw-away PostgreSQL databases (or SQLite files with ``--sqlite``), a RabbitMQ vhost of its
   own, a real SMTP server on loopback, every process through the launcher.
2. Runs ``--candidates`` journeys (``--concurrency`` at once), the same steps as
   ``bench/load.py``, as a careful mobile client would: a request that meets a 502/503/504 or a
   broken connection is sent again (same ``Idempotency-Key`` for a POST), for up to
   ``--retry-seconds``. A journey that still fails counts against the error budget.
3. Meanwhile a chaos thread kills (SIGKILL) one target at random every ``--interval`` seconds
   and starts it again after a short pause: each service's process, each relay, and (unless
   ``--no-broker``) the broker itself (``rabbitmqctl stop_app`` / ``start_app``: it stops the
   machine's shared broker for a moment, so run it when nothing else uses it). The gateway is
   not killed: it is the client's only door.
4. Then every process is running again; it waits until the outboxes and mail queues are empty.
5. Checks, each must hold:
   - every application registration holds for the activity is in selection's read model, and
     selection holds no other (exactly once: its primary key is the application id);
   - every account got exactly one activation mail (the SMTP server's own record: one
     Message-ID per account; a mail sent again after a relay died between sending and marking
     it is the same message, and the number of such deliveries is reported);
   - no mail is waiting or failed, no outbox row is unpublished;
   - every dead-letter queue is empty.
   And it states the error budget: journeys that failed, and why.

Exit status 0 when every check holds; 1 otherwise.

    .venv/bin/python bench/chaos.py --candidates 100 --concurrency 20 --json bench/chaos.json
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
for path in (REPO_ROOT, REPO_ROOT / "gen", REPO_ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import kombu  # noqa: E402
import load  # noqa: E402
import requests  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from services.shared.contracts.events import SUBSCRIPTIONS  # noqa: E402
from services.shared.platform.config import SERVICES  # noqa: E402
from services.shared.platform.database import normalise_url  # noqa: E402
from services.shared.platform.messaging import dead_letter_queue_name  # noqa: E402
from tests.support import api, infra  # noqa: E402

RETRYABLE = {502, 503, 504}


class Journeys:
    """The load script's journey, sent again on a transient failure, as a phone would."""

    def __init__(self, base_url: str, sink, activity_id: str, retry_seconds: float):
        self.base_url, self.sink, self.activity_id = base_url, sink, activity_id
        self.retry_seconds = retry_seconds
        self.retries: Counter = Counter()
        self.lock = threading.Lock()

    def call(self, method: str, path: str, expect, token: str | None = None, **kwargs):
        headers = dict(kwargs.pop("headers", {}) or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if method == "POST":
            headers["Idempotency-Key"] = uuid.uuid4().hex  # the same for every retry
        give_up = time.monotonic() + self.retry_seconds
        delay = 0.2
        while True:
            try:
                response = requests.request(method, self.base_url + path, headers=headers,
                                            timeout=30, **kwargs)
                if response.status_code in expect:
                    return response
                failure = f"{response.status_code}"
                retry = response.status_code in RETRYABLE
            except requests.RequestException as error:
                failure, retry = type(error).__name__, True
            if not retry or time.monotonic() > give_up:
                raise load.JourneyFailed(f"{method} {path}", failure)
            with self.lock:
                self.retries[f"{method} {path.split('/')[3]}"] += 1
            time.sleep(delay)
            delay = min(delay * 2, 3.0)

    def run(self, index: int, nik_base: int) -> str:
        address = f"chaos-{nik_base}-{index:05d}@example.com"
        self.call("POST", "/api/v1/accounts", (201,),
                  json={"email": address, "password": load.CANDIDATE_PASSWORD,
                        "full_name": "Siti Aminah"})
        # A mail a killed relay had claimed goes out once its claim runs out (MAIL_CLAIM_SECONDS).
        mail = self.sink.wait_for(address, "Aktivasi", timeout=self.retry_seconds)
        token = load.TOKEN_RE.search(mail.get_content()).group(1)
        self.call("POST", "/api/v1/accounts/activate", (200,), json={"token": token})
        access = self.call("POST", "/api/v1/auth/token", (200,), json={
            "email": address, "password": load.CANDIDATE_PASSWORD}).json()["access_token"]
        self.call("PUT", "/api/v1/me/profile", (200,), token=access,
                  json=load.candidate_profile(index, nik_base, "352801"))
        for _, kind, content, content_type in load.DOCUMENTS:
            self.call("PUT", f"/api/v1/me/documents/{kind}", (201,), token=access,
                      data=content, headers={"Content-Type": content_type})
        return self.call("POST", f"/api/v1/activities/{self.activity_id}/applications", (201,),
                         token=access, json={}).json()["id"]


class Chaos(threading.Thread):
    def __init__(self, system, interval: float, broker: bool, seed: int):
        super().__init__(name="chaos", daemon=True)
        self.system, self.interval, self.broker = system, interval, broker
        self.random = random.Random(seed)
        self.stopping = threading.Event()
        self.kills: Counter = Counter()
        self.targets = [*SERVICES, *(f"relay-{name}" for name in SERVICES)]
        if broker:
            self.targets.append("broker")

    def run(self) -> None:
        while not self.stopping.wait(self.random.uniform(0.5, 1.5) * self.interval):
            target = self.random.choice(self.targets)
            self.kills[target] += 1
            pause = self.random.uniform(0.3, 2.0)
            if target == "broker":
                subprocess.run(["rabbitmqctl", "stop_app"], capture_output=True, timeout=120)
                time.sleep(pause)
                subprocess.run(["rabbitmqctl", "start_app"], capture_output=True, timeout=120)
                continue
            pid = self.system.pid(target)
            if pid:
                os.kill(pid, signal.SIGKILL)
            time.sleep(pause)
            self.system.start(target)

    def stop(self) -> None:
        self.stopping.set()
        self.join()
        for target in self.targets:  # whatever the last round left stopped
            if target != "broker" and not self.system.pid(target):
                self.system.start(target)


def _count(url: str, query: str):
    engine = sa.create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text(query)).all()
    finally:
        engine.dispose()


def _drained(urls: dict) -> bool:
    for url in urls.values():
        if _count(url, "SELECT count(*) FROM outbox WHERE published_at IS NULL")[0][0]:
            return False
        if _count(url, "SELECT count(*) FROM outgoing_mail WHERE sent_at IS NULL")[0][0]:
            return False
    return True


def _dlq_depths(amqp_uri: str) -> dict[str, int]:
    depths = {}
    with kombu.Connection(amqp_uri) as connection:
        channel = connection.default_channel
        for subscription in SUBSCRIPTIONS:
            name = dead_letter_queue_name(subscription)
            try:
                depths[name] = channel.queue_declare(name, passive=True).message_count
            except Exception:  # never declared: nothing was ever parked
                channel = connection.channel()
                depths[name] = 0
    return depths


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--interval", type=float, default=3.0,
                        help="mean seconds between two kills (default %(default)s)")
    parser.add_argument("--retry-seconds", type=float, default=90.0)
    parser.add_argument("--no-broker", action="store_true", help="do not restart the broker")
    parser.add_argument("--sqlite", action="store_true", help="SQLite files, not PostgreSQL")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    report: dict = {"candidates": args.candidates, "concurrency": args.concurrency,
                    "interval_s": args.interval, "seed": seed,
                    "database": "sqlite" if args.sqlite else "postgresql"}
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bps-chaos-")))
        if args.sqlite:
            urls = {name: f"sqlite:///{tmp / (name + '.db')}" for name in SERVICES}
        else:
            urls = stack.enter_context(infra.postgres_databases(list(SERVICES)))
        amqp_uri = stack.enter_context(infra.rabbitmq_vhost())
        controller, sink = stack.enter_context(infra.smtp_server())
        system = stack.enter_context(infra.running_system(tmp, urls, amqp_uri, controller.port))
        base_url = system.gateway_url
        admin = api.admin_of(base_url, "3528")
        activity_id = admin.post("/api/v1/activities", json=load.activity_body()).json()["id"]
        journeys = Journeys(base_url, sink, activity_id, args.retry_seconds)
        nik_base = random.Random(seed).randrange(load.SERIALS * load.NIK_BIRTH_DAYS
                                                 - args.candidates)
        chaos = Chaos(system, args.interval, not args.no_broker, seed)
        failures: list = []
        started = time.perf_counter()
        chaos.start()
        with ThreadPoolExecutor(max_workers=args.concurrency) as executor:
            futures = [executor.submit(journeys.run, i, nik_base)
                       for i in range(args.candidates)]
            applied = []
            for future in futures:
                try:
                    applied.append(future.result())
                except Exception as error:
                    failures.append(str(error)[:200])
        chaos.stop()
        report["journeys_seconds"] = round(time.perf_counter() - started, 1)
        report["kills"] = dict(chaos.kills)
        report["retries"] = dict(journeys.retries)
        system.wait_ready(120)
        infra.wait_until(lambda: _drained(urls), timeout=180, message="outboxes and mail drained")
        of_activity = f"SELECT id FROM applications WHERE activity_id = '{activity_id}'"
        registered = {row[0] for row in _count(urls["registration"], of_activity)}
        infra.wait_until(lambda: {row[0] for row in _count(urls["selection"], of_activity)}
                         >= registered, timeout=120, message="selection caught up")
        in_selection = [row[0] for row in _count(urls["selection"], of_activity)]
        accounts = {row[0] for row in _count(
            urls["registration"], "SELECT email FROM accounts WHERE role = 'mitra'")}
        # One message per account; a relay killed between sending a mail and marking it sent
        # sends that mail again as the same message (its Message-ID comes from its row).
        activation = [message for message in sink.received
                      if "Aktivasi" in str(message["Subject"])]
        activation_mails = Counter(str(message["To"]).strip().lower()
                                   for message in {m["Message-ID"]: m for m in activation}.values())
        failed_mail = _count(urls["registration"],
                             "SELECT count(*) FROM outgoing_mail WHERE sent_at IS NULL")[0][0]
        checks = {
            "every application in selection exactly once":
                sorted(in_selection) == sorted(registered) and len(set(in_selection))
                == len(in_selection),
            "every account got exactly one activation mail":
                all(activation_mails[address] == 1 for address in accounts)
                and set(activation_mails) <= accounts | {"root@bps.go.id"},
            "no mail waiting or failed": failed_mail == 0,
            "every dead-letter queue empty": not any(_dlq_depths(amqp_uri).values()),
        }
        report.update({
            "applications_answered_201": len(applied), "applications_registered": len(registered),
            "applications_in_selection": len(in_selection),
            "accounts": len(accounts), "activation_mails": sum(activation_mails.values()),
            "activation_deliveries": len(activation),
            "journeys_failed": len(failures),
            "error_budget": f"{len(failures)}/{args.candidates} journeys failed",
            "failures": Counter(failures).most_common(10), "checks": checks,
        })
    print(json.dumps(report, indent=2, default=str))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str))
    return 0 if all(report["checks"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
