"""Retention (services/shared/ops/retention.py) on SQLite and PostgreSQL: old rows of each kind
go, young rows and unpublished events stay, published envelopes lose their personal data
early; on PostgreSQL two runs at once: one does the work, the other skips its turn."""
from __future__ import annotations

import json
import threading
import time
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from prometheus_client import REGISTRY

from services.shared.contracts.events import PROFILE_UPDATED, ProfileUpdatedPayload
from services.shared.ops.relay import OutboxRelay
from services.shared.ops.retention import Retention
from services.shared.platform.config import retention_settings
from services.shared.platform.database import (
    add_platform_tables,
    create_engine,
    is_postgres,
    normalise_url,
    session_factory,
    utcnow,
)
from services.shared.platform.outbox import make_envelope
from tests.support.builders import document_snapshots, profile_snapshot
from tests.support.infra import postgres_databases, wait_until

TABLES = add_platform_tables(sa.MetaData())
NOW = utcnow()
SETTINGS = replace(retention_settings(), outbox_days=7, event_payload_hours=1,
                   processed_events_days=30, idempotency_hours=24, mail_days=30, batch=1000)
PROFILE = profile_snapshot()


@pytest.fixture(scope="module")
def postgres_url():
    with postgres_databases(["retention"]) as urls:
        yield urls["retention"]


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    url = (f"sqlite:///{tmp_path / 'retention.db'}" if request.param == "sqlite"
           else request.getfixturevalue("postgres_url"))
    engine = create_engine(url)
    metadata = TABLES.outbox.metadata
    metadata.drop_all(engine)
    metadata.create_all(engine)
    yield engine
    engine.dispose()


def envelope() -> dict:
    return make_envelope("registration", PROFILE_UPDATED, {
        "account_id": "acc-1", "updated_at": NOW, "data_version": 3, "profile": PROFILE,
        "documents": document_snapshots()}, ProfileUpdatedPayload())


def ago(**delta) -> datetime:
    return NOW - timedelta(**delta)


def fill(engine) -> None:
    """Two of each kind: one past its retention, one not; plus what must never go."""
    outbox = [
        ("published 8 days ago", ago(days=9), ago(days=8)),
        ("published 2 days ago", ago(days=2), ago(days=2)),
        ("published 10 minutes ago", ago(minutes=11), ago(minutes=10)),
        ("never published", ago(days=30), None),
    ]
    mail = [
        ("sent 31 days ago", ago(days=31), None),
        ("failed 31 days ago", None, ago(days=31)),
        ("sent yesterday", ago(days=1), None),
        ("queued 40 days ago, not sent", None, None),
    ]
    with engine.begin() as connection:
        for name, created, published in outbox:
            body = envelope()
            connection.execute(sa.insert(TABLES.outbox).values(
                event_id=body["event_id"], event_type=name, envelope=body, created_at=created,
                published_at=published, attempts=1 if published else 0))
        for name, processed in (("old", ago(days=31)), ("young", ago(days=29))):
            connection.execute(sa.insert(TABLES.processed_events).values(
                event_id=name, event_type=PROFILE_UPDATED, handler="on_profile_updated",
                processed_at=processed))
        for name, created in (("old", ago(hours=25)), ("young", ago(hours=23))):
            connection.execute(sa.insert(TABLES.idempotency_records).values(
                caller="acc-1", method="SubmitApplication", key=name, request_hash="0" * 64,
                response=b"x", created_at=created))
        for name, sent, failed in mail:
            connection.execute(sa.insert(TABLES.outgoing_mail).values(
                recipient="calon@example.com", subject=name, body=None, created_at=ago(days=40),
                sent_at=sent, failed_at=failed, attempts=1, next_attempt_at=ago(days=40)))


def table_rows(engine, table, column):
    with engine.connect() as connection:
        return {getattr(row, column): row for row in connection.execute(sa.select(table))}


def test_old_rows_go_young_rows_stay_and_published_payloads_are_erased(engine):
    fill(engine)
    retention = Retention("registration", session_factory(engine), TABLES, SETTINGS)
    removed = retention.run_once(NOW)
    assert removed == {"outbox": 1, "outbox_payloads": 1, "processed_events": 1,
                       "idempotency_records": 1, "outgoing_mail": 2}

    outbox = table_rows(engine, TABLES.outbox, "event_type")
    assert set(outbox) == {"published 2 days ago", "published 10 minutes ago",
                           "never published"}
    erased = outbox["published 2 days ago"].envelope
    assert erased["payload"] == {} and erased["payload_erased_at"]
    assert {key: erased[key] for key in ("event_id", "type", "producer", "correlation_id")}
    text = json.dumps(erased)
    assert PROFILE.nik not in text and PROFILE.phone not in text and "Tlanakan" not in text
    # Within the grace after publication, and not yet published: the payload is whole.
    for kept in ("published 10 minutes ago", "never published"):
        assert outbox[kept].envelope["payload"]["profile"]["nik"] == PROFILE.nik
    assert set(table_rows(engine, TABLES.processed_events, "event_id")) == {"young"}
    assert set(table_rows(engine, TABLES.idempotency_records, "key")) == {"young"}
    assert set(table_rows(engine, TABLES.outgoing_mail, "subject")) == {
        "sent yesterday", "queued 40 days ago, not sent"}

    assert retention.run_once(NOW) == dict.fromkeys(removed, 0)  # nothing left to remove


def test_a_run_removes_one_batch_and_the_next_follows_at_once(engine):
    with engine.begin() as connection:
        for n in range(5):
            connection.execute(sa.insert(TABLES.processed_events).values(
                event_id=f"e{n}", event_type=PROFILE_UPDATED, handler="h",
                processed_at=ago(days=40)))
    before = REGISTRY.get_sample_value("relay_retention_removed_total", {
        "service": "selection", "kind": "processed_events"}) or 0.0
    retention = Retention("selection", session_factory(engine), TABLES,
                          replace(SETTINGS, batch=2, interval_seconds=600))
    assert retention.step(100.0) == 2
    assert retention.next_run == 100.0  # a full batch: more may be waiting
    assert retention.step(100.0) == 2
    assert retention.step(100.0) == 1
    assert retention.next_run == 700.0  # done: the next run after the interval
    assert retention.step(200.0) == 0
    assert REGISTRY.get_sample_value("relay_retention_removed_total", {
        "service": "selection", "kind": "processed_events"}) - before == 5


def test_the_relay_loop_runs_retention(engine, monkeypatch, own_vhost):
    fill(engine)
    monkeypatch.setenv("RETENTION_INTERVAL_SECONDS", "600")
    monkeypatch.delenv("SMTP_HOST", raising=False)
    url = engine.url.render_as_string(hide_password=False)
    relay = OutboxRelay("registration", database_url=url, amqp_uri=own_vhost)
    loop = threading.Thread(target=relay.run)
    loop.start()
    try:
        wait_until(lambda: set(table_rows(engine, TABLES.processed_events, "event_id"))
                   == {"young"}, timeout=30, message="the relay's retention run")
    finally:
        relay.stopping.set()
        loop.join(timeout=30)
        relay.engine.dispose()
    assert set(table_rows(engine, TABLES.outgoing_mail, "subject")) == {
        "sent yesterday", "queued 40 days ago, not sent"}


def test_two_runs_at_once_on_postgres_one_works_the_other_skips(postgres_url):
    engine = create_engine(postgres_url)
    metadata = TABLES.outbox.metadata
    metadata.drop_all(engine)
    metadata.create_all(engine)
    assert is_postgres(engine)
    fill(engine)
    first = Retention("registration", session_factory(create_engine(postgres_url)), TABLES,
                      SETTINGS)
    second = Retention("registration", session_factory(create_engine(postgres_url)), TABLES,
                       SETTINGS)
    skipped_before = REGISTRY.get_sample_value("relay_retention_runs_total", {
        "service": "registration", "result": "skipped"}) or 0.0
    results = {}

    def run(name, retention):
        results[name] = retention.run_once(NOW)

    # A row the first run must delete is held by another transaction: the first run waits
    # on it inside its own transaction, holding the retention lock, while the second starts.
    blocker = sa.create_engine(normalise_url(postgres_url)).connect()
    holder = blocker.begin()
    blocker.execute(sa.select(TABLES.outbox.c.id).where(
        TABLES.outbox.c.event_type == "published 8 days ago").with_for_update())
    admin = sa.create_engine(normalise_url(postgres_url))
    try:
        working = threading.Thread(target=run, args=("first", first))
        working.start()
        def waiting_on_the_row() -> int:
            # A transaction of its own each time: pg_stat_activity is a snapshot within one,
            # so polling inside one transaction never sees the wait begin.
            with admin.connect() as connection:
                return connection.execute(sa.text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'")).scalar()

        wait_until(waiting_on_the_row, timeout=30, message="the first run waiting on the held row")
        started = time.monotonic()
        other = threading.Thread(target=run, args=("second", second))
        other.start()
        other.join(timeout=5)
        assert not other.is_alive(), "the second run waited for the first instead of skipping"
        assert results["second"] is None
        assert time.monotonic() - started < 5
        assert "first" not in results  # still waiting on the held row
    finally:
        holder.rollback()
        blocker.close()
        working.join(timeout=30)
        admin.dispose()
    assert results["first"]["outbox"] == 1 and results["first"]["processed_events"] == 1
    assert REGISTRY.get_sample_value("relay_retention_runs_total", {
        "service": "registration", "result": "skipped"}) - skipped_before == 1
    for retention in (first, second):
        retention.sessions.kw["bind"].dispose()
    engine.dispose()
