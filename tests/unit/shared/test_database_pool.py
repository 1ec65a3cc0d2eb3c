"""Issue 7, finding 11: a service's database pool has a connection for every one of its
workers, and a worker gives up waiting for one before the gateway gives up on the call."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from services.shared.platform import config
from services.shared.platform.database import create_engine

URL = "postgresql://user:secret@127.0.0.1:5432/nothing"  # the engine connects only on use
SETTINGS = ("MAX_WORKERS", "GATEWAY_MAX_WORKERS", "GATEWAY_DEADLINE_SECONDS",
            "DATABASE_POOL_SIZE", "DATABASE_MAX_OVERFLOW", "DATABASE_POOL_TIMEOUT_SECONDS")


@pytest.fixture(autouse=True)
def defaults(monkeypatch):
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)


def nameko_settings(service: str) -> dict:
    """The runner's settings for ``service``, in a process of its own: importing the runner
    monkey-patches eventlet into the process."""
    code = ("import json; from services.shared.ops.runner import nameko_settings; "
            f"print(json.dumps(nameko_settings({service!r})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env=dict(os.environ, PYTHONWARNINGS="ignore"))
    return json.loads(done.stdout)


def pool_of(engine) -> tuple[int, int, float]:
    pool = engine.pool
    return pool.size(), pool._max_overflow, pool.timeout()


def test_by_default_every_worker_has_a_connection_and_waits_less_than_the_gateway():
    engine = create_engine(URL)
    size, overflow, timeout = pool_of(engine)
    workers = nameko_settings("registration")["max_workers"]
    assert size + overflow >= workers == config.max_workers()
    # Kept, not overflow: an overflow connection is opened and closed on every call.
    assert (size, overflow) == (workers, 0)
    assert timeout < config.gateway_deadline_seconds()
    engine.dispose()


def test_the_pool_follows_the_settings(monkeypatch):
    monkeypatch.setenv("MAX_WORKERS", "80")
    monkeypatch.setenv("DATABASE_POOL_SIZE", "20")
    monkeypatch.setenv("DATABASE_POOL_TIMEOUT_SECONDS", "3")
    monkeypatch.setenv("GATEWAY_DEADLINE_SECONDS", "10")
    engine = create_engine(URL)
    assert pool_of(engine) == (20, 60, 3)  # the overflow fills up to the workers
    assert nameko_settings("selection")["max_workers"] == 80
    engine.dispose()
    monkeypatch.setenv("DATABASE_MAX_OVERFLOW", "70")
    engine = create_engine(URL)
    assert pool_of(engine) == (20, 70, 3)
    engine.dispose()


@pytest.mark.parametrize("settings", [
    {"MAX_WORKERS": "50", "DATABASE_POOL_SIZE": "10", "DATABASE_MAX_OVERFLOW": "10"},
    {"GATEWAY_DEADLINE_SECONDS": "15", "DATABASE_POOL_TIMEOUT_SECONDS": "30"},
])
def test_settings_that_break_the_relation_refuse_to_start(monkeypatch, settings):
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValueError):
        create_engine(URL)


def test_a_tool_keeps_the_small_pool_it_names():
    engine = create_engine(URL, pool_size=2)
    assert pool_of(engine)[:2] == (2, 2)
    engine.dispose()


def test_the_gateway_has_workers_to_spare_above_any_one_service():
    assert nameko_settings("gateway")["max_workers"] == config.gateway_max_workers()
    assert config.gateway_max_workers() > config.gateway_backend_concurrency()
