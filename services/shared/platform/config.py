"""Settings, read from the environment once per process.

Every setting has an embedded default so that `make up` runs with no configuration at all:
SQLite files, mail as .eml files and uploads under ``var/``. README lists every variable.
"""
from __future__ import annotations

import os
import secrets
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


def upload_max_bytes() -> int:
    return int(_env("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))


def jwt_secret() -> str:
    """JWT_SECRET, or a random secret kept under var/ so that all local processes share it."""
    configured = _env("JWT_SECRET")
    if configured:
        return configured
    path = var_dir() / "secrets" / "jwt_secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        candidate = secrets.token_urlsafe(48)
        try:
            # O_EXCL: two processes starting at once agree on the first secret written.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(candidate)
        except FileExistsError:
            pass
    return path.read_text().strip()


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
    return float(_env("OUTBOX_POLL_SECONDS", "0.05"))


def grpc_bind_host() -> str:
    return _env("GRPC_BIND_HOST", "127.0.0.1")


def gateway_bind_host() -> str:
    return _env("GATEWAY_BIND_HOST", "127.0.0.1")


def grpc_select_timeout() -> float:
    return float(_env("GRPC_SELECT_TIMEOUT", "0.002"))
