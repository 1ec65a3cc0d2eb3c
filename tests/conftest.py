"""Fixtures on real infrastructure (see tests/support/infra.py). One system per test process:
starting it costs a couple of seconds, so the system tests share it and make their own
accounts and activities."""
from __future__ import annotations

import pytest

from services.shared.platform.config import SERVICES
from tests.support import infra


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "e2e" in item.path.parts:
            item.add_marker(pytest.mark.system)


@pytest.fixture(scope="session")
def database_urls():
    with infra.postgres_databases(list(SERVICES)) as urls:
        yield urls


@pytest.fixture(scope="session")
def amqp_uri():
    with infra.rabbitmq_vhost() as uri:
        yield uri


@pytest.fixture
def own_vhost():
    """A vhost for a test that must not share the session system's queues (a second system,
    or fake events the session's selection would otherwise consume too)."""
    with infra.rabbitmq_vhost() as uri:
        yield uri


@pytest.fixture(scope="session")
def smtp():
    with infra.smtp_server() as (controller, sink):
        yield controller, sink


@pytest.fixture(scope="session")
def mail_sink(smtp):
    return smtp[1]


@pytest.fixture(scope="session")
def system(tmp_path_factory, database_urls, amqp_uri, smtp):
    controller, _ = smtp
    with infra.running_system(tmp_path_factory.mktemp("system"), database_urls, amqp_uri,
                              controller.port) as running:
        yield running


@pytest.fixture(scope="session")
def base_url(system):
    return system.gateway_url
