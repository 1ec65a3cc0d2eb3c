"""Start one service as a nameko process: ``python -m services.shared.ops.runner registration``.

Patches eventlet (nameko 3 does not do it itself) and psycopg2 (psycogreen, so a query does
not block the hub) before anything else is imported, then feeds nameko its config from the
environment. A service (not the gateway: its /metrics is a route) serves its Prometheus
metrics on SERVICE_METRICS_PORT + its place in SERVICES when that is set.
"""
from __future__ import annotations

import eventlet

eventlet.monkey_patch()  # noqa: E402  (must precede every other import)

import argparse  # noqa: E402
import importlib  # noqa: E402

from psycogreen.eventlet import patch_psycopg  # noqa: E402

patch_psycopg()

import errno  # noqa: E402
import logging  # noqa: E402
import signal  # noqa: E402

import nameko_grpc.connection  # noqa: E402
from nameko import config as nameko_config  # noqa: E402
from nameko.runners import ServiceRunner  # noqa: E402
from prometheus_client import start_http_server  # noqa: E402

from services.shared.platform import config  # noqa: E402
from services.shared.platform.logs import configure_logging  # noqa: E402

SERVICE_CLASSES = {
    **{name: (f"services.{name}.entrypoints", f"{name.capitalize()}Service")
       for name in config.SERVICES},
    "gateway": ("services.gateway.service", "Gateway"),
}


STOP_GRACE_SECONDS = 3.0

# nameko-grpc's connection loop sends what a worker queued only after its select() on the
# socket times out, 10 ms by default: each call waited that long at each end (~23 ms for an
# empty call through the gateway). 2 ms brings it to ~7 ms for ~1 % more idle CPU per
# process; bench/README.md has the figures.
nameko_grpc.connection.SELECT_TIMEOUT = config.grpc_select_timeout()


def _tick() -> None:
    while True:
        eventlet.sleep(0.2)


def nameko_settings(service: str) -> dict:
    # A service's database pool has a connection for each of its workers (config.database_pool);
    # the gateway has more workers than it lets wait on any one service
    # (services/gateway/clients.py), so a slow service leaves workers to the others.
    workers = config.gateway_max_workers() if service == "gateway" else config.max_workers()
    settings = {"AMQP_URI": config.amqp_uri(), "max_workers": workers,
                "PARENT_CALLS_TRACKED": 10}
    if service == "gateway":
        settings["WEB_SERVER_ADDRESS"] = f"{config.gateway_bind_host()}:{config.gateway_port()}"
    else:
        settings["GRPC_BIND_PORT"] = config.grpc_port(service)
        settings["GRPC_BIND_HOST"] = config.grpc_bind_host()
    return settings


def start_metrics_server(service: str) -> None:
    port = config.service_metrics_port(service) if service in config.SERVICES else 0
    if not port:
        return
    log = logging.getLogger("runner")
    try:
        start_http_server(port, addr=config.grpc_bind_host())
    except OSError as error:  # serving matters more than counting: run on, say so
        log.error("%s serves no metrics: port %d unavailable (%s)", service, port, error)
        return
    log.info("%s serves metrics on port %d", service, port)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("service", choices=sorted(SERVICE_CLASSES))
    args = parser.parse_args(argv)
    try:
        config.jwt_secret()  # outside development without JWT_SECRET: refuse to start
    except config.SettingMissing as missing:
        parser.exit(2, f"{args.service} not started: {missing}\n")
    configure_logging()
    start_metrics_server(args.service)
    nameko_config.setup(nameko_settings(args.service))
    module_name, class_name = SERVICE_CLASSES[args.service]
    module = importlib.import_module(module_name)
    if hasattr(module, "on_start"):
        module.on_start()
    run(getattr(module, class_name))


def run(service_class) -> None:
    """nameko's ``run``, for one named class (nameko's own would also try to run every
    imported class that has entrypoints, such as the HealthCheck mixin)."""
    runner = ServiceRunner()
    runner.add_service(service_class)

    def stop_gracefully():
        # nameko-grpc's server can wait on idle client connections: past the grace period
        # in-flight work has had its chance, so the container is killed.
        watchdog = eventlet.spawn_after(STOP_GRACE_SECONDS, runner.kill)
        runner.stop()
        watchdog.cancel()

    # Signal handlers run in the main loop and cannot use eventlet primitives.
    signal.signal(signal.SIGTERM, lambda *_: eventlet.spawn_n(stop_gracefully))
    signal.signal(signal.SIGINT, lambda *_: eventlet.spawn_n(stop_gracefully))
    runner.start()
    # Python retries epoll after a signal (PEP 475), so a hub with nothing else to do would
    # only notice the spawned stop at its next timer: keep one ticking.
    eventlet.spawn(_tick)
    waiter = eventlet.spawn(runner.wait)
    while True:
        try:
            waiter.wait()
            return
        except OSError as error:  # EINTR from a signal arriving during a wait
            if error.errno != errno.EINTR:
                raise


if __name__ == "__main__":
    main()
