"""Mail goes through the outgoing_mail table, against a real SMTP server (aiosmtpd):

- an SMTP outage delays mail and loses none, and is not held against any mail;
- each mail is judged on its own: a 550 parks that mail as failed after one try while the
  others go out, a 451 defers only that mail (with back-off) until the server takes it, a
  mail deferred MAIL_MAX_ATTEMPTS times is parked;
- a relay killed in the middle of a batch re-sends at most the mail that was on its way.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
import requests
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from prometheus_client import REGISTRY

from services.shared.ops.relay import OutboxRelay
from services.shared.platform.config import REPO_ROOT
from services.shared.platform.database import (
    add_platform_tables,
    create_engine,
    session_factory,
    unit_of_work,
    utcnow,
)
from services.shared.platform.unit_of_work import SqlMailQueue
from tests.support.infra import MailSink, free_port, wait_until

TABLES = add_platform_tables(sa.MetaData())
MAIL = TABLES.outgoing_mail


class PickySink(MailSink):
    """Answers ``refuse[address]`` (e.g. "550 5.1.1 ...") to that recipient, takes the others;
    counts every RCPT it was asked."""

    def __init__(self, refuse: dict[str, str] | None = None):
        super().__init__()
        self.refuse = dict(refuse or {})
        self.asked: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.asked.append(address)
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def count(self, recipient: str) -> int:
        return sum(1 for message in self.received if message["To"] == recipient)


@pytest.fixture
def database(tmp_path):
    url = f"sqlite:///{tmp_path / 'mail.db'}"
    engine = sa.create_engine(url)
    TABLES.outbox.metadata.create_all(engine)
    engine.dispose()
    return url


@pytest.fixture
def smtp_server():
    servers = []

    def start(handler, port=None):
        controller = Controller(handler, hostname="127.0.0.1", port=port or free_port())
        controller.start()
        servers.append(controller)
        return controller

    yield start
    for controller in servers:
        controller.stop()


@pytest.fixture
def make_relay(database, monkeypatch):
    relays = []

    def make(port: int, **settings):
        monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("SMTP_PORT", str(port))
        for name, value in settings.items():
            monkeypatch.setenv(name, str(value))
        relay = OutboxRelay("registration", database_url=database)
        relays.append(relay)
        return relay

    yield make
    for relay in relays:
        relay.engine.dispose()


def queue_mail(url: str, recipients: list[str]) -> None:
    engine = create_engine(url)
    with unit_of_work(session_factory(engine)) as session:
        for recipient in recipients:
            SqlMailQueue(session, TABLES).queue(recipient, "Aktivasi akun SOBAT BPS",
                                                f"Token aktivasi: token-{recipient}")
    engine.dispose()


def rows(url: str) -> dict:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        found = {row.recipient: row for row in connection.execute(
            sa.select(MAIL).order_by(MAIL.c.id))}
    engine.dispose()
    return found


def run_until(relay, condition, timeout: float = 10.0):
    """The relay's mail side, driven as its loop drives it, until ``condition()``."""
    return wait_until(lambda: relay.mail.step(time.monotonic()) is not None and condition(),
                      timeout=timeout, interval=0.02)


def counted(outcome: str) -> float:
    return REGISTRY.get_sample_value(
        "relay_mail_total", {"service": "registration", "outcome": outcome}) or 0.0


def test_an_smtp_outage_delays_mail_and_loses_none(database, make_relay, smtp_server):
    port = free_port()  # nothing listens here yet
    relay = make_relay(port)
    queue_mail(database, [f"calon{n}@example.com" for n in range(3)])

    assert relay.mail.step(time.monotonic()) == 0
    assert relay.mail.retry_at > time.monotonic()  # the whole mail side backs off
    # A server that is down is nothing against the mail: no attempt counted, still due.
    assert all(r.sent_at is None and r.attempts == 0 and r.next_attempt_at <= utcnow()
               for r in rows(database).values())

    sink = smtp_server(PickySink(), port).handler
    relay.mail.retry_at = 0.0  # the back-off is over
    run_until(relay, lambda: len(sink.received) == 3)
    assert sorted(m["To"] for m in sink.received) == [
        "calon0@example.com", "calon1@example.com", "calon2@example.com"]
    assert "token-calon0@example.com" in sink.received[0].get_content()
    assert all(r.sent_at is not None and r.body is None for r in rows(database).values())
    assert relay.mail.step(time.monotonic()) == 0  # nothing is sent twice
    assert len(sink.received) == 3


def test_a_rejected_recipient_is_parked_and_the_others_are_delivered(
        database, make_relay, smtp_server):
    """Before: delivery stopped at the first failure and always took the same row first, so
    one bad address stopped all mail for good."""
    controller = smtp_server(PickySink({"hilang@example.com": "550 5.1.1 mailbox unavailable"}))
    sink = controller.handler
    relay = make_relay(controller.port)
    before = {outcome: counted(outcome) for outcome in ("sent", "failed", "deferred")}
    queue_mail(database, ["hilang@example.com", "ani@example.com", "budi@example.com"])

    run_until(relay, lambda: len(sink.received) == 2 and rows(database)[
        "hilang@example.com"].failed_at is not None)
    bad = rows(database)["hilang@example.com"]
    assert (bad.sent_at, bad.attempts, bad.last_error, bad.body) == (None, 1, "550", None)
    assert sorted(m["To"] for m in sink.received) == ["ani@example.com", "budi@example.com"]

    queue_mail(database, ["citra@example.com"])  # later mail still flows
    run_until(relay, lambda: sink.count("citra@example.com") == 1)
    assert sink.asked.count("hilang@example.com") == 1  # parked: never tried again
    assert counted("sent") - before["sent"] == 3
    assert counted("failed") - before["failed"] == 1
    assert counted("deferred") == before["deferred"]


def test_a_451_defers_that_mail_until_the_server_takes_it(database, make_relay, smtp_server):
    controller = smtp_server(PickySink({"sibuk@example.com": "451 4.7.1 try again later"}))
    sink = controller.handler
    relay = make_relay(controller.port, MAIL_RETRY_BASE_SECONDS=1)
    queue_mail(database, ["sibuk@example.com", "dewi@example.com"])

    run_until(relay, lambda: sink.count("dewi@example.com") == 1)  # not held back by the 451
    busy = rows(database)["sibuk@example.com"]
    assert (busy.sent_at, busy.failed_at, busy.attempts, busy.last_error) == (
        None, None, 1, "451")
    assert busy.next_attempt_at > utcnow()  # backing off: not tried on the next round
    relay.mail.step(time.monotonic())
    assert sink.asked.count("sibuk@example.com") == 1

    del sink.refuse["sibuk@example.com"]  # the server takes it again
    run_until(relay, lambda: sink.count("sibuk@example.com") == 1)
    busy = rows(database)["sibuk@example.com"]
    assert (busy.attempts, busy.failed_at, busy.body) == (2, None, None)
    assert busy.sent_at is not None


def test_a_mail_deferred_max_attempts_times_is_parked(database, make_relay, smtp_server):
    controller = smtp_server(PickySink({"penuh@example.com": "452 4.2.2 mailbox full"}))
    sink = controller.handler
    relay = make_relay(controller.port, MAIL_RETRY_BASE_SECONDS=0.05, MAIL_MAX_ATTEMPTS=3)
    queue_mail(database, ["penuh@example.com"])
    run_until(relay, lambda: rows(database)["penuh@example.com"].failed_at is not None)
    parked = rows(database)["penuh@example.com"]
    assert (parked.attempts, parked.last_error, parked.sent_at) == (3, "452", None)
    assert sink.asked.count("penuh@example.com") == 3


class KillingSink(PickySink):
    """Kills ``victim`` (the relay process) once it has sent ``after`` mails, before telling
    it the last one was taken: the crash between a send and its mark."""

    def __init__(self, after: int):
        super().__init__()
        self.after, self.victim = after, None

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        if len(self.received) == self.after and self.victim is not None:
            os.kill(self.victim.pid, signal.SIGKILL)
            self.victim.wait()
        return answer


def start_relay(database: str, smtp_port: int, amqp_uri: str, tmp_path,
                **settings) -> subprocess.Popen:
    """The relay process as the launcher starts it (its event side on a vhost of its own)."""
    env = dict(os.environ)
    env.update({
        "REGISTRATION_DATABASE_URL": database, "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port), "AMQP_URI": amqp_uri,
        "RETENTION_INTERVAL_SECONDS": "0", "BPS_VAR_DIR": str(tmp_path / "var"),
        "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), str(REPO_ROOT / "gen")]),
        "PYTHONWARNINGS": "ignore::DeprecationWarning",
    })
    env.update({name: str(value) for name, value in settings.items()})
    with open(tmp_path / f"relay-{time.monotonic_ns()}.log", "wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "services.shared.ops.relay", "registration"],
            cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def test_a_relay_killed_mid_batch_sends_again_only_the_mail_on_its_way(
        database, smtp_server, own_vhost, tmp_path):
    """Before: the whole batch was marked sent in one transaction after the last mail, so a
    crash mid-batch sent every mail of it again."""
    recipients = [f"calon{n}@example.com" for n in range(10)]
    queue_mail(database, recipients)
    sink = KillingSink(after=4)
    controller = smtp_server(sink)
    sink.victim = start_relay(database, controller.port, own_vhost, tmp_path,
                              MAIL_CLAIM_SECONDS=2)
    wait_until(lambda: sink.victim.poll() is not None, timeout=30, message="the relay killed")
    # Marked one by one: the three the relay heard back about are sent, nothing else is.
    assert sorted(r for r, row in rows(database).items() if row.sent_at) == recipients[:3]

    metrics_port = free_port()
    second = start_relay(database, controller.port, own_vhost, tmp_path, MAIL_CLAIM_SECONDS=2,
                         RELAY_METRICS_PORT=metrics_port)
    try:
        wait_until(lambda: all(row.sent_at for row in rows(database).values()), timeout=30,
                   message="every mail marked sent")
        metrics = requests.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5).text
    finally:
        second.terminate()
        second.wait(timeout=10)
    counts = {recipient: sink.count(recipient) for recipient in recipients}
    # Only calon3, on its way when the relay died, went out twice: as the same message (one
    # Message-ID, made from its row), which mail systems recognise as one.
    assert counts == {recipient: 2 if recipient == "calon3@example.com" else 1
                      for recipient in recipients}
    message_ids = {recipient: {m["Message-ID"] for m in sink.received if m["To"] == recipient}
                   for recipient in recipients}
    assert all(len(ids) == 1 for ids in message_ids.values())
    assert len(set().union(*message_ids.values())) == len(recipients)
    assert 'relay_mail_total{outcome="sent",service="registration"} 7.0' in metrics


def test_a_claimed_row_is_not_taken_by_another_relay_until_its_claim_runs_out(
        database, make_relay, smtp_server):
    controller = smtp_server(PickySink())
    sink = controller.handler
    relay = make_relay(controller.port, MAIL_CLAIM_SECONDS=60)
    queue_mail(database, ["eka@example.com"])
    claimed = relay.mail.claim()  # another relay took it, and has not answered yet
    assert [row.recipient for row in claimed] == ["eka@example.com"]
    assert rows(database)["eka@example.com"].next_attempt_at > utcnow() + timedelta(seconds=50)
    assert relay.mail.step(time.monotonic()) == 0
    assert sink.received == []


class OnceSink(PickySink):
    """Answers ``answer`` at ``stage`` (MAIL or DATA) once, then takes everything."""

    def __init__(self, stage: str, answer: str):
        super().__init__()
        self.pending = {stage: answer}

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if "MAIL" in self.pending:
            return self.pending.pop("MAIL")
        envelope.mail_from = address
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if "DATA" in self.pending:
            return self.pending.pop("DATA")
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.parametrize(("stage", "answer", "parked"), [
    ("MAIL", "553 5.7.1 sender refused", True),  # SMTPSenderRefused
    ("MAIL", "451 4.3.0 try later", False),
    ("DATA", "554 5.6.0 content refused", True),  # SMTPDataError
    ("DATA", "452 4.3.1 insufficient storage", False),
])
def test_every_smtp_stage_is_judged_by_its_code(
        database, make_relay, smtp_server, stage, answer, parked):
    controller = smtp_server(OnceSink(stage, answer))
    sink = controller.handler
    relay = make_relay(controller.port, MAIL_RETRY_BASE_SECONDS=60)
    queue_mail(database, ["pertama@example.com", "kedua@example.com"])
    run_until(relay, lambda: sink.count("kedua@example.com") == 1)  # the next one goes out
    first = rows(database)["pertama@example.com"]
    assert (first.sent_at, first.attempts, first.last_error) == (None, 1, answer[:3])
    assert (first.failed_at is not None) == parked
    if not parked:
        assert first.next_attempt_at > utcnow() + timedelta(seconds=50)
