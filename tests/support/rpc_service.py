"""A minimal service for the tests of the rpc wrapper (services/shared/platform/rpc.py): one
table of things, its unit of work, and the gRPC context a call arrives with."""
from __future__ import annotations

import time
from types import SimpleNamespace

import sqlalchemy as sa
from grpc_health.v1 import health_pb2

from services.shared.platform.database import add_platform_tables
from services.shared.platform.unit_of_work import SqlUnitOfWork

metadata = sa.MetaData()
things = sa.Table("things", metadata, sa.Column("id", sa.Integer, primary_key=True))
TABLES = add_platform_tables(metadata)
SERVING = health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVING)


class UnitOfWork(SqlUnitOfWork):
    producer = "things"
    tables = TABLES


def rpc_context(seconds_left: float | None = None, key: str | None = None):
    """A call's context: its deadline ``seconds_left`` from now (None: none), and its
    Idempotency-Key metadata."""
    deadline = None if seconds_left is None else time.monotonic() + seconds_left
    metadata_ = [("idempotency-key", key)] if key else []
    return SimpleNamespace(request_stream=SimpleNamespace(deadline=deadline),
                           invocation_metadata=lambda: metadata_)
