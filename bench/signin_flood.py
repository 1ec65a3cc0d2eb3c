"""Other routes under a sign-in flood (issue 11, finding 1): their p99 with and without a flood
of wrong passwords from many addresses, measured side by side in one run.

It starts a system of its own (the launcher `make up` uses, SQLite under a temporary
BPS_VAR_DIR, free ports, a superadmin), then:

1. quiet: ``--readers`` threads read ``GET /api/v1/activities`` and ``GET /api/v1/me`` for
   ``--seconds``; p50/p99 per route;
2. flood: the same readers again while ``--flooders`` threads send ``POST /api/v1/auth/token``
   with wrong passwords, each request from another loopback source address (127.0.0.2 ...
   127.0.0.254, so the per-address limits see many clients) and for one of ``--accounts``
   addresses; p50/p99 of the readers and the flood's answers by status.

Prints the figures and the p99 ratio flood/quiet per route; ``--json FILE`` writes them.
Run: ``.venv/bin/python bench/signin_flood.py --seconds 20``.
"""
from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "gen"))

from services.shared.ops.launcher import System  # noqa: E402
from services.shared.platform.config import SERVICES  # noqa: E402
from tests.support.infra import free_port  # noqa: E402


def request(port: int, method: str, path: str, body=None, token=None,
            source: str = "127.0.0.1") -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30,
                                            source_address=(source, 0))
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        connection.request(method, path, json.dumps(body) if body is not None else None,
                           headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def read_routes(port: int, token: str, seconds: float, readers: int) -> dict:
    timings: dict[str, list[float]] = {"GET /api/v1/activities": [], "GET /api/v1/me": []}
    errors = Counter()
    end = time.monotonic() + seconds

    def reader():
        for path in itertools.cycle(["/api/v1/activities", "/api/v1/me"]):
            if time.monotonic() > end:
                return
            started = time.perf_counter()
            status, _ = request(port, "GET", path, token=token)
            elapsed = (time.perf_counter() - started) * 1000
            if status == 200:
                timings[f"GET {path}"].append(elapsed)
            else:
                errors[f"GET {path} {status}"] += 1
    threads = [threading.Thread(target=reader) for _ in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {route: {"count": len(values), "p50_ms": round(statistics.median(values), 2),
                    "p99_ms": round(percentile(values, 0.99), 2)}
            for route, values in timings.items()} | {"errors": dict(errors)}


def flood(port: int, stop: threading.Event, flooders: int, accounts: int) -> Counter:
    statuses = Counter()
    sources = itertools.cycle(f"127.0.0.{n}" for n in range(2, 255))
    emails = [f"flood-{n}-{uuid.uuid4().hex[:6]}@example.com" for n in range(accounts)]
    lock = threading.Lock()

    def flooder(offset: int):
        for n in itertools.count(offset):
            if stop.is_set():
                return
            with lock:
                source = next(sources)
            try:
                status, _ = request(port, "POST", "/api/v1/auth/token",
                                    {"email": emails[n % accounts],
                                     "password": "wrong-password-123"}, source=source)
            except OSError:
                status = "error"
            with lock:
                statuses[status] += 1
    threads = [threading.Thread(target=flooder, args=(i * 7,)) for i in range(flooders)]
    for thread in threads:
        thread.start()
    stop.wait()
    for thread in threads:
        thread.join()
    return statuses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--flooders", type=int, default=16)
    parser.add_argument("--accounts", type=int, default=500)
    parser.add_argument("--json")
    parser.add_argument("--var", help="the system's BPS_VAR_DIR (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        var = args.var or temporary
        env = dict(os.environ, BPS_VAR_DIR=var, GATEWAY_PORT=str(free_port()),
                   SUPERADMIN_EMAIL="root@bps.go.id", SUPERADMIN_PASSWORD="superadmin-secret",
                   JWT_SECRET=uuid.uuid4().hex)
        for service in SERVICES:
            port = free_port()
            env[f"{service.upper()}_GRPC_PORT"] = str(port)
            env[f"{service.upper()}_GRPC_TARGET"] = f"http://127.0.0.1:{port}"
        system = System(env)
        system.up(timeout=120)
        try:
            port = int(env["GATEWAY_PORT"])
            status, body = request(port, "POST", "/api/v1/auth/token",
                                   {"email": "root@bps.go.id",
                                    "password": "superadmin-secret"})
            assert status == 200, body
            token = json.loads(body)["access_token"]
            read_routes(port, token, 2, args.readers)  # warm up
            quiet = read_routes(port, token, args.seconds, args.readers)
            stop = threading.Event()
            result: dict = {}
            flooding = threading.Thread(target=lambda: result.update(
                statuses=flood(port, stop, args.flooders, args.accounts)))
            flooding.start()
            time.sleep(1)  # the flood under way before the readers start
            loaded = read_routes(port, token, args.seconds, args.readers)
            stop.set()
            flooding.join()
        finally:
            system.down()
    figures = {"quiet": quiet, "flood": loaded,
               "flood_answers": {str(k): v for k, v in result["statuses"].items()},
               "p99_ratio": {route: round(loaded[route]["p99_ms"] / quiet[route]["p99_ms"], 2)
                             for route in quiet if route != "errors"},
               "settings": vars(args), "cores": os.cpu_count()}
    print(json.dumps(figures, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
