"""The gateway re-declares no vocabulary: every enumeration its OpenAPI document states is the
shared contract's own tuple."""
from __future__ import annotations

import pytest

from services.gateway import service as _gateway  # noqa: F401 (its import registers the routes)
from services.gateway.openapi import openapi_document
from services.shared.contracts.identity import MITRA, ROLES
from services.shared.contracts.requirements import REQUIREMENT_KEYS, RULES
from services.shared.contracts.vocabulary import (
    ADMINISTRATIVE_DECISIONS,
    ADMINISTRATIVE_STATUSES,
    DOCUMENT_KINDS,
    EDUCATION_LEVELS,
    EXPORT_FORMATS,
    SEXES,
)


@pytest.fixture(scope="module")
def document():
    return openapi_document()


def _property(document, schema: str, name: str) -> dict:
    return document["components"]["schemas"][schema]["properties"][name]


def _query_parameter(document, path: str, name: str) -> dict:
    parameters = document["paths"][path]["get"]["parameters"]
    return next(p for p in parameters if p["in"] == "query" and p["name"] == name)


@pytest.mark.parametrize("schema, name, source", [
    ("ProfileBody", "education", EDUCATION_LEVELS),
    ("EducationRuleBody", "min", EDUCATION_LEVELS),
    ("ProfileBody", "sex", SEXES),
    ("DocumentOut", "kind", DOCUMENT_KINDS),
    ("RuleBody", "rule", RULES),
    ("AgeRuleBody", "rule", RULES),
    ("AdministrativeOut", "status", ADMINISTRATIVE_STATUSES),
    ("DecisionBody", "decision", ADMINISTRATIVE_DECISIONS),
])
def test_a_body_enumeration_is_the_contracts_own(document, schema, name, source):
    assert _property(document, schema, name)["enum"] == list(source)


def test_extra_documents_are_document_kinds_and_the_requirements_are_the_contracts(document):
    extra = _property(document, "RequirementsBody", "extra_documents")
    assert extra["items"]["enum"] == list(DOCUMENT_KINDS)
    properties = document["components"]["schemas"]["RequirementsBody"]["properties"]
    assert list(properties) == list(REQUIREMENT_KEYS)


def test_the_superadmin_creates_every_role_but_the_candidates(document):
    roles = _property(document, "CreateAdminAccountBody", "role")["enum"]
    assert roles == [role for role in ROLES if role not in MITRA]
    assert set(roles) | set(MITRA) == set(ROLES)


def test_query_enumerations_are_the_contracts_own(document):
    queue = "/api/v1/activities/{activity_id}/applications"
    assert _query_parameter(document, queue, "administrative_status")["schema"]["enum"] == \
        list(ADMINISTRATIVE_STATUSES)
    export = queue + "/export"
    assert _query_parameter(document, export, "format")["schema"]["enum"] == \
        list(EXPORT_FORMATS)
