"""The shared plumbing's pure parts: problems, identity and scope, log masking, envelopes."""
from __future__ import annotations

import logging

import marshmallow as ma
import pytest

from services.shared.contracts.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    NotInScope,
)
from services.shared.contracts.events import SUBSCRIPTIONS, subscription_for
from services.shared.platform import problems
from services.shared.platform.identity import Identity, bearer_token, decode_token, issue_token
from services.shared.platform.logs import PersonalDataFilter
from services.shared.platform.outbox import make_envelope, parse_envelope


@pytest.mark.parametrize("refusal", [NotFound("no such thing"), Conflict("window closed"),
                                     InvalidInput({"nik": ["bad"]}), NotInScope()])
def test_a_refusal_survives_the_trip_through_a_grpc_status(refusal):
    again = problems.from_json(problems.to_json(refusal))
    kind = next(k for k in type(refusal).__mro__ if k in problems.STATUS_OF)
    assert isinstance(again, kind) and problems.problem(again) == problems.problem(refusal)
    assert problems.problem(refusal)["code"] == type(refusal).code()
    assert problems.from_json("not json") is None


def test_every_kind_of_refusal_has_one_status():
    from services.shared.contracts.errors import KINDS
    assert set(problems.STATUS_OF) == set(KINDS)
    assert len({status.http for status in problems.STATUS_OF.values()}) == len(KINDS)


def test_satker_scope():
    assert Identity("a", "admin_satker", "3528").may_act_for_satker("3528")
    assert not Identity("a", "admin_satker", "3320").may_act_for_satker("3528")
    assert not Identity("a", "mitra").may_act_for_satker("3528")
    assert Identity("a", "superadmin").may_act_for_satker("3528")


def test_tokens(monkeypatch):
    monkeypatch.setenv("JWT_SECRET", "one-secret")
    token, ttl = issue_token(Identity("acc", "admin_satker", "3528"), ttl_seconds=60)
    assert ttl == 60 and decode_token(token) == Identity("acc", "admin_satker", "3528")
    monkeypatch.setenv("JWT_SECRET", "another-secret")
    with pytest.raises(NotAuthenticated):
        decode_token(token)
    expired, _ = issue_token(Identity("acc", "mitra"), ttl_seconds=-60)  # beyond the leeway
    with pytest.raises(NotAuthenticated):
        decode_token(expired)
    assert bearer_token(None) is None and bearer_token("Bearer abc") == "abc"
    with pytest.raises(NotAuthenticated):
        bearer_token("Basic abc")


def test_log_records_never_carry_a_nik_or_a_phone_number():
    record = logging.LogRecord("x", logging.INFO, __file__, 1,
                               "saved %s for %s", ("3528015403950001", "081234567890"), None)
    PersonalDataFilter().filter(record)
    assert record.getMessage() == "saved [nik] for [phone]"


class Payload(ma.Schema):
    application_id = ma.fields.String(required=True)


def test_envelopes_are_checked_on_both_ends():
    envelope = make_envelope("registration", "application_submitted",
                             {"application_id": "x"}, Payload())
    assert set(envelope) == {"event_id", "type", "occurred_at", "producer", "schema_version",
                             "correlation_id", "payload"}
    _, payload = parse_envelope(envelope, Payload())
    assert payload == {"application_id": "x"}
    with pytest.raises(ValueError):
        make_envelope("registration", "application_submitted", {}, Payload())
    with pytest.raises(ma.ValidationError):
        parse_envelope(dict(envelope, payload={}), Payload())


def test_every_consumer_queue_is_named_once():
    queues = [s.queue for s in SUBSCRIPTIONS]
    assert len(queues) == len(set(queues))
    assert subscription_for("selection", "on_application_submitted").producer == "registration"
    with pytest.raises(LookupError):
        subscription_for("selection", "on_nothing")
