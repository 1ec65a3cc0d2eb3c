"""Finding 5 of the security review, behind the gateway's schemas: a value a protobuf message
cannot hold (past an int32 field's bounds, a lone surrogate) is the client's 422, not a 500;
a service's own reply that does not fit stays a failure."""
from __future__ import annotations

import pytest
from google.protobuf import json_format

from assessment_pb2 import ListQuestionsRequest
from services.shared.contracts.errors import InvalidInput
from services.shared.platform.proto import from_dict, to_proto


@pytest.mark.parametrize("data", [{"page": 2**31}, {"activity_id": "\ud800"},
                                  {"page": "x"}])
def test_a_value_the_message_cannot_hold_is_invalid_input(data):
    with pytest.raises(InvalidInput):
        from_dict(data, ListQuestionsRequest)


def test_a_reply_that_does_not_fit_is_not_blamed_on_the_client():
    with pytest.raises(json_format.ParseError):
        to_proto({"page": 2**31}, ListQuestionsRequest)
    assert from_dict({"page": 7}, ListQuestionsRequest).page == 7
