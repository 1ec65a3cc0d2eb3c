"""Test day's hot path: the candidate's attempt calls (proto service ``Attempts``, methods in
``AttemptCalls`` of entrypoints.py: start or resume, save an answer, submit, read) on the
official grpcio server, in a process of plain threads beside the nameko service:
``python -m services.assessment.attempt_server``.

The same ``rpc`` wrapper, database and outbox as the nameko service; only the transport
differs (issue 8's profile: nameko-grpc's server and the eventlet hub were half of the
service's CPU per answer saved). The nameko process keeps everything else: the admin's calls,
the booking, the event consumers, and closing attempts at their deadline and reporting
no-shows.

The heartbeat is kept here (``keep_beating``), because this is the process candidates answer
through: a gap in it is time candidates could not answer, and its outage credit is given
before this server takes a call again. With several replicas, one beats at a time (the
timekeeper's turn, a database lock) and any one beating keeps the heartbeat alive.
"""
from __future__ import annotations

import logging
import threading
from datetime import timedelta

from services.assessment.entrypoints import AttemptCalls
from services.assessment.use_cases import timekeeping
from services.shared.platform import config, correlation, grpc_threads
from services.shared.platform.database import unit_of_work, utcnow
from services.shared.platform.logs import configure_logging
from services.shared.platform.rpc import Database, HealthCheck

log = logging.getLogger(__name__)

SERVICE_NAME = "bps.assessment.v1.Attempts"
METHODS = ("StartAttempt", "SaveAnswer", "SubmitAttempt", "GetAttempt")


class AttemptServer(HealthCheck, AttemptCalls):
    name = "assessment"

    def __init__(self):
        self.db = Database("assessment")
        self.db.setup()


def beat_once(service: AttemptServer, threshold: timedelta) -> None:
    with correlation.bound(), unit_of_work(service.db.sessions) as session:
        beaten = timekeeping.beat(service.unit_of_work(session), utcnow(), threshold)
    if beaten is not None and beaten[0] is not None:
        log.info("timekeeper: an outage of %s credited to %d open attempts", *beaten)


def keep_beating(service: AttemptServer, stopping: threading.Event) -> None:
    settings = config.timekeeper_settings()
    threshold = timedelta(seconds=settings.outage_threshold_seconds)
    while not stopping.wait(settings.interval_seconds):
        try:
            beat_once(service, threshold)
        except Exception:
            log.exception("heartbeat failed; the next one tries again")


def main() -> None:
    configure_logging()
    service = AttemptServer()
    # The first beat (and the credit of an outage that ends now) before any call is taken:
    # a candidate back after the outage sees the credited deadline, never a closed attempt.
    settings = config.timekeeper_settings()
    beat_once(service, timedelta(seconds=settings.outage_threshold_seconds))
    stopping = threading.Event()
    threading.Thread(target=keep_beating, args=(service, stopping), name="heartbeat",
                     daemon=True).start()
    server = grpc_threads.serve(service, SERVICE_NAME, METHODS, config.attempt_server_port(),
                                config.attempt_server_threads(),
                                health=lambda request, context: service.Check(request, context))
    try:
        grpc_threads.run(server, "assessment attempt server")
    finally:
        stopping.set()
        service.db.stop()


if __name__ == "__main__":
    main()
