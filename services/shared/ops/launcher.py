"""Start and stop the whole system as background processes: what `make up` / `make down` run,
and what the end-to-end tests start (with their own ports, databases and var directory).

``python -m services.shared.ops.launcher up``   migrations, every service, the relays, the gateway;
                                            waits for GET /readyz "ready", prints the URL.
``python -m services.shared.ops.launcher down`` stops exactly the processes ``up`` recorded.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from services.shared.platform import config

PYTHON = sys.executable
# What the system writes under var/ (SQLite databases, logs, mails, uploads, secrets) holds
# personal data: every process it starts creates files 0600 and directories 0700.
UMASK = 0o077


@dataclass(frozen=True)
class Process:
    name: str
    args: tuple[str, ...]


# Every service, the outbox relay of each, assessment's attempt server, then the gateways
# (started last, stopped first): the nameko gateway, and the attempt gateway for test day's
# hot routes (/api/v1/attempts/, on ATTEMPT_GATEWAY_PORT; the nameko gateway answers them too).
GATEWAYS = ("gateway", "attempt-gateway")
PROCESSES = (
    *(Process(name, ("-m", "services.shared.ops.runner", name)) for name in config.SERVICES),
    *(Process(f"relay-{name}", ("-m", "services.shared.ops.relay", name))
      for name in config.SERVICES),
    Process("attempt-server", ("-m", "services.assessment.attempt_server")),
    Process("gateway", ("-m", "services.shared.ops.runner", "gateway")),
    Process("attempt-gateway", ("-m", "services.gateway.attempt_gateway")),
)


class System:
    """The processes of one running system, recorded as pid files under ``<var>/run``."""

    def __init__(self, env: dict | None = None):
        self.env = dict(os.environ if env is None else env)
        self.var = Path(self.env.get("BPS_VAR_DIR") or config.REPO_ROOT / "var")
        self.env["BPS_VAR_DIR"] = str(self.var)
        self.env["PYTHONPATH"] = os.pathsep.join(
            [str(config.REPO_ROOT), str(config.REPO_ROOT / "gen"),
             self.env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        self.env.setdefault("PYTHONUNBUFFERED", "1")
        # eventlet announces its own deprecation at every import; not news to an operator.
        self.env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning")
        self.run_dir = self.var / "run"
        self.log_dir = self.var / "log"

    def _local_url(self, port_setting: str, default_port: int) -> str:
        offset = int(self.env.get("BPS_PORT_OFFSET") or 0)
        return f"http://127.0.0.1:{int(self.env.get(port_setting) or default_port + offset)}"

    @property
    def gateway_url(self) -> str:
        return self._local_url("GATEWAY_PORT", 8000)

    def migrate(self) -> None:
        self._private_dirs()
        subprocess.run([PYTHON, "-m", "services.shared.ops.migrate"], env=self.env, check=True,
                       cwd=config.REPO_ROOT, umask=UMASK)

    def _private_dirs(self) -> None:
        for directory in (self.var, self.run_dir, self.log_dir):
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            directory.chmod(0o700)  # made world-readable before this rule: no longer

    def _pid_file(self, name: str) -> Path:
        return self.run_dir / f"{name}.pid"

    def pid(self, name: str) -> int | None:
        try:
            pid = int(self._pid_file(name).read_text())
        except (FileNotFoundError, ValueError):
            return None
        return pid if _is_ours(pid) else None

    def start(self, name: str) -> int:
        process = next(p for p in PROCESSES if p.name == name)
        if self.pid(name):
            return self.pid(name)
        self._private_dirs()
        with _private_open(self.log_dir / f"{name}.log", os.O_APPEND) as log:
            child = subprocess.Popen([PYTHON, *process.args], env=self.env, stdout=log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     cwd=config.REPO_ROOT, start_new_session=True,
                                     umask=UMASK)
        with _private_open(self._pid_file(name), os.O_TRUNC) as pid_file:
            pid_file.write(str(child.pid).encode())
        return child.pid

    def stop(self, *names: str, timeout: float = 10.0) -> None:
        """SIGTERM to each, then wait for all together; SIGKILL what outlives ``timeout``."""
        pids = [pid for pid in map(self.pid, names) if pid]
        for pid in pids:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + timeout
        while any(map(_alive, pids)) and time.monotonic() < deadline:
            time.sleep(0.05)
        for pid in filter(_alive, pids):
            os.kill(pid, signal.SIGKILL)
            while _alive(pid):
                time.sleep(0.05)
        for name in names:
            self._pid_file(name).unlink(missing_ok=True)

    def up(self, timeout: float = 120.0) -> str:
        self.migrate()
        for process in PROCESSES:
            self.start(process.name)
        self.wait_ready(timeout)
        return self.gateway_url

    @property
    def attempt_gateway_url(self) -> str:
        return self._local_url("ATTEMPT_GATEWAY_PORT", 8001)

    def down(self) -> None:
        self.stop(*GATEWAYS)  # no new requests first
        self.stop(*(p.name for p in PROCESSES if p.name not in GATEWAYS))

    def ready(self) -> bool:
        """Every part answers (``/readyz`` is 200 while only degraded too)."""
        return all(map(_ready, (self.gateway_url, self.attempt_gateway_url)))

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.ready():
                return
            dead = [p.name for p in PROCESSES if self._pid_file(p.name).exists()
                    and not self.pid(p.name)]
            if dead:
                raise RuntimeError(f"{', '.join(dead)} exited; see {self.log_dir}"
                                   + "".join(self._log_tail(name) for name in dead))
            time.sleep(0.2)
        raise TimeoutError(f"{self.gateway_url}/readyz did not answer 'ready'; see {self.log_dir}")

    def _log_tail(self, name: str, lines: int = 15) -> str:
        """The end of a process's log, for the error that says it died (a CI run keeps no
        temporary directories to look into afterwards)."""
        try:
            text = (self.log_dir / f"{name}.log").read_text(errors="replace")
        except OSError:
            return ""
        return f"\n--- {name}.log (last lines) ---\n" + "\n".join(text.splitlines()[-lines:])


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/readyz", timeout=3) as response:
            return json.load(response).get("status") == "ready"
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _private_open(path: Path, flags: int):
    """``path`` opened for writing (binary), created 0600, and made 0600 if it was not."""
    handle = os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | flags, 0o600), "wb")
    os.fchmod(handle.fileno(), 0o600)
    return handle


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie child of ours counts as gone
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return True


def _is_ours(pid: int) -> bool:
    """The pid is alive and still runs one of our modules (pids get reused)."""
    if not _alive(pid):
        return False
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return b"services." in cmdline.read()
    except FileNotFoundError:
        return False


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=("up", "down", "status"))
    args = parser.parse_args(argv)
    system = System()
    if args.command == "up":
        try:
            url = system.up()
        except Exception as error:
            print(f"make up failed: {error}", file=sys.stderr)
            system.down()
            sys.exit(1)
        print(f"The gateway answers at {url} (OpenAPI: {url}/api/v1/openapi.json); test "
              f"day's attempt routes also at {system.attempt_gateway_url}")
    elif args.command == "down":
        system.down()
    else:
        for process in PROCESSES:
            pid = system.pid(process.name)
            print(f"{process.name:20} {'running, pid ' + str(pid) if pid else 'stopped'}")


if __name__ == "__main__":
    main()
