"""Final selection's rules: criteria validation, the components' normalisation, the total, the
one ranking (eligibility, tie-breaking, properties), decisions, the positions cap and the
announcement switch."""
from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.selection.domain.errors import (
    AlreadyAnnounced,
    AlreadyDecided,
    InvalidFinalCriteria,
    NotRanked,
    PositionsFilled,
    ReasonRequired,
    UnknownFinalDecision,
)
from services.selection.domain.final_selection import (
    COMPONENTS,
    CandidateFacts,
    FinalCriteria,
    announced_status,
    check_final_decision,
    check_positions,
    components_of,
    is_announced,
    rank,
    top_undecided,
    total_of,
    validate_criteria,
    visible_final_status,
    visible_total,
)
from services.shared.contracts.vocabulary import EDUCATION_LEVELS

T0 = datetime(2026, 11, 7, 3, tzinfo=UTC)
ONLY_TEST = {"test_score": 1}


def criteria(weights=None, min_test_score=0.0, positions=5, disclose=False) -> FinalCriteria:
    return validate_criteria(positions, weights or ONLY_TEST, min_test_score, disclose)


def facts(number: int = 1, score: float | None = 70.0, **changes) -> CandidateFacts:
    return replace(CandidateFacts(
        application_id=f"app-{number}", registration_number=f"3528-2026-{number:05d}",
        full_name=f"Calon {number}", submitted_at=T0 + timedelta(minutes=number),
        administrative_status="accepted", test_status="completed", test_score=score,
        preferred_met=2, preferred_total=4, has_bps_experience=True, education="SMA",
        domicile_regency_code="3528", satker_code="3528"), **changes)


# -- criteria ----------------------------------------------------------------------------------

def test_criteria_keep_all_seven_weights_a_missing_one_weighs_nothing():
    valid = validate_criteria(3, {"test_score": 3, "interview": 1.5}, 60, True)
    assert valid.weights == {**dict.fromkeys(COMPONENTS, 0.0), "test_score": 3.0,
                             "interview": 1.5}
    assert (valid.positions, valid.min_test_score, valid.disclose_scores) == (3, 60.0, True)


@pytest.mark.parametrize(("weights", "message"), [
    ({"test_score": -1}, "test_score: must be a number >= 0."),
    ({"test_score": 0, "education": 0}, "At least one weight must be above 0."),
    ({}, "At least one weight must be above 0."),
    ({"luck": 1, "test_score": 1}, "Unknown components: luck"),
    ({"test_score": True}, "test_score: must be a number >= 0."),
    ({"test_score": "1"}, "test_score: must be a number >= 0."),
    ({"test_score": float("nan")}, "test_score: must be a number >= 0."),
])
def test_bad_weights_are_refused_naming_the_problem(weights, message):
    with pytest.raises(InvalidFinalCriteria) as refused:
        validate_criteria(5, weights, 0, False)
    assert any(text.startswith(message) for text in refused.value.errors["weights"])


@pytest.mark.parametrize(("positions", "weights", "minimum", "disclose", "field"), [
    (0, ONLY_TEST, 0, False, "positions"),
    (True, ONLY_TEST, 0, False, "positions"),
    (2.5, ONLY_TEST, 0, False, "positions"),
    (5, [1, 2], 0, False, "weights"),
    (5, ONLY_TEST, 101, False, "min_test_score"),
    (5, ONLY_TEST, -1, False, "min_test_score"),
    (5, ONLY_TEST, None, False, "min_test_score"),
    (5, ONLY_TEST, 0, "yes", "disclose_scores"),
])
def test_bad_fields_are_refused_by_name(positions, weights, minimum, disclose, field):
    with pytest.raises(InvalidFinalCriteria) as refused:
        validate_criteria(positions, weights, minimum, disclose)
    assert list(refused.value.errors) == [field]


# -- components and total ----------------------------------------------------------------------

def test_components_are_normalised_to_0_100():
    assert components_of(facts(score=76.67, interview=85, performance=None)) == {
        "test_score": 76.67, "preferred_score": 50.0, "experience": 100.0,
        "education": 22.22, "domicile": 100.0, "interview": 85.0, "performance": 0.0}
    other = components_of(facts(has_bps_experience=False, domicile_regency_code="3527",
                                preferred_total=0, preferred_met=0, education="S3"))
    assert (other["experience"], other["domicile"], other["preferred_score"],
            other["education"]) == (0.0, 0.0, 0.0, 100.0)


def test_education_is_evenly_spaced_from_sd_0_to_s3_100():
    shown = [components_of(facts(education=level))["education"] for level in EDUCATION_LEVELS]
    assert shown == [0.0, 11.11, 22.22, 33.33, 44.44, 55.56, 66.67, 77.78, 88.89, 100.0]


def test_a_province_satker_counts_every_regency_of_its_province_as_domicile():
    assert components_of(facts(satker_code="3500", domicile_regency_code="3578"))[
        "domicile"] == 100.0


def test_total_is_the_weighted_mean_of_the_shown_components_rounded_to_2_decimals():
    components = components_of(facts(score=76.67, interview=85))
    weights = {**dict.fromkeys(COMPONENTS, 0.0), "test_score": 3.0, "education": 1.0,
               "interview": 2.0}
    # (3 x 76.67 + 22.22 + 2 x 85) / 6 = 422.23 / 6 = 70.3716...
    assert total_of(components, weights) == 70.37


# -- the ranking -------------------------------------------------------------------------------

def test_only_accepted_with_a_completed_test_at_the_minimum_are_ranked():
    ranking = rank([
        facts(1, 80), facts(2, 59.99), facts(3, 60),
        facts(4, 90, administrative_status="rejected"),
        facts(5, None, test_status=None),
        facts(6, None, test_status="missed", final_status="withdrawn"),
    ], criteria(min_test_score=60))
    assert [(e.application_id, e.rank) for e in ranking.items] == [("app-1", 1), ("app-3", 2)]
    assert [(e.application_id, e.rank) for e in ranking.below_minimum] == [
        ("app-4", None), ("app-2", None)]


def test_ties_break_on_test_score_then_the_earlier_application_then_the_number():
    weights = {"test_score": 1, "interview": 1}
    ranking = rank([
        facts(1, 70, interview=80),  # total 75, test 70
        facts(2, 80, interview=70),  # total 75, test 80: first
        facts(3, 70, interview=80, submitted_at=T0),  # total 75, test 70, earlier than 1
        facts(4, 70, interview=80, submitted_at=T0, registration_number="3528-2026-00000"),
    ], criteria(weights))
    assert [e.application_id for e in ranking.items] == ["app-2", "app-4", "app-3", "app-1"]
    assert [e.rank for e in ranking.items] == [1, 2, 3, 4]
    assert {e.total for e in ranking.items} == {75.0}


def test_each_item_shows_what_it_is_made_of_and_the_committee_decision():
    (item,) = rank([facts(1, 76.67, decision="accepted")], criteria()).items
    assert (item.application_id, item.registration_number, item.full_name, item.rank,
            item.total, item.test_score, item.final_status) == (
        "app-1", "3528-2026-00001", "Calon 1", 1, 76.67, 76.67, "accepted")
    assert item.components == components_of(facts(1, 76.67))


def test_top_undecided_skips_the_decided_in_rank_order():
    ranking = rank([facts(1, 90, decision="accepted"), facts(2, 80), facts(3, 70,
                    decision="rejected"), facts(4, 60), facts(5, 50)], criteria())
    assert top_undecided(ranking, 2) == ["app-2", "app-4"]
    assert top_undecided(ranking, 10) == ["app-2", "app-4", "app-5"]


scores = st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda x: round(x, 2))


@st.composite
def candidate_sets(draw):
    count = draw(st.integers(min_value=0, max_value=25))
    return [facts(
        number, draw(scores),
        administrative_status=draw(st.sampled_from(["accepted", "accepted", "rejected",
                                                    "pending"])),
        test_status=draw(st.sampled_from(["completed", "completed", "missed", None])),
        interview=draw(st.none() | scores),
        education=draw(st.sampled_from(EDUCATION_LEVELS)),
        has_bps_experience=draw(st.booleans()),
        submitted_at=T0 + timedelta(minutes=draw(st.integers(0, 5))))
        for number in range(count)]


weight_sets = st.fixed_dictionaries({name: st.sampled_from([0, 0.5, 1, 2, 3])
                                     for name in COMPONENTS}).filter(lambda w: any(w.values()))


@settings(max_examples=150, deadline=None)
@given(candidates=candidate_sets(), weights=weight_sets, minimum=scores, seed=st.integers())
def test_the_ranking_is_a_permutation_of_the_eligible_set_whatever_the_input_order(
        candidates, weights, minimum, seed):
    chosen = criteria(weights, minimum)
    ranking = rank(candidates, chosen)
    eligible = {c.application_id for c in candidates if c.administrative_status == "accepted"
                and c.test_status == "completed" and c.test_score >= minimum}
    assert sorted(e.application_id for e in ranking.items) == sorted(eligible)
    assert [e.rank for e in ranking.items] == list(range(1, len(eligible) + 1))
    shuffled = list(candidates)
    random.Random(seed).shuffle(shuffled)
    assert rank(shuffled, chosen) == ranking
    keys = [(-e.total, -e.test_score) for e in ranking.items]
    assert keys == sorted(keys)


@settings(max_examples=150, deadline=None)
@given(candidates=candidate_sets(), weights=weight_sets, data=st.data())
def test_raising_a_component_never_lowers_the_rank(candidates, weights, data):
    chosen = criteria(weights)
    ranking = rank(candidates, chosen)
    if not ranking.items:
        return
    target = data.draw(st.sampled_from(ranking.items))
    before = target.rank
    original = next(c for c in candidates if c.application_id == target.application_id)
    component = data.draw(st.sampled_from(["test_score", "interview", "experience",
                                           "education"]))
    if component == "test_score":
        raised = replace(original, test_score=min(100.0, original.test_score + data.draw(
            scores)))
    elif component == "interview":
        raised = replace(original, interview=min(100.0, (original.interview or 0) + data.draw(
            scores)))
    elif component == "experience":
        raised = replace(original, has_bps_experience=True)
    else:
        raised = replace(original, education=EDUCATION_LEVELS[data.draw(st.integers(
            EDUCATION_LEVELS.index(original.education), len(EDUCATION_LEVELS) - 1))])
    changed = [raised if c.application_id == original.application_id else c
               for c in candidates]
    after = next(e.rank for e in rank(changed, chosen).items
                 if e.application_id == original.application_id)
    assert after <= before


# -- decisions and positions -------------------------------------------------------------------

def test_a_rejection_needs_a_reason_and_an_acceptance_a_ranked_application():
    assert check_final_decision("accepted", None, ranked=True, decided=False,
                                announced=False) == ("accepted", None)
    assert check_final_decision("rejected", "  Nilai di bawah standar ", ranked=False,
                                decided=False, announced=False) == (
        "rejected", "Nilai di bawah standar")
    with pytest.raises(ReasonRequired):
        check_final_decision("rejected", "  ", ranked=True, decided=False, announced=False)
    with pytest.raises(NotRanked):
        check_final_decision("accepted", None, ranked=False, decided=False, announced=False)
    with pytest.raises(UnknownFinalDecision):
        check_final_decision("needs_confirmation", "x", ranked=True, decided=False,
                             announced=False)


def test_a_decided_application_is_final_and_nothing_is_decided_after_the_announcement():
    with pytest.raises(AlreadyDecided):
        check_final_decision("rejected", "x", ranked=True, decided=True, announced=False)
    with pytest.raises(AlreadyAnnounced):
        check_final_decision("accepted", None, ranked=True, decided=False, announced=True)


def test_the_positions_cap():
    check_positions(4, 1, 5)
    check_positions(0, 5, 5)
    with pytest.raises(PositionsFilled):
        check_positions(5, 1, 5)
    with pytest.raises(PositionsFilled):
        check_positions(3, 3, 5)


# -- the announcement --------------------------------------------------------------------------

def test_the_announcement_is_on_the_dot():
    assert not is_announced(T0, None, T0 - timedelta(microseconds=1))
    assert is_announced(T0, None, T0)
    assert is_announced(T0 + timedelta(days=1), T0, T0)  # announced once: stays so
    assert not is_announced(None, None, T0)


@pytest.mark.parametrize(("stored", "decision", "before", "after"), [
    ("pending", "accepted", "pending", "accepted"),
    ("pending", "rejected", "pending", "rejected"),
    ("pending", None, "pending", "rejected"),
    ("withdrawn", None, "withdrawn", "withdrawn"),
    ("withdrawn", "rejected", "withdrawn", "withdrawn"),
    ("accepted", "accepted", "pending", "accepted"),
])
def test_the_switch(stored, decision, before, after):
    assert visible_final_status(stored, decision, announced=False) == before
    assert visible_final_status(stored, decision, announced=True) == after
    assert announced_status(stored, decision) == after


def test_the_own_total_only_from_the_announcement_and_only_when_disclosed():
    assert visible_total(70.5, criteria(disclose=True), announced=True) == 70.5
    assert visible_total(70.5, criteria(disclose=True), announced=False) is None
    assert visible_total(70.5, criteria(disclose=False), announced=True) is None
    assert visible_total(70.5, None, announced=True) is None
