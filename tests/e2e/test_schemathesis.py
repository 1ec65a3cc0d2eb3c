"""The security review's proof: schemathesis, with every check, against the running system's
own OpenAPI document (/api/v1/openapi.json), as an anonymous client, a candidate and an admin:
no 5xx, no answer the document does not describe (status, content type, body schema), invalid
input refused, valid input accepted.

Derandomized, with a bounded number of examples per operation (``MAX_EXAMPLES``), so that a
failure is the same failure on every run and the whole file stays within a few minutes on two
cores. One setting differs from schemathesis' defaults, and says why:
``positive_data_acceptance`` also accepts 422: a body can match the document and still be
refused by the domain (a NIK whose checksum or birth date does not add up, a regency that does
not exist, a window that closes before it opens), which JSON Schema cannot say.
"""
from __future__ import annotations

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from tests.support import api

MAX_EXAMPLES = 10
ADMIN_SATKER = "7371"  # Kota Makassar: no other system test uses it

CONFIG = {
    "generation": {"mode": "all", "deterministic": True},
    # The examples and fuzzing phases, valid and invalid data (``mode: all``). The coverage
    # phase is left out: it builds each string at its maximum length under its pattern (the
    # text rule every request field states), which takes minutes per body on two cores.
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    "checks": {
        "positive_data_acceptance": {
            "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"]},
        # A body over the size limit (1 MB of JSON) is refused as too large before its shape
        # is looked at.
        "negative_data_rejection": {"expected-statuses": [
            "400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428",
            "429"]}},
    # The contract answers a bad, used or expired mailed token (activation, password reset,
    # unlock) with 400 (API.md, accounts): a token of the right shape is still "bad" unless
    # the mail sent it.
    "operations": [{"include-path-regex": "/(activate|confirm|unlock)$", "checks": {
        "positive_data_acceptance": {"expected-statuses": [
            "2xx", "400", "401", "403", "404", "409", "422", "429"]}}}],
}


@pytest.fixture(scope="module")
def identities(base_url, mail_sink) -> dict[str, dict]:
    candidate = api.registered_candidate(base_url, mail_sink)
    admin = api.admin_of(base_url, ADMIN_SATKER)
    return {"anonymous": {},
            "candidate": {"Authorization": f"Bearer {candidate.token}"},
            "admin": {"Authorization": f"Bearer {admin.token}"}}


@pytest.fixture(scope="module")
def api_schema(base_url):
    document = requests.get(base_url + "/api/v1/openapi.json", timeout=30).json()
    config = SchemathesisConfig.from_dict({**CONFIG, "base-url": base_url})
    return schemathesis.openapi.from_dict(document, config=config)


schema = schemathesis.pytest.from_fixture("api_schema")
# The question sheet upload: raw bytes, as any other file
schemathesis.serializer.alias(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/octet-stream")


def _as(identity: str):
    @schema.parametrize()
    @settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def test(case, identities):
        case.call_and_validate(headers=identities[identity], timeout=30)
    test.__name__ = f"test_the_api_does_what_its_openapi_document_says_as_{identity}"
    return test


test_the_api_does_what_its_openapi_document_says_as_anonymous = _as("anonymous")
test_the_api_does_what_its_openapi_document_says_as_a_candidate = _as("candidate")
test_the_api_does_what_its_openapi_document_says_as_an_admin = _as("admin")
