"""Issue 12, observability: the correlation id's plumbing, piece by piece. The gateway takes
or makes it and sends it in the gRPC metadata, the ``rpc`` wrapper binds it, the outbox
envelope carries it, the relay puts it in the message's headers, the event handler binds it,
and the JSON log formatter writes it (masking intact). tests/e2e/test_correlation.py follows
one id through the whole running system."""
from __future__ import annotations

import io
import json
import logging
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from grpc_health.v1 import health_pb2
from nameko_grpc.errors import GrpcError
from prometheus_client import REGISTRY
from werkzeug.test import Client
from werkzeug.wrappers import Response

from services.gateway import clients, web
from services.shared.contracts.errors import NotFound
from services.shared.ops.relay_events import EventRelay
from services.shared.platform import correlation, messaging
from services.shared.platform.database import add_platform_tables, create_engine, session_factory
from services.shared.platform.inbox import handle_once
from services.shared.platform.logs import CorrelationFilter, JsonFormatter
from services.shared.platform.outbox import make_envelope, record_event
from services.shared.platform.rpc import rpc
from services.shared.platform.unit_of_work import SqlUnitOfWork

SERVING = health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVING)
REQUEST_ID = "6a0b7f0e-1d0c-4a8e-9d1b-2f9e3c4b5a60"
metadata = sa.MetaData()
TABLES = add_platform_tables(metadata)


class UnitOfWork(SqlUnitOfWork):
    producer = "things"
    tables = TABLES


class PayloadSchema:
    """The smallest marshmallow-like schema the envelope needs."""

    def dump(self, payload):
        return dict(payload)

    def validate(self, payload):
        return {}

    def load(self, payload):
        return dict(payload)


@pytest.fixture(autouse=True)
def nothing_bound():
    """The gateway's middleware binds an id for its connection's greenthread, here the test's
    thread: each test starts with none."""
    token = correlation._current.set(None)
    yield
    correlation._current.reset(token)


@pytest.fixture
def sessions(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'things.sqlite'}")
    metadata.create_all(engine)
    yield session_factory(engine)
    engine.dispose()


def log_line(logger_name: str, emit) -> dict:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(CorrelationFilter())
    logger = logging.getLogger(logger_name)
    logger.handlers[:] = [handler]
    logger.propagate, level = False, logger.level
    logger.setLevel(logging.INFO)
    try:
        emit(logger)
    finally:
        logger.handlers[:] = []
        logger.setLevel(level)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1, lines  # one JSON object a line, the traceback inside it
    return json.loads(lines[0])


# The id itself -----------------------------------------------------------------------------

@pytest.mark.parametrize("sent", [REQUEST_ID, "req-42", "a" * 128, "x y"])
def test_a_usable_id_is_kept(sent):
    assert correlation.from_http_headers({"X-Request-ID": sent}) == sent


@pytest.mark.parametrize("sent", ["", "a" * 129, "bad\nid", "tab\tid", "ümlaut", " edge"])
def test_an_unusable_id_is_replaced_by_a_new_one(sent):
    made = correlation.from_http_headers({"X-Request-ID": sent})
    assert made != sent and correlation.valid(made) and len(made) == 36


def test_x_correlation_id_is_taken_too_and_none_makes_one():
    assert correlation.from_http_headers({"X-Correlation-ID": "corr-7"}) == "corr-7"
    first, second = (correlation.from_http_headers({}) for _ in range(2))
    assert first != second


def test_binding_is_undone_after_the_block():
    with correlation.bound("outer"):
        with correlation.bound("inner"):
            assert correlation.current() == "inner"
        assert correlation.current() == "outer"
    assert correlation.current() is None


# The log formatter -------------------------------------------------------------------------

def test_every_json_log_line_carries_the_bound_id():
    with correlation.bound(REQUEST_ID):
        entry = log_line("test_correlation", lambda logger: logger.info("did %s", "it"))
    assert entry["correlation_id"] == REQUEST_ID
    assert entry["message"] == "did it" and entry["level"] == "INFO"
    assert log_line("test_correlation", lambda logger: logger.info("x"))["correlation_id"] \
        is None


def test_the_json_line_is_masked_even_after_an_escaped_newline():
    phone, nik = "0812" + "34567890", "3528015403" + "950001"

    def failure(logger):
        try:
            raise ValueError(f"profile:\n{phone}\n{nik}")
        except ValueError:
            logger.exception("saving failed for\n+62%s", phone[1:])

    with correlation.bound(REQUEST_ID):
        entry = log_line("test_correlation", failure)
    text = json.dumps(entry)
    assert "81234567890" not in text and "3528015403950001" not in text
    assert "[phone]" in entry["message"] and "[nik]" in entry["exception"]
    assert "Traceback" in entry["exception"] and entry["correlation_id"] == REQUEST_ID


# The gateway -------------------------------------------------------------------------------

def test_the_gateway_answers_with_the_id_and_forwards_it_to_the_service():
    seen = {}

    def route(environ, start_response):
        request = web.Request(environ)
        with correlation.bound(web.request_correlation_id(request)):
            seen["metadata"] = clients.with_correlation_id([("authorization", "Bearer t")])
        return Response("{}")(environ, start_response)

    app = Client(web._request_id(route))
    answer = app.get("/", headers={"X-Request-ID": REQUEST_ID})
    assert answer.headers["X-Request-ID"] == REQUEST_ID
    assert ("x-correlation-id", REQUEST_ID) in seen["metadata"]
    made = app.get("/", headers={"X-Request-ID": "bad\x7fid"}).headers["X-Request-ID"]
    assert made != "bad\x7fid" and correlation.valid(made)
    assert ("x-correlation-id", made) in seen["metadata"]


def test_a_route_binds_the_id_for_the_calls_it_makes():
    seen = {}

    @web.route("GET", "/test-correlation/<string:thing_id>", summary="t", tag="t",
               responses={}, public=True)
    def handler(service, call):
        seen["metadata"] = clients.with_correlation_id(call.metadata)
        seen["bound"] = correlation.current()
        raise NotFound("nothing")

    try:
        environ = {"HTTP_X_REQUEST_ID": REQUEST_ID, "REQUEST_METHOD": "GET",
                   "PATH_INFO": "/test-correlation/1", "SERVER_NAME": "x", "SERVER_PORT": "80",
                   "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO()}
        response = handler(None, web.Request(environ), thing_id="1")
    finally:
        web.ROUTES.pop()
    assert response.status_code == 404
    assert ("x-correlation-id", REQUEST_ID) in seen["metadata"]
    assert seen["bound"] == REQUEST_ID


# The service's rpc wrapper -----------------------------------------------------------------

class Service:
    name = "things"
    unit_of_work = UnitOfWork

    def __init__(self, sessions):
        self.db = SimpleNamespace(sessions=sessions)

    @rpc(public=True)
    def AddThing(self, request, identity, uow):
        self.bound = correlation.current()
        self.envelope = record_event(uow.session, TABLES, "things", "thing_added",
                                     {"n": 1}, PayloadSchema())
        return SERVING

    @rpc(public=True)
    def Missing(self, request, identity, uow):
        raise NotFound("No such thing.")


def grpc_context(*metadata):
    return SimpleNamespace(request_stream=SimpleNamespace(deadline=None),
                           invocation_metadata=lambda: list(metadata))


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_the_rpc_wrapper_binds_the_callers_id_and_the_event_carries_it(sessions, monkeypatch):
    monkeypatch.setenv("JWT_SECRET", "a-secret-for-the-correlation-tests-32-bytes")
    service = Service(sessions)
    before = sample("rpc_requests_total", service="things", method="AddThing", code="OK")
    service.AddThing(health_pb2.HealthCheckRequest(),
                     grpc_context(("x-correlation-id", REQUEST_ID)))
    assert service.bound == REQUEST_ID
    assert service.envelope["correlation_id"] == REQUEST_ID
    with sessions() as session:
        stored = session.execute(sa.select(TABLES.outbox.c.envelope)).scalar_one()
    assert stored["correlation_id"] == REQUEST_ID
    assert correlation.current() is None  # not leaked past the call
    assert sample("rpc_requests_total", service="things", method="AddThing",
                  code="OK") == before + 1


def test_a_call_without_an_id_gets_one_of_its_own_and_a_refusal_is_counted(sessions,
                                                                          monkeypatch):
    monkeypatch.setenv("JWT_SECRET", "a-secret-for-the-correlation-tests-32-bytes")
    service = Service(sessions)
    service.AddThing(health_pb2.HealthCheckRequest(), grpc_context())
    assert correlation.valid(service.bound) and service.bound == \
        service.envelope["correlation_id"]
    before = sample("rpc_requests_total", service="things", method="Missing",
                    code="NOT_FOUND")
    with pytest.raises(GrpcError):
        service.Missing(health_pb2.HealthCheckRequest(), grpc_context())
    assert sample("rpc_requests_total", service="things", method="Missing",
                  code="NOT_FOUND") == before + 1
    assert sample("rpc_request_duration_seconds_count", service="things",
                  method="Missing") >= 1


def test_an_envelope_takes_the_bound_id_else_a_new_one():
    with correlation.bound(REQUEST_ID):
        assert make_envelope("p", "t", {}, PayloadSchema())["correlation_id"] == REQUEST_ID
    made = make_envelope("p", "t", {}, PayloadSchema())["correlation_id"]
    assert correlation.valid(made) and made != REQUEST_ID


# The relay and the consumer ----------------------------------------------------------------

def test_the_relay_sends_the_id_as_a_message_header(sessions):
    with correlation.bound(REQUEST_ID), sessions.begin() as session:
        envelope = record_event(session, TABLES, "things", "thing_added", {"n": 1},
                                PayloadSchema())
    published = []
    relay = EventRelay("things", sessions, TABLES, "amqp://unused")
    relay.producer = SimpleNamespace(publish=lambda body, **kw: published.append(kw))
    assert relay.publish_batch() == 1
    assert published[0]["headers"] == {"x-correlation-id": REQUEST_ID}
    assert published[0]["message_id"] == envelope["event_id"]


def test_handle_once_binds_the_envelopes_id_while_applying(sessions):
    with correlation.bound(REQUEST_ID):
        body = make_envelope("things", "thing_added", {"n": 1}, PayloadSchema())
    seen = []
    applied = handle_once(sessions, UnitOfWork, "things.on_thing_added", body,
                          PayloadSchema(), lambda uow, payload: seen.append(
                              correlation.current()))
    assert applied and seen == [REQUEST_ID]
    assert correlation.current() is None


def test_the_event_handler_binds_the_id_for_the_handler_and_logs_it_when_handled():
    seen = []

    class Consumer:
        @messaging.reliable_event_handler("things", "thing_added")
        def on_thing_added(self, body):
            seen.append(correlation.current())

    Consumer().on_thing_added({"event_id": "e-1", "correlation_id": REQUEST_ID})
    assert seen == [REQUEST_ID]

    handler = messaging.ReliableEventHandler.__new__(messaging.ReliableEventHandler)
    handler.method_name, handler.event_type = "on_thing_added", "thing_added"
    handler.container = SimpleNamespace(service_name="things")
    handler.consumer = SimpleNamespace(ack_message=lambda message: None)
    message = SimpleNamespace(headers={"x-correlation-id": REQUEST_ID},
                              payload={"event_id": "e-1", "correlation_id": REQUEST_ID})
    before = sample("events_consumed_total", service="things", handler="on_thing_added",
                    event_type="thing_added")
    entry = log_line(messaging.__name__,
                     lambda logger: handler.handle_message_processed(message))
    assert entry["correlation_id"] == REQUEST_ID and "e-1" in entry["message"]
    assert sample("events_consumed_total", service="things", handler="on_thing_added",
                  event_type="thing_added") == before + 1


def test_a_failed_event_is_counted_and_its_log_line_carries_the_id(monkeypatch):
    moved = []
    monkeypatch.setattr(messaging, "publish_to_queue",
                        lambda queue, *args: moved.append(queue))
    monkeypatch.setenv("EVENT_RETRY_DELAYS_MS", "100")
    handler = messaging.ReliableEventHandler.__new__(messaging.ReliableEventHandler)
    handler.method_name, handler.event_type = "on_thing_added", "thing_added"
    handler.container = SimpleNamespace(service_name="things")
    handler.consumer = SimpleNamespace(ack_message=lambda message: None)
    handler.subscription = messaging.Subscription("things", "thing_added", "things",
                                                  "on_thing_added")
    labels = {"service": "things", "handler": "on_thing_added", "event_type": "thing_added"}
    before = (sample("events_failed_total", kind="poison", **labels),
              sample("events_retried_total", **labels),
              sample("events_dead_lettered_total", **labels))
    error = RuntimeError("the handler's own bug")

    def fail(headers):
        message = SimpleNamespace(headers=headers, body=b"{}", content_type="application/json",
                                  content_encoding="utf-8",
                                  payload={"event_id": "e-2", "correlation_id": REQUEST_ID})
        return log_line(messaging.__name__, lambda logger: handler.handle_message_processed(
            message, exc_info=(RuntimeError, error, None)))

    assert fail({})["correlation_id"] == REQUEST_ID  # attempt 1: to the delay queue
    assert fail({messaging.RETRY_HEADER: 1})["correlation_id"] == REQUEST_ID  # then the DLQ
    assert len(moved) == 2 and moved[0].endswith(".retry.100ms") and moved[1].endswith(".dlq")
    assert (sample("events_failed_total", kind="poison", **labels),
            sample("events_retried_total", **labels),
            sample("events_dead_lettered_total", **labels)) == (
        before[0] + 2, before[1] + 1, before[2] + 1)


def test_the_relay_measures_its_backlog_and_the_oldest_rows_age(sessions):
    relay = EventRelay("things", sessions, TABLES, "amqp://unused")
    relay.producer = SimpleNamespace(publish=lambda body, **kw: None)
    relay.refresh_backlog(0.0)
    assert sample("relay_outbox_backlog", service="things") == 0
    for n in range(3):
        with sessions.begin() as session:
            record_event(session, TABLES, "things", "thing_added", {"n": n}, PayloadSchema())
    relay.refresh_backlog(1.0)  # within METRICS_REFRESH_SECONDS of the last: not measured
    assert sample("relay_outbox_backlog", service="things") == 0
    relay.refresh_backlog(10.0)
    assert sample("relay_outbox_backlog", service="things") == 3
    assert sample("relay_outbox_oldest_age_seconds", service="things") >= 0
    before = sample("relay_events_published_total", service="things", event_type="thing_added")
    assert relay.publish_batch() == 3
    relay.refresh_backlog(20.0)
    assert sample("relay_outbox_backlog", service="things") == 0
    assert sample("relay_outbox_oldest_age_seconds", service="things") == 0
    assert sample("relay_events_published_total", service="things",
                  event_type="thing_added") == before + 3


def test_a_timer_run_is_correlated_under_an_id_of_its_own():
    from services.shared.platform import correlation

    seen = []

    @correlation.correlated
    def timer_run():
        seen.append(correlation.current())

    timer_run()
    timer_run()
    assert all(seen) and seen[0] != seen[1]
    assert correlation.current() is None  # nothing left bound after the run
