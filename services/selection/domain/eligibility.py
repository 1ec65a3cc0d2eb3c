"""Automatic checks of a candidate against an activity's requirements.

The checks inform; the admin decides (DOMAIN.md, step 6). A mandatory failure is something
the satker admin should look at before accepting, not an automatic rejection: the admin checks
the data against the uploaded files and may accept, ask for confirmation or reject. A
preferred ("diutamakan") rule never excludes; meeting it only ranks.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from services.shared.contracts.requirements import Requirements, required_documents
from services.shared.contracts.vocabulary import age_on, education_at_least

__all__ = ["CHECK_ORDER", "Checks", "domicile_matches", "evaluate"]

# The order of the names in Checks' lists; the missing documents come after these.
CHECK_ORDER: tuple[str, ...] = (
    "not_asn", "age", "education", "domicile", "bps_experience", "devices", "motorbike",
    "no_other_contract",
)
DOCUMENT_PREFIX = "document:"
NATIONAL_SATKER = "0000"  # BPS RI (pusat)


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


def _as_date(value: object) -> date | None:
    """A date from a date, a datetime or an ISO "YYYY-MM-DD" string; None otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _yes(profile: Mapping, key: str) -> bool:
    """True only for an explicit yes: an unknown answer never meets a rule."""
    return profile.get(key) is True


def _no(profile: Mapping, key: str) -> bool:
    """True only for an explicit no."""
    return profile.get(key) is False


def domicile_matches(domicile_regency_code: object, satker_code: str) -> bool:
    """Whether a domicile regency lies in a satker's region.

    A kab/kota satker ("3528") covers that regency; a province satker ("3500") every regency
    of the province ("35xx"); BPS RI ("0000") the whole country.
    """
    if satker_code == NATIONAL_SATKER:
        return True
    if not isinstance(domicile_regency_code, str) or len(domicile_regency_code) != 4:
        return False
    if not domicile_regency_code.isdigit():
        return False
    if satker_code.endswith("00"):
        return domicile_regency_code[:2] == satker_code[:2]
    return domicile_regency_code == satker_code


def _age_met(requirements: Requirements, profile: Mapping, registered_on: date) -> bool:
    rule = requirements.age
    birth_date = _as_date(profile.get("birth_date"))
    if rule is None or birth_date is None:
        return False
    # The seeds: "berumur 18 s.d. 50 tahun pada saat registrasi", both ends inclusive.
    return rule.min <= age_on(birth_date, registered_on) <= rule.max


def _education_met(requirements: Requirements, profile: Mapping) -> bool:
    rule = requirements.education
    if rule is None:
        return False
    try:
        return education_at_least(profile.get("education"), rule.min)  # type: ignore[arg-type]
    except ValueError:  # an unknown level never meets the rule
        return False


def evaluate(
    requirements: Requirements,
    profile: Mapping[str, Any],
    document_kinds: Collection[str],
    satker_code: str,
    registered_on: date,
) -> Checks:
    """Check a candidate's profile snapshot and uploaded documents against the requirements.

    Every rule present is evaluated: a mandatory rule not met is a mandatory failure, a
    preferred rule met counts in ``preferred_met``/``preferred_score``. Every required
    document (photo, KTP, ijazah and the activity's extras) not uploaded is a mandatory
    failure "document:<kind>". Age is the age on ``registered_on``, the registration date.

    The checks inform; the admin decides.
    """
    checks: dict[str, Callable[[], bool]] = {
        "not_asn": lambda: _no(profile, "is_asn"),
        "age": lambda: _age_met(requirements, profile, registered_on),
        "education": lambda: _education_met(requirements, profile),
        "domicile": lambda: domicile_matches(profile.get("domicile_regency_code"), satker_code),
        "bps_experience": lambda: _yes(profile, "has_bps_experience"),
        "devices": lambda: _yes(profile, "owns_smartphone") or _yes(profile, "can_use_computer"),
        "motorbike": lambda: _yes(profile, "can_ride_motorbike"),
        "no_other_contract": lambda: _no(profile, "has_other_institution_contract"),
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
    uploaded = set(document_kinds)
    failures.extend(
        DOCUMENT_PREFIX + kind for kind in required_documents(requirements) if kind not in uploaded
    )
    return Checks(tuple(failures), tuple(met), len(met), total)
