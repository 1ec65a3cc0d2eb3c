"""Automatic eligibility checks against the three seed announcements (Pamekasan, Jepara,
Banjar), on the typed candidate snapshot."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.selection.domain.eligibility import (
    CHECK_ORDER,
    AutomaticReview,
    Checks,
    automatic_review,
    evaluate,
)
from services.shared.contracts.candidate import ProfileSnapshot
from services.shared.contracts.requirements import (
    SIMPLE_REQUIREMENTS,
    Requirements,
    parse_requirements,
)
from services.shared.contracts.vocabulary import ALWAYS_REQUIRED, DOCUMENT_KINDS, EDUCATION_LEVELS
from tests.support.builders import (
    BANJAR_2025,
    JEPARA_2025,
    PAMEKASAN_2024,
    document_snapshots,
    profile_snapshot,
)

REGISTERED_ON = date(2025, 11, 10)
PAMEKASAN = parse_requirements(PAMEKASAN_2024)
JEPARA = parse_requirements(JEPARA_2025)
BANJAR = parse_requirements(BANJAR_2025)
BANJAR_EXTRAS = ("cv", "phone_spec", "application_letter")
# (requirements, satker code, documents a complete application has)
SEEDS = {
    "pamekasan": (PAMEKASAN, "3528", set(ALWAYS_REQUIRED)),
    "jepara": (JEPARA, "3320", set(ALWAYS_REQUIRED)),
    "banjar": (BANJAR, "3279", set(ALWAYS_REQUIRED) | set(BANJAR_EXTRAS)),
}
ALL_PREFERRED_PAMEKASAN = ("age", "education", "domicile", "bps_experience", "devices", "motorbike")
ALL_PREFERRED_BANJAR = (
    "age", "domicile", "bps_experience", "devices", "motorbike", "no_other_contract",
)


def years_before(day: date, years: int) -> date:
    return day.replace(year=day.year - years)


def profile(**changes: Any) -> ProfileSnapshot:
    """A candidate meeting every rule of the seeds, living in Pamekasan."""
    return profile_snapshot(**{"birth_date": date(1995, 7, 20), "has_capi_experience": True,
                               **changes})


def check(seed: str, on: date = REGISTERED_ON, documents: set[str] | None = None,
          **changes: Any) -> Checks:
    requirements, satker, complete = SEEDS[seed]
    domicile = {"domicile_regency_code": satker}
    return evaluate(requirements, profile(**{**domicile, **changes}),
                    document_snapshots(complete if documents is None else documents), satker, on)


# --- complete candidates ------------------------------------------------------------------

def test_pamekasan_candidate_meeting_everything() -> None:
    checks = check("pamekasan")
    assert checks == Checks((), ALL_PREFERRED_PAMEKASAN, 6, 6)


def test_jepara_candidate_meeting_everything() -> None:
    assert check("jepara") == Checks((), ALL_PREFERRED_PAMEKASAN, 6, 6)


def test_banjar_candidate_meeting_everything() -> None:
    # education is mandatory in Banjar: it never counts as preferred
    assert check("banjar") == Checks((), ALL_PREFERRED_BANJAR, 6, 6)


def test_to_dict() -> None:
    checks = check("banjar", education="SMP", can_ride_motorbike=False)
    assert checks.to_dict() == {
        "mandatory_failures": ["education"],
        "preferred_met": ["age", "domicile", "bps_experience", "devices", "no_other_contract"],
        "preferred_score": 5,
        "preferred_total": 6,
    }


# --- age at registration ------------------------------------------------------------------

@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_exactly_18_on_the_registration_date_is_met(seed: str) -> None:
    assert "age" in check(seed, birth_date=years_before(REGISTERED_ON, 18)).preferred_met


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_one_day_short_of_18_is_not_met(seed: str) -> None:
    born = years_before(REGISTERED_ON, 18) + timedelta(days=1)
    checks = check(seed, birth_date=born)
    assert "age" not in checks.preferred_met
    assert "age" not in checks.mandatory_failures  # preferred: it ranks, it does not exclude
    assert checks.preferred_score == 5


@pytest.mark.parametrize(("seed", "maximum"), [("pamekasan", 58), ("jepara", 50), ("banjar", 50)])
def test_the_maximum_birthday_on_the_registration_date_is_met(seed: str, maximum: int) -> None:
    assert "age" in check(seed, birth_date=years_before(REGISTERED_ON, maximum)).preferred_met


@pytest.mark.parametrize(("seed", "maximum"), [("pamekasan", 58), ("jepara", 50), ("banjar", 50)])
def test_the_last_day_before_the_next_birthday_is_met(seed: str, maximum: int) -> None:
    born = years_before(REGISTERED_ON, maximum + 1) + timedelta(days=1)
    assert "age" in check(seed, birth_date=born).preferred_met


@pytest.mark.parametrize(("seed", "maximum"), [("pamekasan", 58), ("jepara", 50), ("banjar", 50)])
def test_turning_one_year_over_the_maximum_is_not_met(seed: str, maximum: int) -> None:
    on_the_birthday = years_before(REGISTERED_ON, maximum + 1)
    the_day_after = on_the_birthday - timedelta(days=1)  # turned 51/59 the day before
    for born in (on_the_birthday, the_day_after):
        checks = check(seed, birth_date=born)
        assert "age" not in checks.preferred_met
        assert checks.mandatory_failures == ()


def test_age_is_taken_on_the_registration_date_not_later() -> None:
    born = years_before(REGISTERED_ON, 18)
    assert "age" in check("jepara", birth_date=born).preferred_met
    assert "age" not in check("jepara", on=REGISTERED_ON - timedelta(days=1),
                              birth_date=born).preferred_met
    born = years_before(REGISTERED_ON, 50)
    assert "age" in check("jepara", birth_date=born).preferred_met
    a_year_later = REGISTERED_ON.replace(year=REGISTERED_ON.year + 1)
    assert "age" not in check("jepara", on=a_year_later, birth_date=born).preferred_met


def test_mandatory_age_rule_fails_outside_the_range() -> None:
    requirements = parse_requirements({"age": {"min": 18, "max": 50, "rule": "mandatory"}})
    young = profile(birth_date=years_before(REGISTERED_ON, 17))
    adult = profile(birth_date=years_before(REGISTERED_ON, 30))
    documents = document_snapshots(ALWAYS_REQUIRED)
    assert evaluate(requirements, young, documents, "3528", REGISTERED_ON).mandatory_failures \
        == ("age",)
    assert evaluate(requirements, adult, documents, "3528", REGISTERED_ON) == Checks((), (), 0, 0)


def test_the_registration_date_is_the_date_in_wib() -> None:
    # 17:30 UTC on 9 November is 00:30 on 10 November in WIB: the 18th birthday.
    born = years_before(REGISTERED_ON, 18)
    late_evening_utc = datetime(2025, 11, 9, 17, 30, tzinfo=UTC)
    review = automatic_review(JEPARA_2025, profile(birth_date=born, domicile_regency_code="3320"),
                              document_snapshots(ALWAYS_REQUIRED), "3320", late_evening_utc)
    assert review == AutomaticReview(18, Checks((), ALL_PREFERRED_PAMEKASAN, 6, 6))
    an_hour_earlier = datetime(2025, 11, 9, 16, 30, tzinfo=UTC)  # 23:30 WIB on the 9th
    review = automatic_review(JEPARA_2025, profile(birth_date=born, domicile_regency_code="3320"),
                              document_snapshots(ALWAYS_REQUIRED), "3320", an_hour_earlier)
    assert review.age == 17 and "age" not in review.checks.preferred_met


@pytest.mark.parametrize(("satker_code", "age"), [
    ("3320", 17),  # Jepara, WIB: 23:30 on the 9th
    ("6171", 17),  # Pontianak, Kalimantan Barat: WIB too
    ("7371", 18),  # Makassar, WITA: 00:30 on the 10th, the 18th birthday
    ("5100", 18),  # BPS Provinsi Bali, WITA
    ("9171", 18),  # Jayapura, WIT: 01:30 on the 10th
    ("9671", 18),  # Sorong, Papua Barat Daya: WIT
    ("0000", 17),  # BPS RI keeps WIB
])
def test_the_registration_date_is_the_date_on_the_satkers_own_clock(satker_code: str,
                                                                     age: int) -> None:
    born = years_before(REGISTERED_ON, 18)
    eve_in_wib = datetime(2025, 11, 9, 16, 30, tzinfo=UTC)  # 23:30 WIB on the eve
    review = automatic_review(JEPARA_2025, profile(birth_date=born),
                              document_snapshots(ALWAYS_REQUIRED), satker_code, eve_in_wib)
    assert review.age == age
    assert ("age" in review.checks.preferred_met) == (age == 18)
    # 23:30 UTC on the eve is the birthday on every Indonesian clock.
    late_on_the_eve_utc = datetime(2025, 11, 9, 23, 30, tzinfo=UTC)
    assert automatic_review(JEPARA_2025, profile(birth_date=born),
                            document_snapshots(ALWAYS_REQUIRED), satker_code,
                            late_on_the_eve_utc).age == 18


# --- education ----------------------------------------------------------------------------

def test_banjar_smp_is_a_mandatory_failure() -> None:
    checks = check("banjar", education="SMP")
    assert checks.mandatory_failures == ("education",)
    assert "education" not in checks.preferred_met


def test_pamekasan_smp_is_not_a_failure_just_not_preferred() -> None:
    checks = check("pamekasan", education="SMP")
    assert checks.mandatory_failures == ()
    assert checks.preferred_met == ("age", "domicile", "bps_experience", "devices", "motorbike")
    assert (checks.preferred_score, checks.preferred_total) == (5, 6)


@pytest.mark.parametrize("level", ["SMA", "D1", "D3", "D4", "S1", "S2", "S3"])
def test_sma_or_higher_meets_banjar(level: str) -> None:
    assert check("banjar", education=level).mandatory_failures == ()


@pytest.mark.parametrize("level", ["SMK", "", "sma"])
def test_unknown_education_never_meets_the_rule(level: object) -> None:
    assert check("banjar", education=level).mandatory_failures == ("education",)
    assert "education" not in check("jepara", education=level).preferred_met


# --- not ASN ------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_asn_is_a_mandatory_failure_everywhere(seed: str) -> None:
    checks = check(seed, is_asn=True)
    assert checks.mandatory_failures == ("not_asn",)
    assert "not_asn" not in checks.preferred_met


# --- documents ----------------------------------------------------------------------------

def test_banjar_missing_extra_documents() -> None:
    checks = check("banjar", documents=set(ALWAYS_REQUIRED))
    assert checks.mandatory_failures == (
        "document:cv", "document:phone_spec", "document:application_letter",
    )
    assert checks.preferred_score == 6  # documents do not touch the preferred rules


def test_banjar_one_extra_document_missing() -> None:
    documents = set(ALWAYS_REQUIRED) | {"cv", "application_letter"}
    assert check("banjar", documents=documents).mandatory_failures == ("document:phone_spec",)


@pytest.mark.parametrize("seed", sorted(SEEDS))
@pytest.mark.parametrize("kind", ALWAYS_REQUIRED)
def test_missing_always_required_document(seed: str, kind: str) -> None:
    documents = SEEDS[seed][2] - {kind}
    assert check(seed, documents=documents).mandatory_failures == (f"document:{kind}",)


def test_no_documents_at_all() -> None:
    assert check("pamekasan", documents=set()).mandatory_failures == (
        "document:photo", "document:ktp", "document:ijazah",
    )


def test_documents_not_asked_for_are_ignored() -> None:
    documents = set(DOCUMENT_KINDS)
    assert check("pamekasan", documents=documents).mandatory_failures == ()


def test_failures_follow_the_requirement_order_then_documents() -> None:
    checks = check("banjar", documents=set(ALWAYS_REQUIRED) | {"phone_spec"},
                   is_asn=True, education="SD")
    assert checks.mandatory_failures == (
        "not_asn", "education", "document:cv", "document:application_letter",
    )


def test_a_document_uploaded_twice_counts_once() -> None:
    twice = check("banjar", documents=["photo", "ktp", "ijazah", "cv", "cv"])
    assert twice.mandatory_failures == ("document:phone_spec", "document:application_letter")


# --- domicile -----------------------------------------------------------------------------

def test_domicile_preferred_in_the_seeds() -> None:
    elsewhere = check("jepara", domicile_regency_code="3321")  # Demak
    assert "domicile" not in elsewhere.preferred_met
    assert elsewhere.mandatory_failures == ()
    assert "domicile" in check("jepara", domicile_regency_code="3320").preferred_met


@pytest.mark.parametrize(("satker", "domicile", "failures"), [
    ("3528", "3528", ()),
    ("3528", "3526", ("domicile",)),
    ("3500", "3526", ()),
    ("3500", "3320", ("domicile",)),
    ("0000", "3320", ()),
])
def test_mandatory_domicile_by_satker_level(satker: str, domicile: str,
                                            failures: tuple[str, ...]) -> None:
    requirements = parse_requirements({"domicile": {"rule": "mandatory"}})
    candidate = profile(domicile_regency_code=domicile)
    checks = evaluate(requirements, candidate, document_snapshots(ALWAYS_REQUIRED), satker,
                      REGISTERED_ON)
    assert checks.mandatory_failures == failures
    assert checks.preferred_total == 0


# --- the other preferred rules and the score ----------------------------------------------

def test_preferred_score_counts_what_is_met() -> None:
    checks = check("pamekasan", has_bps_experience=False, can_ride_motorbike=False,
                   owns_smartphone=False, can_use_computer=False)
    assert checks.preferred_met == ("age", "education", "domicile")
    assert (checks.preferred_score, checks.preferred_total) == (3, 6)
    assert checks.mandatory_failures == ()


def test_nothing_preferred_met() -> None:
    checks = check("banjar", birth_date=years_before(REGISTERED_ON, 60),
                   domicile_regency_code="3207", has_bps_experience=False,
                   owns_smartphone=False, can_use_computer=False, can_ride_motorbike=False,
                   has_other_institution_contract=True)
    assert checks == Checks((), (), 0, 6)


@pytest.mark.parametrize(("smartphone", "computer", "met"), [
    (True, True, True), (True, False, True), (False, True, True), (False, False, False),
])
def test_devices_is_smartphone_or_computer(smartphone: bool, computer: bool, met: bool) -> None:
    checks = check("banjar", owns_smartphone=smartphone, can_use_computer=computer)
    assert ("devices" in checks.preferred_met) is met


def test_banjar_other_contract_only_loses_the_preference() -> None:
    checks = check("banjar", has_other_institution_contract=True)
    assert "no_other_contract" not in checks.preferred_met
    assert checks.mandatory_failures == ()
    assert checks.preferred_score == 5


def test_other_contract_is_not_checked_where_not_required() -> None:
    checks = check("pamekasan", has_other_institution_contract=True)
    assert checks == Checks((), ALL_PREFERRED_PAMEKASAN, 6, 6)


def test_no_requirements_checks_only_the_always_required_documents() -> None:
    candidate = profile(is_asn=True, education="SD")
    assert evaluate(Requirements(), candidate, [], "3528", REGISTERED_ON) == Checks(
        ("document:photo", "document:ktp", "document:ijazah"), (), 0, 0,
    )
    assert evaluate(Requirements(), candidate, document_snapshots(ALWAYS_REQUIRED), "3528",
                    REGISTERED_ON) == Checks((), (), 0, 0)


# --- properties ---------------------------------------------------------------------------

RULE = st.sampled_from(["mandatory", "preferred"])


@st.composite
def raw_requirements(draw: st.DrawFn) -> dict:
    raw: dict[str, Any] = {}
    if draw(st.booleans()):
        low, high = sorted(draw(st.lists(st.integers(15, 80), min_size=2, max_size=2)))
        raw["age"] = {"min": low, "max": high, "rule": draw(RULE)}
    if draw(st.booleans()):
        raw["education"] = {"min": draw(st.sampled_from(EDUCATION_LEVELS)), "rule": draw(RULE)}
    for key in SIMPLE_REQUIREMENTS:
        if draw(st.booleans()):
            raw[key] = {"rule": draw(RULE)}
    raw["extra_documents"] = draw(st.lists(st.sampled_from(BANJAR_EXTRAS), unique=True))
    return raw


@st.composite
def candidates(draw: st.DrawFn) -> ProfileSnapshot:
    flags = (
        "is_asn", "has_other_institution_contract", "has_bps_experience", "owns_smartphone",
        "can_use_computer", "can_ride_motorbike",
    )
    return profile(
        birth_date=draw(st.dates(date(1940, 1, 1), date(2012, 12, 31))),
        education=draw(st.sampled_from(EDUCATION_LEVELS)),
        domicile_regency_code=draw(st.sampled_from(["3528", "3527", "3320", "3279", "3578"])),
        **{flag: draw(st.booleans()) for flag in flags},
    )


SATKERS = st.sampled_from(["3528", "3320", "3279", "3500", "3300", "0000"])
DOCUMENTS = st.sets(st.sampled_from(DOCUMENT_KINDS))
DATES = st.dates(date(2020, 1, 1), date(2030, 12, 31))


@settings(max_examples=300, deadline=None)
@given(raw_requirements(), candidates(), DOCUMENTS, SATKERS, DATES)
def test_score_and_lists_are_consistent(raw: dict, candidate: ProfileSnapshot,
                                        documents: set[str], satker: str, on: date) -> None:
    requirements = parse_requirements(raw)
    checks = evaluate(requirements, candidate, document_snapshots(documents), satker, on)
    assert checks.preferred_score == len(checks.preferred_met)
    assert checks.preferred_score <= checks.preferred_total
    present = {key: getattr(requirements, key) for key in CHECK_ORDER
               if getattr(requirements, key) is not None}
    preferred = [key for key, rule in present.items() if not rule.is_mandatory]
    assert checks.preferred_total == len(preferred)
    for name in checks.preferred_met:
        assert name in preferred  # a mandatory rule never appears in preferred_met
    rule_failures = [n for n in checks.mandatory_failures if not n.startswith("document:")]
    for name in rule_failures:
        assert present[name].is_mandatory
    assert not set(checks.preferred_met) & set(checks.mandatory_failures)
    # the order is the requirement keys' order, then the documents
    order = [*CHECK_ORDER]
    assert list(checks.preferred_met) == sorted(checks.preferred_met, key=order.index)
    assert list(checks.mandatory_failures[:len(rule_failures)]) == rule_failures
    assert list(rule_failures) == sorted(rule_failures, key=order.index)
    missing = [f"document:{kind}" for kind in (*ALWAYS_REQUIRED, *requirements.extra_documents)
               if kind not in documents]
    assert list(checks.mandatory_failures[len(rule_failures):]) == missing


@settings(max_examples=300, deadline=None)
@given(raw_requirements(), candidates(), DOCUMENTS, SATKERS, DATES,
       st.lists(st.sampled_from(EDUCATION_LEVELS), min_size=2, max_size=2))
def test_raising_education_never_adds_a_failure(raw: dict, candidate: ProfileSnapshot,
                                                documents: set[str], satker: str, on: date,
                                                levels: list[str]) -> None:
    low, high = sorted(levels, key=EDUCATION_LEVELS.index)
    requirements = parse_requirements(raw)
    uploaded = document_snapshots(documents)
    before = evaluate(requirements, replace(candidate, education=low), uploaded, satker, on)
    after = evaluate(requirements, replace(candidate, education=high), uploaded, satker, on)
    assert set(after.mandatory_failures) <= set(before.mandatory_failures)
    assert set(before.preferred_met) <= set(after.preferred_met)
    assert after.preferred_score >= before.preferred_score
