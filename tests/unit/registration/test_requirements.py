"""Activity requirements: parsing, round trip and required documents."""
from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.shared.contracts.errors import InvalidInput
from services.shared.contracts.requirements import (
    SIMPLE_REQUIREMENTS,
    AgeRule,
    EducationRule,
    Requirements,
    Rule,
    parse_requirements,
    required_documents,
)
from services.shared.contracts.vocabulary import EDUCATION_LEVELS
from tests.support.builders import BANJAR_2025, JEPARA_2025, PAMEKASAN_2024

API_EXAMPLE = {
    "age": {"min": 18, "max": 50, "rule": "preferred"},
    "education": {"min": "SMA", "rule": "mandatory"},
    "domicile": {"rule": "preferred"},
    "not_asn": {"rule": "mandatory"},
    "extra_documents": ["cv", "phone_spec", "application_letter"],
}


def errors_of(raw: Any) -> dict[str, list[str]]:
    with pytest.raises(InvalidInput) as caught:
        parse_requirements(raw)
    assert isinstance(caught.value, InvalidInput)
    return caught.value.errors


def test_api_example() -> None:
    req = parse_requirements(API_EXAMPLE)
    assert req.age == AgeRule(18, 50, "preferred")
    assert req.education == EducationRule("SMA", "mandatory")
    assert req.education.is_mandatory and not req.age.is_mandatory
    assert req.domicile == Rule("preferred")
    assert req.not_asn == Rule("mandatory")
    assert req.bps_experience is None and req.no_other_contract is None
    assert req.extra_documents == ("cv", "phone_spec", "application_letter")
    assert req.to_dict() == API_EXAMPLE


@pytest.mark.parametrize("raw", [None, {}])
def test_no_requirements(raw: dict | None) -> None:
    assert parse_requirements(raw) == Requirements()
    assert required_documents(parse_requirements(raw)) == ("photo", "ktp", "ijazah")


def test_not_an_object() -> None:
    assert set(errors_of(["age"])) == {"requirements"}


def test_unknown_key() -> None:
    assert set(errors_of({"height": {"rule": "preferred"}})) == {"requirements.height"}


def test_unknown_field_inside_a_rule() -> None:
    assert set(errors_of({"domicile": {"rule": "preferred", "regency": "3528"}})) == {
        "requirements.domicile.regency"
    }


@pytest.mark.parametrize("rule", ["required", "Mandatory", "", None, 1])
def test_bad_rule(rule: object) -> None:
    assert set(errors_of({"not_asn": {"rule": rule}})) == {"requirements.not_asn.rule"}


def test_missing_rule() -> None:
    assert set(errors_of({"motorbike": {}})) == {"requirements.motorbike.rule"}


def test_rule_not_an_object() -> None:
    assert set(errors_of({"devices": "preferred"})) == {"requirements.devices"}


@pytest.mark.parametrize(
    ("age", "field"),
    [
        ({"min": 14, "max": 50, "rule": "preferred"}, "requirements.age.min"),
        ({"min": 18, "max": 81, "rule": "preferred"}, "requirements.age.max"),
        ({"min": "18", "max": 50, "rule": "preferred"}, "requirements.age.min"),
        ({"min": 18.0, "max": 50, "rule": "preferred"}, "requirements.age.min"),
        ({"min": True, "max": 50, "rule": "preferred"}, "requirements.age.min"),
        ({"min": 51, "max": 50, "rule": "preferred"}, "requirements.age.max"),
        ({"max": 50, "rule": "preferred"}, "requirements.age.min"),
    ],
)
def test_bad_age(age: dict, field: str) -> None:
    assert set(errors_of({"age": age})) == {field}


def test_age_bounds_inclusive() -> None:
    assert parse_requirements({"age": {"min": 15, "max": 80, "rule": "mandatory"}}).age == AgeRule(
        15, 80, "mandatory"
    )
    assert parse_requirements({"age": {"min": 30, "max": 30, "rule": "mandatory"}}).age == AgeRule(
        30, 30, "mandatory"
    )


@pytest.mark.parametrize("minimum", ["SMK", "sma", "", None])
def test_unknown_education(minimum: object) -> None:
    assert set(errors_of({"education": {"min": minimum, "rule": "mandatory"}})) == {
        "requirements.education.min"
    }


@pytest.mark.parametrize(
    "extra",
    [
        "cv",  # not a list
        ["cv", "cv"],  # duplicate
        ["pakta_integritas"],  # signed after final selection
        ["photo"],  # always required anyway
        ["ktp", "cv"],
        ["resume"],  # unknown
        [1],
    ],
)
def test_bad_extra_documents(extra: object) -> None:
    assert set(errors_of({"extra_documents": extra})) == {"requirements.extra_documents"}


def test_all_errors_at_once() -> None:
    errors = errors_of(
        {
            "age": {"min": 60, "max": 20, "rule": "x"},
            "education": {"min": "X", "rule": "preferred"},
            "colour": {},
            "extra_documents": ["cv", "cv"],
        }
    )
    assert set(errors) == {
        "requirements.age.max",
        "requirements.age.rule",
        "requirements.education.min",
        "requirements.colour",
        "requirements.extra_documents",
    }


def test_seed_tables() -> None:
    pamekasan = parse_requirements(PAMEKASAN_2024)
    jepara = parse_requirements(JEPARA_2025)
    banjar = parse_requirements(BANJAR_2025)
    for req in (pamekasan, jepara, banjar):
        assert req.not_asn == Rule("mandatory")
        for key in ("domicile", "bps_experience", "devices", "motorbike"):
            assert getattr(req, key) == Rule("preferred")
        assert parse_requirements(req.to_dict()) == req
    assert pamekasan.age == AgeRule(18, 58, "preferred")
    assert jepara.age == AgeRule(18, 50, "preferred")
    assert banjar.age == AgeRule(18, 50, "preferred")
    assert pamekasan.education == jepara.education == EducationRule("SMA", "preferred")
    assert banjar.education == EducationRule("SMA", "mandatory")
    assert pamekasan.no_other_contract is None and jepara.no_other_contract is None
    assert banjar.no_other_contract == Rule("preferred")


def test_required_documents_for_the_seed_tables() -> None:
    basic = ("photo", "ktp", "ijazah")
    assert required_documents(parse_requirements(PAMEKASAN_2024)) == basic
    assert required_documents(parse_requirements(JEPARA_2025)) == basic
    assert required_documents(parse_requirements(BANJAR_2025)) == basic + (
        "cv", "phone_spec", "application_letter"
    )


rules = st.sampled_from(["mandatory", "preferred"])


@st.composite
def raw_requirements(draw: st.DrawFn) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    if draw(st.booleans()):
        low = draw(st.integers(15, 80))
        raw["age"] = {"min": low, "max": draw(st.integers(low, 80)), "rule": draw(rules)}
    if draw(st.booleans()):
        raw["education"] = {"min": draw(st.sampled_from(EDUCATION_LEVELS)), "rule": draw(rules)}
    for key in SIMPLE_REQUIREMENTS:
        if draw(st.booleans()):
            raw[key] = {"rule": draw(rules)}
    if draw(st.booleans()):
        extras = ["cv", "phone_spec", "application_letter"]
        raw["extra_documents"] = draw(st.permutations(extras))[: draw(st.integers(0, 3))]
    return raw


@settings(max_examples=200, deadline=None)
@given(raw_requirements())
def test_round_trip(raw: dict[str, Any]) -> None:
    req = parse_requirements(raw)
    assert parse_requirements(req.to_dict()) == req
    assert required_documents(req)[:3] == ("photo", "ktp", "ijazah")
