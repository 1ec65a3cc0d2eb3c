"""Automatic checks of a candidate against an activity's requirements.

The checks inform; the admin decides. A mandatory failure is something the satker admin
should look at before accepting, not an automatic rejection: the admin checks the data against
the uploaded files and may accept, ask for confirmation or reject. A preferred ("diutamakan")
rule never excludes; meeting it only ranks.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from services.shared.contracts.calendar import local_date
from services.shared.contracts.candidate import DocumentSnapshot, ProfileSnapshot
from services.shared.contracts.regions import satker_covers
from services.shared.contracts.requirements import (
    Requirements,
    parse_requirements,
    required_documents,
)
from services.shared.contracts.vocabulary import age_on, education_at_least

__all__ = ["CHECK_ORDER", "AutomaticReview", "Checks", "automatic_review", "evaluate"]

# The order of the names in Checks' lists; the missing documents come after these.
CHECK_ORDER: tuple[str, ...] = (
    "not_asn", "age", "education", "domicile", "bps_experience", "devices", "motorbike",
    "no_other_contract",
)
DOCUMENT_PREFIX = "document:"


@dataclass(frozen=True)
class Checks:
    """What the automatic checks found; it informs the admin, who decides.

    ``mandatory_failures`` names the mandatory rules not met and the missing documents
    ("document:<kind>"); ``preferred_met`` the preferred rules met, ``preferred_score`` how
    many, out of ``preferred_total`` preferred rules in the requirements.
    """

    mandatory_failures: tuple[str, ...]
    preferred_met: tuple[str, ...]
    preferred_score: int
    preferred_total: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "mandatory_failures": list(self.mandatory_failures),
            "preferred_met": list(self.preferred_met),
            "preferred_score": self.preferred_score,
            "preferred_total": self.preferred_total,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Checks:
        return cls(tuple(data["mandatory_failures"]), tuple(data["preferred_met"]),
                   data["preferred_score"], data["preferred_total"])


@dataclass(frozen=True)
class AutomaticReview:
    """The candidate's age and the checks, both taken on the registration date."""

    age: int
    checks: Checks


def _age_met(requirements: Requirements, profile: ProfileSnapshot, registered_on: date) -> bool:
    rule = requirements.age
    if rule is None:
        return False
    # The seeds: "berumur 18 s.d. 50 tahun pada saat registrasi", both ends inclusive.
    return rule.min <= age_on(profile.birth_date, registered_on) <= rule.max


def _education_met(requirements: Requirements, profile: ProfileSnapshot) -> bool:
    rule = requirements.education
    if rule is None:
        return False
    try:
        return education_at_least(profile.education, rule.min)
    except ValueError:  # an unknown level never meets the rule
        return False


def evaluate(
    requirements: Requirements,
    profile: ProfileSnapshot,
    documents: Iterable[DocumentSnapshot],
    satker_code: str,
    registered_on: date,
) -> Checks:
    """Check a candidate's profile snapshot and uploaded documents against the requirements.

    Every rule present is evaluated: a mandatory rule not met is a mandatory failure, a
    preferred rule met counts in ``preferred_met``/``preferred_score``. Every required
    document (photo, KTP, ijazah and the activity's extras) not uploaded is a mandatory
    failure "document:<kind>". Age is the age on ``registered_on``, the registration date;
    the domicile rule asks whether the satker's region covers the domicile regency.

    The checks inform; the admin decides.
    """
    checks: dict[str, Callable[[], bool]] = {
        "not_asn": lambda: not profile.is_asn,
        "age": lambda: _age_met(requirements, profile, registered_on),
        "education": lambda: _education_met(requirements, profile),
        "domicile": lambda: satker_covers(satker_code, profile.domicile_regency_code),
        "bps_experience": lambda: profile.has_bps_experience,
        "devices": lambda: profile.owns_smartphone or profile.can_use_computer,
        "motorbike": lambda: profile.can_ride_motorbike,
        "no_other_contract": lambda: not profile.has_other_institution_contract,
    }
    failures: list[str] = []
    met: list[str] = []
    total = 0
    for key in CHECK_ORDER:
        rule = getattr(requirements, key)
        if rule is None:
            continue
        passed = checks[key]()
        if rule.is_mandatory:
            if not passed:
                failures.append(key)
        else:
            total += 1
            if passed:
                met.append(key)
    uploaded = {document.kind for document in documents}
    failures.extend(
        DOCUMENT_PREFIX + kind for kind in required_documents(requirements) if kind not in uploaded
    )
    return Checks(tuple(failures), tuple(met), len(met), total)


def automatic_review(
    requirements: Mapping[str, Any],
    profile: ProfileSnapshot,
    documents: Iterable[DocumentSnapshot],
    satker_code: str,
    submitted_at: datetime,
) -> AutomaticReview:
    """Age and checks of an application from its raw requirements and a snapshot of the
    candidate, on the registration date: the calendar date of the submission on the satker's
    clock, WIB, WITA or WIT by its province ("berumur ... pada saat registrasi")."""
    registered_on = local_date(submitted_at, satker_code)
    return AutomaticReview(
        age=age_on(profile.birth_date, registered_on),
        checks=evaluate(parse_requirements(requirements), profile, documents, satker_code,
                        registered_on))
