"""Mail goes through the outgoing_mail table: an SMTP outage delays it, never loses it, and
what was delivered before the outage is not sent twice."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from services.shared.ops.relay import OutboxRelay
from services.shared.ops.relay_mail import MailServerUnavailable
from services.shared.platform.database import add_platform_tables, unit_of_work
from services.shared.platform.unit_of_work import SqlMailQueue
from tests.support.infra import MailSink, free_port


def test_an_smtp_outage_delays_mail_and_loses_none(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'mail.db'}"
    metadata = sa.MetaData()
    tables = add_platform_tables(metadata)
    metadata.create_all(sa.create_engine(url))
    port = free_port()  # nothing listens here yet
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(port))
    relay = OutboxRelay("registration", database_url=url)
    with unit_of_work(relay.sessions) as session:
        for n in range(3):
            SqlMailQueue(session, tables).queue(f"calon{n}@example.com",
                                                "Aktivasi akun SOBAT BPS",
                                                f"Token aktivasi: token-{n}")

    with pytest.raises(MailServerUnavailable):
        relay.mail.deliver_batch()

    def rows():
        with relay.engine.connect() as connection:
            return connection.execute(sa.select(
                tables.outgoing_mail.c.recipient, tables.outgoing_mail.c.sent_at,
                tables.outgoing_mail.c.body, tables.outgoing_mail.c.attempts).order_by(
                tables.outgoing_mail.c.id)).all()
    assert [(r.sent_at, r.attempts) for r in rows()] == [(None, 1), (None, 0), (None, 0)]

    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert relay.mail.deliver_batch() == 3
    finally:
        controller.stop()
    assert sorted(m["To"] for m in sink.received) == [
        "calon0@example.com", "calon1@example.com", "calon2@example.com"]
    assert "token-0" in sink.received[0].get_content()
    assert all(r.sent_at is not None and r.body is None for r in rows())  # tokens erased
    assert relay.mail.deliver_batch() == 0  # nothing is sent twice
    relay.engine.dispose()

