"""Final selection (seleksi akhir) and the announcement (pengumuman): the satker's own criteria,
the ranking made of them, the committee's decisions within the positions, and the switch of
every candidate's final status at the activity's announcement time.

Everything here is pure and follows API.md "Final selection and announcement" to the letter,
because satker admins and candidates re-derive the ranking by hand:

- seven components, each normalised to 0-100 and shown with 2 decimals; ``total`` is the
  weighted mean of the components as shown, rounded to 2 decimals, so the total can be
  recomputed from the ranking's own figures;
- ranked: administratively accepted, test completed, test score >= the minimum; the others
  with a completed test are listed apart (``below_minimum``, no rank); a missed test (withdrawn)
  is never listed;
- order: total descending, test score descending, the earlier application, the registration
  number (and the application id, should two share one): the same input gives the same order.
"""
from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.selection.domain.assessment_results import COMPLETED, FINAL_PENDING, WITHDRAWN
from services.selection.domain.errors import (
    AlreadyAnnounced,
    AlreadyDecided,
    InvalidFinalCriteria,
    NotRanked,
    PositionsFilled,
    ReasonNotText,
    ReasonRequired,
    UnknownFinalDecision,
)
from services.shared.contracts.regions import satker_covers
from services.shared.contracts.vocabulary import EDUCATION_LEVELS

__all__ = [
    "ACCEPTED",
    "COMPONENTS",
    "FINAL_DECISIONS",
    "MAX_POSITIONS",
    "REJECTED",
    "CandidateFacts",
    "FinalCriteria",
    "FinalDecision",
    "RankedCandidate",
    "Ranking",
    "announced_status",
    "check_final_decision",
    "check_positions",
    "components_of",
    "is_announced",
    "nik_digest",
    "rank",
    "top_undecided",
    "total_of",
    "validate_criteria",
    "visible_final_status",
    "visible_total",
]

COMPONENTS: tuple[str, ...] = (
    "test_score", "preferred_score", "experience", "education", "domicile", "interview",
    "performance",
)
ACCEPTED = "accepted"
REJECTED = "rejected"
FINAL_DECISIONS: tuple[str, ...] = (ACCEPTED, REJECTED)
MAX_POSITIONS = 100_000
_EDUCATION_STEP = 100 / (len(EDUCATION_LEVELS) - 1)  # SD 0 ... S3 100, evenly spaced


# -- criteria ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class FinalCriteria:
    """The satker's criteria for one activity: how many mitra it needs (``positions``), the
    weight of each component (all seven, 0 for one not used), the minimum test score and
    whether candidates see their own score."""

    positions: int
    weights: Mapping[str, float]
    min_test_score: float
    disclose_scores: bool

    def to_dict(self) -> dict[str, Any]:
        return {"positions": self.positions, "weights": dict(self.weights),
                "min_test_score": self.min_test_score, "disclose_scores": self.disclose_scores}


def _is_number(value: object) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def validate_criteria(positions: object, weights: object, min_test_score: object,
                      disclose_scores: object) -> FinalCriteria:
    """The criteria, or InvalidFinalCriteria naming every field wrong: ``positions`` a whole
    number 1..MAX_POSITIONS; ``weights`` a mapping of the components (unknown names refused, a
    component left out weighs 0), each a non-negative number, not all zero;
    ``min_test_score`` 0-100; ``disclose_scores`` true or false."""
    errors: dict[str, list[str]] = {}
    if (isinstance(positions, bool) or not isinstance(positions, int)
            or not 1 <= positions <= MAX_POSITIONS):
        errors["positions"] = [f"Must be a whole number from 1 to {MAX_POSITIONS}."]
    clean: dict[str, float] = dict.fromkeys(COMPONENTS, 0.0)
    if not isinstance(weights, Mapping):
        errors["weights"] = ["Must be an object of weights by component."]
    else:
        problems = []
        unknown = sorted(str(key) for key in weights if key not in COMPONENTS)
        if unknown:
            problems.append(f"Unknown components: {', '.join(unknown)}; use "
                            f"{', '.join(COMPONENTS)}.")
        for name in COMPONENTS:
            if name not in weights:
                continue
            value = weights[name]
            if not _is_number(value) or value < 0:
                problems.append(f"{name}: must be a number >= 0.")
            else:
                clean[name] = float(value)
        if not problems and not any(clean.values()):
            problems.append("At least one weight must be above 0.")
        if problems:
            errors["weights"] = problems
    if not _is_number(min_test_score) or not 0 <= min_test_score <= 100:
        errors["min_test_score"] = ["Must be a number from 0 to 100."]
    if not isinstance(disclose_scores, bool):
        errors["disclose_scores"] = ["Must be true or false."]
    if errors:
        raise InvalidFinalCriteria(errors)
    return FinalCriteria(positions, clean, float(min_test_score), disclose_scores)


# -- components, total, ranking ----------------------------------------------------------------

@dataclass(frozen=True)
class CandidateFacts:
    """What selection's read model holds of one application, as the ranking needs it.
    ``final_status`` is the stored one (pending, withdrawn); ``decision`` the committee's final
    decision, if any; ``interview`` and ``performance`` None when unknown."""

    application_id: str
    registration_number: str
    full_name: str
    submitted_at: datetime
    administrative_status: str
    test_status: str | None
    test_score: float | None
    preferred_met: int
    preferred_total: int
    has_bps_experience: bool
    education: str
    domicile_regency_code: str
    satker_code: str
    interview: float | None = None
    performance: float | None = None
    final_status: str = FINAL_PENDING
    decision: str | None = None


def _shown(value: float) -> float:
    """A component or total as shown: 2 decimals."""
    return round(value + 0.0, 2)


# Education shown per level: SD 0.0 ... S3 100.0.
_EDUCATION_SHOWN = {level: _shown(number * _EDUCATION_STEP)
                    for number, level in enumerate(EDUCATION_LEVELS)}


def _components(facts: CandidateFacts, covers: dict[tuple[str, str], bool]) -> dict[str, float]:
    place = (facts.satker_code, facts.domicile_regency_code)
    covered = covers.get(place)
    if covered is None:
        covered = covers[place] = satker_covers(*place)
    return {
        "test_score": _shown(facts.test_score or 0.0),
        "preferred_score": (_shown(100 * facts.preferred_met / facts.preferred_total)
                            if facts.preferred_total > 0 else 0.0),
        "experience": 100.0 if facts.has_bps_experience else 0.0,
        # An unknown level scores as the lowest.
        "education": _EDUCATION_SHOWN.get(facts.education, 0.0),
        "domicile": 100.0 if covered else 0.0,
        "interview": _shown(facts.interview or 0.0),
        "performance": _shown(facts.performance or 0.0),
    }


def components_of(facts: CandidateFacts) -> dict[str, float]:
    """The seven components of one candidate, each 0-100 with 2 decimals."""
    return _components(facts, {})


def _weighing(weights: Mapping[str, float]) -> tuple[list[tuple[str, float]], float]:
    """The components that weigh (in COMPONENTS order) and the sum of the weights."""
    used = [(name, weights[name]) for name in COMPONENTS if weights[name]]
    return used, sum(weight for _, weight in used)


def _total(components: Mapping[str, float], used: list[tuple[str, float]],
           weight_sum: float) -> float:
    return _shown(sum(components[name] * weight for name, weight in used) / weight_sum)


def total_of(components: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """The weighted mean of the components, rounded to 2 decimals (weights not all zero)."""
    return _total(components, *_weighing(weights))


@dataclass(slots=True)
class RankedCandidate:
    application_id: str
    registration_number: str
    full_name: str
    rank: int | None
    total: float
    components: dict[str, float]
    test_score: float
    final_status: str
    interview_score: float | None = None  # as entered; None: none entered (the component: 0)


@dataclass(frozen=True)
class Ranking:
    items: tuple[RankedCandidate, ...]
    below_minimum: tuple[RankedCandidate, ...]


def _admin_final_status(facts: CandidateFacts) -> str:
    """What the admin sees: the committee's decision, else the stored status."""
    return facts.decision or facts.final_status


def rank(candidates: Iterable[CandidateFacts], criteria: FinalCriteria) -> Ranking:
    """The ranking of an activity's applications under ``criteria``: see the module docstring.
    Only applications with a completed test are listed; ranks are 1..n in order."""
    used, weight_sum = _weighing(criteria.weights)
    minimum = criteria.min_test_score
    covers: dict[tuple[str, str], bool] = {}
    ranked: list[tuple] = []
    apart: list[tuple] = []
    for facts in candidates:
        if facts.test_status != COMPLETED or facts.final_status == WITHDRAWN:
            continue
        components = _components(facts, covers)
        total = _total(components, used, weight_sum)
        test_score = components["test_score"]
        # The order: total desc, test score desc, the earlier application, the number.
        key = (-total, -test_score, facts.submitted_at, facts.registration_number,
               facts.application_id)
        eligible = (facts.administrative_status == ACCEPTED
                    and (facts.test_score or 0.0) >= minimum)
        (ranked if eligible else apart).append((key, facts, components, total, test_score))
    ranked.sort(key=_first)
    apart.sort(key=_first)
    return Ranking(
        items=tuple(_entry(row, number) for number, row in enumerate(ranked, 1)),
        below_minimum=tuple(_entry(row, None) for row in apart))


def _first(row: tuple) -> tuple:
    return row[0]


def _entry(row: tuple, number: int | None) -> RankedCandidate:
    _, facts, components, total, test_score = row
    return RankedCandidate(facts.application_id, facts.registration_number, facts.full_name,
                           number, total, components, test_score, _admin_final_status(facts),
                           facts.interview)


def top_undecided(ranking: Ranking, count: int) -> list[str]:
    """The first ``count`` ranked candidates not decided yet, in rank order (fewer if fewer
    are left)."""
    undecided = [entry.application_id for entry in ranking.items
                 if entry.final_status not in FINAL_DECISIONS]
    return undecided[:max(count, 0)]


# -- decisions ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class FinalDecision:
    """One final decision, as the audit trail keeps it."""

    application_id: str
    activity_id: str
    decision: str
    reason: str | None
    decided_by: str
    decided_by_role: str
    decided_at: datetime


def check_final_decision(decision: object, reason: object, *, ranked: bool,
                         decided: bool, announced: bool) -> tuple[str, str | None]:
    """(decision, reason stripped) if the committee may decide so, else the refusal.

    ``ranked``: the application is in the ranking's ``items``; only those may be accepted,
    any application may be rejected. A decision needs a reason unless it accepts. A decided
    application is final ("keputusan panitia bersifat mutlak"), and nothing is decided once
    the results are announced."""
    if not isinstance(decision, str) or decision not in FINAL_DECISIONS:
        raise UnknownFinalDecision()
    if reason is not None and not isinstance(reason, str):
        raise ReasonNotText()
    cleaned = reason.strip() or None if isinstance(reason, str) else None
    if decision == REJECTED and cleaned is None:
        raise ReasonRequired()
    if announced:
        raise AlreadyAnnounced()
    if decided:
        raise AlreadyDecided()
    if decision == ACCEPTED and not ranked:
        raise NotRanked()
    return decision, cleaned


def check_positions(accepted: int, adding: int, positions: int) -> None:
    """PositionsFilled if ``adding`` more accepted would pass ``positions`` (the database
    holds the same rule: the counter's CHECK and a conditional increment)."""
    if accepted + adding > positions:
        raise PositionsFilled(positions, accepted)


# -- the announcement --------------------------------------------------------------------------

def is_announced(announcement_at: datetime | None, announced_at: datetime | None,
                 now: datetime) -> bool:
    """Whether the results are out: from the activity's announcement time (on the dot, even
    before the timer's run records it), or once they were announced."""
    return announced_at is not None or (announcement_at is not None and now >= announcement_at)


def announced_status(final_status: str, decision: str | None) -> str:
    """The final status the announcement gives: a withdrawn candidate stays withdrawn, one
    the committee accepted is accepted, every other is rejected (whatever stage it reached)."""
    if final_status == WITHDRAWN:
        return WITHDRAWN
    return ACCEPTED if decision == ACCEPTED else REJECTED


def visible_final_status(final_status: str, decision: str | None, announced: bool) -> str:
    """The candidate's final status: ``pending`` until the announcement (``withdrawn`` from
    the end of a missed session), the announced status from then."""
    if announced:
        return announced_status(final_status, decision)
    return WITHDRAWN if final_status == WITHDRAWN else FINAL_PENDING


def visible_total(total: float | None, criteria: FinalCriteria | None,
                  announced: bool) -> float | None:
    """The candidate's own total as they may see it: from the announcement, and only where
    the criteria disclose scores."""
    if not announced or criteria is None or not criteria.disclose_scores:
        return None
    return total


# -- the mitra roster (MitraDirectory) ---------------------------------------------------------

def nik_digest(nik: str) -> str:
    """The NIK's SHA-256 (hex): how another satker asks about a person without sending the
    NIK itself, and how the roster keeps it."""
    return hashlib.sha256(nik.encode("ascii")).hexdigest()
