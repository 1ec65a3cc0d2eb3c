"""What every service's gRPC side shares: the database dependency, the ``rpc`` wrapper that
turns a thin entrypoint into one checked, transactional, idempotent call, and the standard
gRPC health check.

An entrypoint written as::

    @grpc
    @rpc(roles=("mitra",), idempotent=True)
    def SubmitApplication(self, request, identity, uow): ...

gets: the caller's identity re-checked from the bearer token in the metadata (401/403; a
token whose account changed since, or a deleted service token, is refused: ``token_state``), one
database transaction (commit on success, roll back on any error), the ``idempotency-key``
metadata honoured in that same transaction (a repeat returns the first response), and every
``DomainError`` sent to the gateway as a gRPC status carrying the problem JSON.

It also honours the caller's deadline (the gateway sends one with every call): work whose
caller has given up is not started, a PostgreSQL statement is cancelled when the deadline
comes, and the transaction is rolled back instead of committed when less than
``RPC_COMMIT_MARGIN_SECONDS`` is left. A caller answered "try again" after its deadline thus
never finds the work done anyway.

A pooled database connection is not pinged before each call (services/shared/platform/
database.py): when the server closed it meanwhile (a restart, a failover), the call's first
statement fails, nothing of the transaction was done, and the wrapper runs the transaction
once more on a new connection; a failure after the first statement is never run again.

Each call binds the correlation id of its metadata (``x-correlation-id``, sent by the gateway;
a new one without it) for its log lines and the events it records, and is counted for
Prometheus: ``rpc_requests_total`` and ``rpc_request_duration_seconds`` by service, method and
gRPC status code.
"""
from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
import time
from time import perf_counter  # not through ``time``: tests move that clock on

import eventlet
import sqlalchemy as sa
from google.protobuf import descriptor_pool, message_factory
from grpc import StatusCode
from grpc_health.v1 import health_pb2, health_pb2_grpc
from nameko.extensions import DependencyProvider, register_entrypoint
from nameko_grpc.entrypoint import Grpc, GrpcServer
from nameko_grpc.errors import GrpcError
from nameko_grpc.timeout import unbucket_timeout
from prometheus_client import Counter, Histogram
from sqlalchemy.exc import IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from services.shared.contracts.errors import Conflict, DomainError, NotAuthenticated, NotPermitted
from services.shared.platform import config, correlation, problems, token_state
from services.shared.platform.database import (
    PlatformTables,
    create_engine,
    is_postgres,
    once_more_on_stale_connection,
    session_factory,
    unit_of_work,
    utcnow,
)
from services.shared.platform.identity import Identity, bearer_token, decode_token

log = logging.getLogger(__name__)

IDEMPOTENCY_METADATA = "idempotency-key"
STATEMENT_TIMEOUT_SLACK = 1.0  # seconds; see Deadline.limit_statements

RPC_REQUESTS = Counter("rpc_requests_total", "gRPC calls handled, by service, method and "
                       "status code", ["service", "method", "code"])
RPC_LATENCY = Histogram("rpc_request_duration_seconds", "gRPC call latency in the service, by "
                        "service and method", ["service", "method"],
                        buckets=(.002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10))


class Database(DependencyProvider):
    """Gives an entrypoint its service's engine and session factory (one per container)."""

    def __init__(self, service: str):
        self.service = service

    def setup(self):
        self.engine = create_engine(config.database_url(self.service))
        self.sessions = session_factory(self.engine)

    def stop(self):
        self.engine.dispose()

    def get_dependency(self, worker_ctx):
        return self


def _metadata(context) -> dict:
    # nameko-grpc gives metadata as a list of (name, value); names are lower-case in HTTP/2.
    return {name.lower(): value for name, value in context.invocation_metadata()}


def caller_identity(context) -> Identity | None:
    token = bearer_token(_metadata(context).get("authorization"))
    return decode_token(token) if token else None


def _grpc_error(refusal: DomainError) -> GrpcError:
    return GrpcError(code=problems.status_of(refusal).grpc, message=problems.to_json(refusal))


def _message_class(full_name: str):
    return message_factory.GetMessageClass(
        descriptor_pool.Default().FindMessageTypeByName(full_name))


def _encode_response(response) -> bytes:
    return response.DESCRIPTOR.full_name.encode() + b"\n" + response.SerializeToString()


def _decode_response(blob: bytes):
    name, _, payload = blob.partition(b"\n")
    return _message_class(name.decode()).FromString(payload)


def _request_hash(request) -> str:
    """A keyed hash: a sign-up's request holds the password, and a plain SHA-256 of it kept
    in the database could be guessed at SHA-256 speed instead of argon2's."""
    key = hashlib.sha256(b"idempotency-request:" + config.jwt_secret().encode()).digest()
    return hmac.new(key, request.SerializeToString(deterministic=True),
                    hashlib.sha256).hexdigest()


class Deadline:
    """The caller's deadline, on this process's monotonic clock (``None``: it set none)."""

    def __init__(self, at: float | None):
        self.at = at
        self.margin = config.rpc_commit_margin_seconds()

    @classmethod
    def of(cls, context) -> Deadline:
        return cls(getattr(getattr(context, "request_stream", None), "deadline", None))

    def left(self) -> float | None:
        """Seconds left to finish and commit, or ``None`` without a deadline."""
        return None if self.at is None else self.at - self.margin - time.monotonic()

    @property
    def passed(self) -> bool:
        left = self.left()
        return left is not None and left <= 0

    def check(self, method: str) -> None:
        """Refuse (DEADLINE_EXCEEDED) once the caller has given up, or will have before a
        commit could finish: the transaction around this is rolled back."""
        if self.passed:
            log.warning("%s: the caller's deadline passed; nothing committed", method)
            raise _late()

    def limit_statements(self, session) -> None:
        """PostgreSQL cancels a statement (a lock wait included) when the deadline comes. A
        service's connections already carry the gateway's whole deadline as their statement
        timeout (services/shared/platform/database.py): a call with nearly all of it left (the
        usual case) needs no round trip to set it; a statement then outlives the caller by at
        most STATEMENT_TIMEOUT_SLACK, and the commit check refuses to commit anyway."""
        left = self.left()
        if left is None or left >= config.gateway_deadline_seconds() - STATEMENT_TIMEOUT_SLACK:
            return
        if is_postgres(session.get_bind()):
            session.execute(sa.text("SELECT set_config('statement_timeout', :ms, true)"),
                            {"ms": str(max(1, int(left * 1000)))})


def _late() -> GrpcError:
    return GrpcError(code=StatusCode.DEADLINE_EXCEEDED,
                     message="The caller's deadline passed; nothing was committed.")


def _run_idempotent(sessions, tables: PlatformTables, method: str, caller: str, key: str,
                    request, call, begin=lambda session: None):
    """Run ``call(session)`` at most once per (caller, method, key); ``begin(session)`` first,
    in the same transaction."""
    table = tables.idempotency_records
    where = sa.and_(table.c.caller == caller, table.c.method == method, table.c.key == key)
    request_hash = _request_hash(request)

    def replay(record):
        if record.request_hash != request_hash:
            raise Conflict("This Idempotency-Key was already used for a different request.")
        return _decode_response(record.response)

    try:
        with unit_of_work(sessions) as session:
            begin(session)
            record = session.execute(sa.select(table).where(where)).first()
            if record is not None:
                return replay(record)
            # Claimed first: a concurrent repeat waits on this row's key, then replays.
            session.execute(sa.insert(table).values(
                caller=caller, method=method, key=key, request_hash=request_hash,
                response=b"", created_at=utcnow()))
            session.flush()
            response = call(session)
            session.execute(sa.update(table).where(where).values(
                response=_encode_response(response)))
            return response
    except IntegrityError:
        with unit_of_work(sessions) as session:
            record = session.execute(sa.select(table).where(where)).first()
        if record is None or not record.response:
            raise
        return replay(record)


def rpc(roles: tuple[str, ...] | None = None, public: bool = False, idempotent: bool = False):
    """Wrap a gRPC entrypoint ``fn(self, request, identity, uow)``; see module docstring.

    The service class must have ``db`` (a Database) and ``unit_of_work`` (its SqlUnitOfWork
    subclass): ``uow`` is one over the call's transaction.
    """
    def decorator(fn):
        @functools.wraps(fn)
        def wrapper(self, request, context):
            service = getattr(self, "name", type(self).__name__)
            started, code = perf_counter(), StatusCode.OK.name
            with correlation.bound(correlation.from_metadata(_metadata(context))):
                try:
                    return call(self, request, context)
                except GrpcError as error:
                    code = getattr(error.code, "name", str(error.code))
                    raise
                except BaseException:
                    code = StatusCode.UNKNOWN.name
                    raise
                finally:
                    RPC_LATENCY.labels(service, fn.__name__).observe(perf_counter() - started)
                    RPC_REQUESTS.labels(service, fn.__name__, code).inc()

        def call(self, request, context):
            deadline = Deadline.of(context)
            try:
                deadline.check(fn.__name__)  # waited for a worker past it: do nothing
                identity = caller_identity(context)
                if identity is None and not public:
                    raise NotAuthenticated("Sign in first: no access token was given.")
                if roles is not None and (identity is None or identity.role not in roles):
                    raise NotPermitted("Your role may not do this.")
                if identity is not None:  # still active, same role, not revoked (cached)
                    token_state.for_service(self).check(identity)

                def work(session):
                    deadline.check(fn.__name__)  # e.g. SQLite's write lock took it all
                    result = fn(self, request, identity, self.unit_of_work(session))
                    deadline.check(fn.__name__)  # raising here rolls the transaction back
                    return result

                key = _metadata(context).get(IDEMPOTENCY_METADATA) if idempotent else None

                def transaction():
                    if key:
                        caller = identity.account_id if identity else "anonymous"
                        return _run_idempotent(
                            self.db.sessions, self.unit_of_work.tables, fn.__name__, caller,
                            key[:200], request, work, begin=deadline.limit_statements)
                    with unit_of_work(self.db.sessions) as session:
                        deadline.limit_statements(session)
                        return work(session)
                # A pooled connection the server closed meanwhile (a restart) fails at its
                # first statement: nothing was done, the transaction runs on a new one.
                return once_more_on_stale_connection(transaction)
            except DomainError as refusal:
                log.info("%s refused: %s", fn.__name__, refusal.code())
                raise _grpc_error(refusal) from None
            except GrpcError:
                raise
            except PoolTimeout:
                log.warning("%s: no database connection free in time", fn.__name__)
                raise GrpcError(code=StatusCode.UNAVAILABLE,
                                message="The service is busy; try again.") from None
            except Exception:
                if deadline.passed:  # e.g. the statement PostgreSQL cancelled at the deadline
                    log.warning("%s: the caller's deadline passed; nothing committed",
                                fn.__name__)
                    raise _late() from None
                # The traceback is logged here; the caller only learns that it failed.
                log.exception("%s failed", fn.__name__)
                raise GrpcError(code=StatusCode.INTERNAL, message=json.dumps({
                    "type": "about:blank", "title": "Internal Server Error", "status": 500,
                    "detail": "The service failed to handle this request."})) from None
        return wrapper
    return decorator


class DeadlineGrpcServer(GrpcServer):
    """nameko-grpc's server, stamping each request with its caller's deadline when it arrives
    (``request_stream.deadline``, monotonic): the time it then waits for a free worker counts.
    It also waits for that deadline by sleeping, where nameko-grpc polls every millisecond
    for each call in flight."""

    def handle_request(self, request_stream, response_stream):
        timeout = request_stream.headers.get("grpc-timeout")
        request_stream.deadline = (time.monotonic() + unbucket_timeout(timeout)
                                   if timeout else None)
        super().handle_request(request_stream, response_stream)

    def timeout(self, request_stream, response_stream, deadline):
        end = time.monotonic() + deadline
        while not (request_stream.closed and response_stream.closed):
            left = end - time.monotonic()
            if left <= 0:
                request_stream.close()
                response_stream.close(GrpcError(code=StatusCode.DEADLINE_EXCEEDED,
                                                message="Deadline Exceeded"))
                return
            eventlet.sleep(min(left, 0.05))


class DeadlineGrpc(Grpc):
    grpc_server = DeadlineGrpcServer()


def grpc_entrypoint(stub):
    """``@grpc_entrypoint(Stub)``-made decorator for a service's gRPC methods. A refusal the
    ``rpc`` wrapper turned into a GrpcError is expected: nameko then logs no traceback (the
    wrapper itself logs real failures with theirs). Every method of a service must come from
    here: the deadline-stamping server replaces nameko-grpc's own (one per port)."""
    def decorate(fn):
        register_entrypoint(fn, DeadlineGrpc(stub, expected_exceptions=(GrpcError,)))
        return fn
    return decorate


health = grpc_entrypoint(health_pb2_grpc.HealthStub)


class HealthCheck:
    """grpc.health.v1.Health/Check for probes and the gateway's /readyz: SERVING while the
    service's database answers."""

    @health
    def Check(self, request, context):
        def probe():
            with unit_of_work(self.db.sessions) as session:
                session.execute(sa.text("SELECT 1"))
        try:
            once_more_on_stale_connection(probe)
        except Exception:
            log.warning("health check: database unreachable")
            return health_pb2.HealthCheckResponse(
                status=health_pb2.HealthCheckResponse.NOT_SERVING)
        return health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVING)
