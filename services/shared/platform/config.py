"""Settings, read from the environment once per process.

Every setting has an embedded default so that `make up` runs with no configuration at all:
SQLite files, mail as .eml files and uploads under ``var/``. README lists every variable.
"""
from __future__ import annotations

import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]

# The one list of the services: each is ``services/<name>/`` with ``entrypoints.<Name>Service``,
# its own database, migrations and outbox relay, and this default gRPC port (BPS_PORT_OFFSET
# is added to every port, so tests run a second system beside a developer's).
DEFAULT_GRPC_PORTS = {"registration": 50051, "selection": 50052, "assessment": 50053,
                      "pembinaan": 50054}
SERVICES: tuple[str, ...] = tuple(DEFAULT_GRPC_PORTS)


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def var_dir() -> Path:
    return Path(_env("BPS_VAR_DIR", str(REPO_ROOT / "var")))


def port_offset() -> int:
    return int(_env("BPS_PORT_OFFSET", "0"))


def amqp_uri() -> str:
    return _env("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")


def database_url(service: str) -> str:
    default = f"sqlite:///{var_dir() / (service + '.db')}"
    return _env(f"{service.upper()}_DATABASE_URL", default)


def grpc_port(service: str) -> int:
    return int(_env(f"{service.upper()}_GRPC_PORT",
                    str(DEFAULT_GRPC_PORTS[service] + port_offset())))


def grpc_target(service: str) -> str:
    """Where the gateway (or another service) reaches ``service`` over gRPC."""
    return _env(f"{service.upper()}_GRPC_TARGET", f"http://127.0.0.1:{grpc_port(service)}")


def gateway_port() -> int:
    return int(_env("GATEWAY_PORT", str(8000 + port_offset())))


# Test day's hot path (issue 8): the candidate's attempt calls on grpcio, served by
# assessment's attempt server, behind the attempt gateway (routes under /api/v1/attempts/).
def attempt_server_port() -> int:
    """ATTEMPT_SERVER_GRPC_PORT: where assessment's attempt server listens."""
    return int(_env("ATTEMPT_SERVER_GRPC_PORT", str(50055 + port_offset())))


def attempt_server_target() -> str:
    """ATTEMPT_SERVER_GRPC_TARGET: where the attempt gateway reaches the attempt server."""
    return _env("ATTEMPT_SERVER_GRPC_TARGET", f"http://127.0.0.1:{attempt_server_port()}")


def attempt_server_threads() -> int:
    """ATTEMPT_SERVER_THREADS: calls the attempt server runs at once (more wait for a thread,
    within their deadline). Each holds a database connection while it runs, so at most
    MAX_WORKERS - 1 (the pool holds MAX_WORKERS; one is left for the heartbeat)."""
    return max(1, min(int(_env("ATTEMPT_SERVER_THREADS", "24")), max_workers() - 1))


def attempt_gateway_port() -> int:
    """ATTEMPT_GATEWAY_PORT: where the attempt gateway answers HTTP."""
    return int(_env("ATTEMPT_GATEWAY_PORT", str(8001 + port_offset())))


@dataclass(frozen=True)
class AttemptGateway:
    processes: int
    threads: int


def attempt_gateway() -> AttemptGateway:
    """ATTEMPT_GATEWAY_PROCESSES (1) and ATTEMPT_GATEWAY_THREADS (32): the attempt gateway's
    worker processes and the requests each runs at once (granian holds the others)."""
    return AttemptGateway(int(_env("ATTEMPT_GATEWAY_PROCESSES", "1")),
                          int(_env("ATTEMPT_GATEWAY_THREADS", "32")))


def upload_max_bytes() -> int:
    return int(_env("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))


def jwt_secret() -> str:
    """JWT_SECRET; in development (BPS_ENV) without it, a random secret kept under var/ so
    that all local processes share it. Elsewhere a missing JWT_SECRET is SettingMissing:
    each replica would sign with a secret of its own."""
    configured = _env("JWT_SECRET")
    if configured:
        return configured
    if environment() != DEVELOPMENT:
        raise SettingMissing(
            f"JWT_SECRET is required when BPS_ENV is {environment()!r}: set the same secret "
            f"in every service and the gateway (only BPS_ENV={DEVELOPMENT} makes one under "
            f"{var_dir()}/secrets).")
    path = var_dir() / "secrets" / "jwt_secret"
    if not path.exists():
        _create_once(path, secrets.token_urlsafe(48))
    secret = path.read_text().strip()
    if not secret:
        raise SettingMissing(f"{path} is empty: delete it to have a new secret made.")
    return secret


def jwt_ttl_seconds() -> int:
    return int(_env("JWT_TTL_SECONDS", "3600"))


@dataclass(frozen=True)
class MailSettings:
    smtp_host: str | None
    smtp_port: int
    sender: str
    maildir: Path


def mail_settings() -> MailSettings:
    return MailSettings(
        smtp_host=_env("SMTP_HOST"),
        smtp_port=int(_env("SMTP_PORT", "25")),
        sender=_env("MAIL_FROM", "SOBAT BPS <no-reply@sobat.bps.go.id>"),
        maildir=Path(_env("MAIL_DIR", str(var_dir() / "mail"))),
    )


def public_base_url() -> str:
    """Used in e-mails (activation link)."""
    return _env("PUBLIC_BASE_URL", f"http://127.0.0.1:{gateway_port()}")


def event_retry_delays_ms() -> list[int]:
    """Back-off before each redelivery of an event whose handler failed; then the DLQ."""
    raw = _env("EVENT_RETRY_DELAYS_MS", "1000,5000,30000,120000,600000")
    return [int(part) for part in raw.split(",") if part.strip()]


def outbox_poll_seconds() -> float:
    """How often an idle relay looks for new events (an event waits half of it on average)."""
    return float(_env("OUTBOX_POLL_SECONDS", "0.02"))


def relay_idle_seconds() -> float:
    """On PostgreSQL an idle relay is woken by a notification of each new outbox or mail row;
    it also looks this often anyway (a retry that came due, a notification lost)."""
    return float(_env("RELAY_IDLE_SECONDS", "1"))


def mail_poll_seconds() -> float:
    """How often an idle relay looks for new mail; mail is not in a hurry by milliseconds."""
    return float(_env("MAIL_POLL_SECONDS", "0.1"))


def grpc_bind_host() -> str:
    return _env("GRPC_BIND_HOST", "127.0.0.1")


def gateway_bind_host() -> str:
    return _env("GATEWAY_BIND_HOST", "127.0.0.1")


def grpc_select_timeout() -> float:
    return float(_env("GRPC_SELECT_TIMEOUT", "0.002"))


@dataclass(frozen=True)
class MailDeliverySettings:
    max_attempts: int  # tries of one mail answered 4xx (or cut off) before it is parked as failed
    retry_base_seconds: float  # back-off after its first 4xx, doubled after each further one
    retry_max_seconds: float  # the longest back-off between two tries
    claim_seconds: float  # how long a relay holds the rows it took (its lease)


def mail_delivery_settings() -> MailDeliverySettings:
    """How the relay retries mail (services/shared/ops/relay_mail.py)."""
    return MailDeliverySettings(
        max_attempts=int(_env("MAIL_MAX_ATTEMPTS", "10")),
        retry_base_seconds=float(_env("MAIL_RETRY_BASE_SECONDS", "30")),
        retry_max_seconds=float(_env("MAIL_RETRY_MAX_SECONDS", "3600")),
        claim_seconds=float(_env("MAIL_CLAIM_SECONDS", "15")),
    )


@dataclass(frozen=True)
class RetentionSettings:
    interval_seconds: float  # 0: no retention run
    outbox_days: float  # published outbox rows
    event_payload_hours: float  # published envelopes keep their payload this long
    processed_events_days: float
    idempotency_hours: float  # the idempotency records' TTL
    mail_days: float  # sent or failed mail
    batch: int  # rows of each kind per run


def retention_settings() -> RetentionSettings:
    """What the relay's retention job removes, and when (services/shared/ops/retention.py)."""
    return RetentionSettings(
        interval_seconds=float(_env("RETENTION_INTERVAL_SECONDS", "600")),
        outbox_days=float(_env("RETENTION_OUTBOX_DAYS", "7")),
        event_payload_hours=float(_env("RETENTION_EVENT_PAYLOAD_HOURS", "1")),
        processed_events_days=float(_env("RETENTION_PROCESSED_EVENTS_DAYS", "30")),
        idempotency_hours=float(_env("IDEMPOTENCY_TTL_HOURS", "24")),
        mail_days=float(_env("RETENTION_MAIL_DAYS", "30")),
        batch=int(_env("RETENTION_BATCH", "1000")),
    )


def relay_metrics_port(service: str) -> int:
    """RELAY_METRICS_PORT + the service's place in SERVICES; 0 (the default): no endpoint."""
    base = int(_env("RELAY_METRICS_PORT", "0"))
    return base + SERVICES.index(service) if base else 0


def service_metrics_port(service: str) -> int:
    """SERVICE_METRICS_PORT + the service's place in SERVICES: where its process serves
    /metrics (RPCs, events consumed); 0 (the default, a laptop): no endpoint."""
    base = int(_env("SERVICE_METRICS_PORT", "0"))
    return base + SERVICES.index(service) if base else 0


DEVELOPMENT = "development"


class SettingMissing(RuntimeError):
    """A setting this environment requires is not set: the process refuses to start."""


def environment() -> str:
    """BPS_ENV: "development" (the default) allows the local fallbacks, such as a JWT secret
    made under var/; any other value ("production", "staging") requires JWT_SECRET."""
    return _env("BPS_ENV", DEVELOPMENT).strip().lower()


def _create_once(path: Path, content: str) -> None:
    """Write ``path`` unless it exists, atomically: the content goes to a temporary file in
    the same directory, is synced, then hard-linked to ``path`` (which fails if another
    process linked first). A reader sees no file or the whole file, never a partial one; of
    processes racing, the first link wins and all read its content."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mode 0600
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)  # the new name survives a crash too
        finally:
            os.close(directory)
    finally:
        os.unlink(temporary)


def amqp_delivery_limit() -> int:
    """Quorum mode (AMQP_QUORUM_QUEUES): deliveries of one message (a consumer that keeps
    dying on it) before the broker dead-letters it to its DLQ (services/shared/platform/
    messaging.py)."""
    return int(_env("AMQP_DELIVERY_LIMIT", "20"))


def amqp_confirm_timeout_seconds() -> float:
    """How long a publisher waits for the broker's confirm, or for any socket read or write,
    before it takes the message as not sent (a blocked or unreachable broker)."""
    return float(_env("AMQP_CONFIRM_TIMEOUT_SECONDS", "5"))


def amqp_heartbeat_seconds() -> int:
    """AMQP heartbeat of the relay's connection: a broker gone silent is noticed within about
    twice this. 0: none."""
    return int(_env("AMQP_HEARTBEAT_SECONDS", "30"))


def outbox_claim_seconds() -> float:
    """How long an event relay holds the outbox rows it took (its lease): a relay that died
    while publishing them leaves them to another one after this."""
    return float(_env("OUTBOX_CLAIM_SECONDS", "15"))


def outbox_unroutable_retry_seconds() -> float:
    """An event no queue is bound to (the broker returned it) is published again after this."""
    return float(_env("OUTBOX_UNROUTABLE_RETRY_SECONDS", "30"))


def event_outage_wait_seconds() -> float:
    """A handler that could not reach its database or the broker tries the event again after
    this, doubled after each further failure, without spending its retries."""
    return float(_env("EVENT_OUTAGE_WAIT_SECONDS", "1"))


def event_outage_max_wait_seconds() -> float:
    """The longest wait between two tries of an event during an outage."""
    return float(_env("EVENT_OUTAGE_MAX_WAIT_SECONDS", "30"))


# -- Deadlines, worker and connection pools, token clock skew (issue 7: 6, 9, 10, 11, 14) --

def max_workers() -> int:
    """MAX_WORKERS: nameko workers of each service process (gRPC calls and event handlers at
    once); the database pool is sized from it (``database_pool``)."""
    return int(_env("MAX_WORKERS", "50"))


def gateway_max_workers() -> int:
    """GATEWAY_MAX_WORKERS: HTTP requests the gateway handles at once. Above the per-backend
    limit, so one slow service leaves workers to the others."""
    return int(_env("GATEWAY_MAX_WORKERS", "100"))


def gateway_deadline_seconds() -> float:
    """GATEWAY_DEADLINE_SECONDS: how long a route waits for a service; sent as the call's gRPC
    deadline, past which the service rolls back instead of committing."""
    return float(_env("GATEWAY_DEADLINE_SECONDS", "15"))


def gateway_backend_concurrency() -> int:
    """GATEWAY_BACKEND_CONCURRENCY: calls one gateway has in flight to one service; more
    would only queue at the service (its MAX_WORKERS, the default)."""
    return int(_env("GATEWAY_BACKEND_CONCURRENCY", str(max_workers())))


def gateway_backend_wait_seconds() -> float:
    """GATEWAY_BACKEND_WAIT_SECONDS: how long a call waits for one of those slots before it
    is answered 503; no wait while the service's last call failed (timed out, unreachable)."""
    return float(_env("GATEWAY_BACKEND_WAIT_SECONDS", "1"))


def rpc_commit_margin_seconds() -> float:
    """RPC_COMMIT_MARGIN_SECONDS: a service rolls back instead of committing when less than
    this is left of its caller's deadline (the caller may give up while the commit runs)."""
    return float(_env("RPC_COMMIT_MARGIN_SECONDS", "0.5"))


@dataclass(frozen=True)
class GrpcKeepalive:
    interval_seconds: float  # an HTTP/2 PING after this long without a byte from the peer
    timeout_seconds: float  # unanswered this long: the connection is dead (also TCP_USER_TIMEOUT)
    recycle_after_deadlines: int  # a new connection after this many deadline errors in a row


def grpc_keepalive() -> GrpcKeepalive:
    """How the gateway's gRPC clients notice a dead connection (services/gateway/clients.py):
    within interval + timeout (10 s by default), less than the gateway's deadline."""
    return GrpcKeepalive(
        interval_seconds=float(_env("GRPC_KEEPALIVE_SECONDS", "5")),
        timeout_seconds=float(_env("GRPC_KEEPALIVE_TIMEOUT_SECONDS", "5")),
        recycle_after_deadlines=int(_env("GRPC_RECYCLE_AFTER_DEADLINES", "3")),
    )


@dataclass(frozen=True)
class DatabasePool:
    size: int  # connections kept open
    max_overflow: int  # opened above ``size`` under load, closed when returned
    timeout_seconds: float  # a worker waits this long for a connection, then fails


def database_pool() -> DatabasePool:
    """A service's connection pool: room for every worker (size + overflow >= MAX_WORKERS),
    and a wait for a connection shorter than the gateway's deadline. Settings that break
    either relation are refused at start. By default the pool keeps a connection per worker
    (opened as needed): an overflow connection is closed when returned, and under load
    opening one per call halved the throughput of 50 calls at once (10 + 40 against 50 + 0)."""
    size = int(_env("DATABASE_POOL_SIZE", str(max_workers())))
    overflow = int(_env("DATABASE_MAX_OVERFLOW", str(max(0, max_workers() - size))))
    pool = DatabasePool(size, overflow,
                        float(_env("DATABASE_POOL_TIMEOUT_SECONDS", "5")))
    if pool.size + pool.max_overflow < max_workers():
        raise ValueError(f"DATABASE_POOL_SIZE + DATABASE_MAX_OVERFLOW ({pool.size} + "
                         f"{pool.max_overflow}) must be at least MAX_WORKERS ({max_workers()})")
    if pool.timeout_seconds >= gateway_deadline_seconds():
        raise ValueError(f"DATABASE_POOL_TIMEOUT_SECONDS ({pool.timeout_seconds}) must be "
                         f"shorter than GATEWAY_DEADLINE_SECONDS ({gateway_deadline_seconds()})")
    return pool


def jwt_leeway_seconds() -> float:
    """JWT_LEEWAY_SECONDS: clock skew between pods tolerated on a token's exp, iat and nbf."""
    return float(_env("JWT_LEEWAY_SECONDS", "10"))


@dataclass(frozen=True)
class TimekeeperSettings:
    interval_seconds: float  # how often the timekeeper runs (heartbeat, deadlines, no-shows)
    outage_threshold_seconds: float  # a heartbeat older than this means nobody was serving


def timekeeper_settings() -> TimekeeperSettings:
    """TIMEKEEPER_INTERVAL_SECONDS (1) and OUTAGE_THRESHOLD_SECONDS (10): the assessment
    service's clock. An attempt is closed at most about one interval after its deadline; a gap
    in the heartbeat longer than the threshold is credited to the attempts open during it.
    The threshold must leave room for several missed beats, else a slow moment under load
    would count as an outage."""
    settings = TimekeeperSettings(float(_env("TIMEKEEPER_INTERVAL_SECONDS", "1")),
                                  float(_env("OUTAGE_THRESHOLD_SECONDS", "10")))
    if not 0 < settings.interval_seconds * 3 <= settings.outage_threshold_seconds:
        raise ValueError("OUTAGE_THRESHOLD_SECONDS must be at least 3 x "
                         "TIMEKEEPER_INTERVAL_SECONDS (and both positive)")
    return settings


# -- accounts and auth (issue 11) --------------------------------------------------------

def service_token_ttl_days() -> int:
    """SERVICE_TOKEN_TTL_DAYS (365): lifetime of a service token; also the longest lifetime
    a token of role ``service`` may carry."""
    return int(_env("SERVICE_TOKEN_TTL_DAYS", "365"))


def token_state_cache_seconds() -> float:
    """TOKEN_STATE_CACHE_SECONDS (5): how long a service trusts what it last learned of an
    account's status, role and token version; a revoked token works at most this long."""
    return float(_env("TOKEN_STATE_CACHE_SECONDS", "5"))


def token_state_max_stale_seconds() -> float:
    """TOKEN_STATE_MAX_STALE_SECONDS (300): while registration cannot be asked, a service
    keeps using what it learned up to this old; beyond it the call is answered 503."""
    return float(_env("TOKEN_STATE_MAX_STALE_SECONDS", "300"))


def redis_url() -> str | None:
    """REDIS_URL (unset): the rate limits' store, shared by every gateway replica; unset, each
    gateway process counts on its own (the zero-config run)."""
    return _env("REDIS_URL")


def rate_limit_exempt_addresses() -> frozenset[str]:
    """RATE_LIMIT_EXEMPT_ADDRESSES (``127.0.0.1,::1``): client addresses the gateway's
    per-address limits do not count (a local reverse proxy, the tests' clients); the
    per-account limits still apply to them. ``none`` exempts nobody."""
    value = _env("RATE_LIMIT_EXEMPT_ADDRESSES", "127.0.0.1,::1")
    if value.strip().lower() == "none":
        return frozenset()
    return frozenset(part.strip() for part in value.split(",") if part.strip())


def trusted_proxies() -> tuple[str, ...]:
    """TRUSTED_PROXIES (unset): addresses or networks (``10.0.0.0/8``) of the reverse proxies
    in front of the gateway (the ingress controller). A request whose socket peer is one of
    them is taken to come from the nearest address in its ``X-Forwarded-For`` that is not:
    the address the per-address limits count and the answer log records. Unset, the header
    is ignored (anyone could write it)."""
    return tuple(part.strip() for part in _env("TRUSTED_PROXIES", "").split(",")
                 if part.strip())


@dataclass(frozen=True)
class HttpLimits:
    """How long the gateway's HTTP server waits for a client, and how many connections one
    address may hold (slow or lying clients: security review, finding 7)."""
    header_timeout_seconds: float  # the request line and headers, in all
    body_timeout_seconds: float  # the whole body
    idle_timeout_seconds: float  # any one read or write; also an idle keep-alive connection
    max_connections_per_address: int  # 0 = no cap (e.g. behind a proxy that caps already)


def http_limits() -> HttpLimits:
    return HttpLimits(
        header_timeout_seconds=float(_env("HTTP_HEADER_TIMEOUT_SECONDS", "10")),
        body_timeout_seconds=float(_env("HTTP_BODY_TIMEOUT_SECONDS", "120")),
        idle_timeout_seconds=float(_env("HTTP_IDLE_TIMEOUT_SECONDS", "15")),
        max_connections_per_address=int(_env("HTTP_MAX_CONNECTIONS_PER_ADDRESS", "64")))


# -- document storage (issue 12: documents in S3-compatible object storage) ----------------

LOCAL_STORAGE, S3_STORAGE = "local", "s3"


def storage_backend() -> str:
    """STORAGE_BACKEND: ``local`` (the default: a directory, UPLOADS_DIR) or ``s3`` (an
    S3-compatible object store, ``object_store_settings``): what every replica of a service
    must share, so several replicas need ``s3``."""
    backend = _env("STORAGE_BACKEND", LOCAL_STORAGE).strip().lower()
    if backend not in (LOCAL_STORAGE, S3_STORAGE):
        raise ValueError(f"STORAGE_BACKEND must be {LOCAL_STORAGE!r} or {S3_STORAGE!r}, "
                         f"not {backend!r}")
    return backend


@dataclass(frozen=True)
class ObjectStoreSettings:
    bucket: str
    endpoint_url: str | None  # None: AWS S3 itself
    region: str
    access_key_id: str | None  # both None: boto3's own chain (AWS_* variables, a pod role)
    secret_access_key: str | None


def object_store_settings() -> ObjectStoreSettings:
    """S3_BUCKET (required), S3_ENDPOINT_URL (unset: AWS), S3_REGION (``us-east-1``),
    S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (both or neither)."""
    bucket = _env("S3_BUCKET")
    if not bucket:
        raise SettingMissing("S3_BUCKET is required when STORAGE_BACKEND is 's3'")
    key_id, secret = _env("S3_ACCESS_KEY_ID"), _env("S3_SECRET_ACCESS_KEY")
    if (key_id is None) != (secret is None):
        raise SettingMissing("S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set "
                             "both, or neither to use boto3's own credentials")
    return ObjectStoreSettings(bucket=bucket, endpoint_url=_env("S3_ENDPOINT_URL"),
                               region=_env("S3_REGION", "us-east-1"), access_key_id=key_id,
                               secret_access_key=secret)
