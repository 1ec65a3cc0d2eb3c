"""The gateway's side of a gRPC call, three ways, against one nameko-grpc server (as the
services run it): what issue 8 asks before the attempt routes move to the official grpcio
client. The gateway runs on eventlet, where grpcio's blocking calls would stop the hub, so
the candidate there is grpcio through ``eventlet.tpool`` (a pool of real threads).

    .venv/bin/python bench/grpc_client_hop.py [--seconds 8] [--concurrency 20] [--token]

It starts the server (a nameko service with the assessment contract's ``Ping``, on the
runner's settings: eventlet, ``GRPC_SELECT_TIMEOUT``) in a process of its own, then runs each
client in a process of its own for ``--seconds`` with ``--concurrency`` callers at once:

- ``nameko-grpc``: green threads on nameko-grpc's client with the gateway's connection
  (``services.gateway.clients.KeepaliveConnection``: keepalive, no Huffman coding) and its
  sleeping deadline watcher: what the gateway does today;
- ``grpcio+tpool``: green threads, each call ``eventlet.tpool.execute(stub.Ping, ...)`` on one
  ``grpc.insecure_channel``: what the gateway could do without leaving eventlet;
- ``grpcio threads``: no eventlet, plain threads on the same channel: what a lean,
  non-eventlet gateway process for the attempt routes would get (the ceiling of the client).

Per client: calls per second, p50 / p99, errors, and the client process's CPU per call (ms;
``getrusage``, so the C threads of grpcio count). ``--token`` sends a 230-byte
``authorization`` metadata with every call, as the gateway does for a signed-in caller.
Only the client side differs: the server and the machine are the same in one run, so
compare the rows of one run, not runs on a busy machine.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "Bearer " + "e" * 223
MODES = ("nameko-grpc", "grpcio+tpool", "grpcio+tpool (grpc imported first)", "grpcio threads")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(port: int) -> None:
    import eventlet
    eventlet.monkey_patch()
    import nameko_grpc.connection
    from nameko import config as nameko_config
    from nameko.runners import ServiceRunner

    import assessment_pb2 as pb
    import assessment_pb2_grpc
    from services.shared.platform import config
    from services.shared.platform.rpc import grpc_entrypoint

    nameko_grpc.connection.SELECT_TIMEOUT = config.grpc_select_timeout()
    grpc = grpc_entrypoint(assessment_pb2_grpc.AssessmentStub)

    class PingService:
        name = "ping"

        @grpc
        def Ping(self, request, context):
            return pb.PingReply()

    nameko_config.setup({"GRPC_BIND_PORT": port, "GRPC_BIND_HOST": "127.0.0.1",
                         "max_workers": 100})
    runner = ServiceRunner()
    runner.add_service(PingService)
    runner.start()
    runner.wait()


def measure(mode: str, port: int, seconds: float, concurrency: int, token: bool) -> dict:
    if mode == "grpcio+tpool (grpc imported first)":
        import grpc  # noqa: F401 - its threading is then the real one
    if mode != "grpcio threads":
        import eventlet
        eventlet.monkey_patch()
    import resource
    import threading

    import assessment_pb2 as pb
    import assessment_pb2_grpc
    metadata = [("authorization", TOKEN)] if token else []
    target = f"127.0.0.1:{port}"

    if mode == "nameko-grpc":
        import eventlet
        import nameko_grpc.connection
        from nameko_grpc.channel import ClientChannel
        from nameko_grpc.client import Client, Proxy

        from services.gateway import clients
        from services.shared.platform import config
        nameko_grpc.connection.SELECT_TIMEOUT = config.grpc_select_timeout()

        class GatewayLikeClient(Client):
            timeout = clients.ServiceClient.timeout

        # The gateway's connection pool and class (keepalive, no Huffman coding).
        client = GatewayLikeClient(f"http://{target}", assessment_pb2_grpc.AssessmentStub)
        client.channel = ClientChannel(client.target, client.ssl, client.spawn_thread)
        client.channel.conn_pool = clients.ReconnectingPool([client.target], client.ssl,
                                                            client.spawn_thread)
        client.channel.start()
        proxy = Proxy(client)

        def call():
            proxy.Ping(pb.PingRequest(), metadata=metadata, timeout=15)
        spawn, sleep = eventlet.spawn, eventlet.sleep
    else:
        import grpc
        channel = grpc.insecure_channel(target)
        stub = assessment_pb2_grpc.AssessmentStub(channel)
        if mode.startswith("grpcio+tpool"):
            import eventlet
            from eventlet import tpool

            def call():
                tpool.execute(stub.Ping, pb.PingRequest(), metadata=metadata, timeout=15)
            spawn, sleep = eventlet.spawn, eventlet.sleep
        else:
            def call():
                stub.Ping(pb.PingRequest(), metadata=metadata, timeout=15)

            def spawn(fn):
                thread = threading.Thread(target=fn, daemon=True)
                thread.start()
                return thread
            sleep = time.sleep

    for _ in range(50):  # warm up: connections made, code paths taken
        call()
    latencies: list[float] = []
    errors = [0]
    stop = time.monotonic() + seconds
    usage = resource.getrusage(resource.RUSAGE_SELF)
    started = time.monotonic()

    def caller():
        while time.monotonic() < stop:
            at = time.perf_counter()
            try:
                call()
            except Exception:  # noqa: BLE001 - counted; the rate shows it
                errors[0] += 1
                continue
            latencies.append(time.perf_counter() - at)

    workers = [spawn(caller) for _ in range(concurrency)]
    while time.monotonic() < stop + 0.5 and any(
            not getattr(w, "dead", False) and (not hasattr(w, "is_alive") or w.is_alive())
            for w in workers):
        sleep(0.05)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)
    latencies.sort()
    n = len(latencies)
    return {"mode": mode, "calls": n, "rps": round(n / wall, 1),
            "p50_ms": round(latencies[n // 2] * 1000, 2) if n else None,
            "p99_ms": round(latencies[min(n - 1, int(n * 0.99))] * 1000, 2) if n else None,
            "errors": errors[0], "cpu_ms_per_call": round(cpu / n * 1000, 3) if n else None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--token", action="store_true")
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--client", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT), str(ROOT / "gen")]
    if args.serve:
        serve(args.serve)
        return 0
    if args.client:
        print(json.dumps(measure(args.client, args.port, args.seconds, args.concurrency,
                                 args.token)), flush=True)
        os._exit(0)  # tpool's real threads are joined at exit, which never ends under eventlet
    port = free_port()
    env = {**os.environ, "JWT_SECRET": os.environ.get("JWT_SECRET", "grpc-hop-bench-" + "x" * 24)}
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    print("the server did not start", file=sys.stderr)
                    return 2
                time.sleep(0.1)
        results = []
        print(f"load average before: {os.getloadavg()[0]:.2f}")
        for mode in args.modes:
            command = [sys.executable, __file__, "--client", mode, "--port", str(port),
                       "--seconds", str(args.seconds), "--concurrency", str(args.concurrency)]
            if args.token:
                command.append("--token")
            out = subprocess.run(command, env=env, capture_output=True, text=True,
                                 timeout=args.seconds + 120)
            if out.returncode != 0:
                print(f"{mode}: failed: {out.stderr[-500:]}", file=sys.stderr)
                continue
            result = json.loads(out.stdout.strip().splitlines()[-1])
            results.append(result)
            print(f"{mode:15} {result['rps']:8.1f} calls/s  p50 {result['p50_ms']} ms  "
                  f"p99 {result['p99_ms']} ms  errors {result['errors']}  "
                  f"client CPU {result['cpu_ms_per_call']} ms/call", flush=True)
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        if args.json:
            args.json.write_text(json.dumps({"when": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                                   time.gmtime()),
                                             "settings": vars(args) | {"json": str(args.json)},
                                             "results": results}, indent=2, default=str))
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
