"""Requirements of a recruitment activity, as a satker writes them in its announcement.

Each requirement is either "mandatory" (it excludes) or "preferred" ("diutamakan": it ranks,
it does not exclude). The raw form is the JSON of the HTTP API; ``parse_requirements`` checks it
and ``Requirements.to_dict`` gives it back unchanged.

The form is a contract between services: registration validates it when an activity is
created, selection evaluates a candidate against it. So it lives in ``services.shared``.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.shared.contracts.errors import InvalidInput
from services.shared.contracts.vocabulary import ALWAYS_REQUIRED, DOCUMENT_KINDS, EDUCATION_LEVELS

__all__ = [
    "AGE_BOUNDS",
    "MANDATORY",
    "PREFERRED",
    "REQUIREMENT_KEYS",
    "RULES",
    "SIMPLE_REQUIREMENTS",
    "AgeRule",
    "EducationRule",
    "Requirements",
    "Rule",
    "parse_requirements",
    "required_documents",
]

MANDATORY = "mandatory"
PREFERRED = "preferred"
RULES: tuple[str, ...] = (MANDATORY, PREFERRED)
AGE_BOUNDS = (15, 80)
# Requirements that are just a strength, in the order to_dict writes them.
SIMPLE_REQUIREMENTS: tuple[str, ...] = (
    "domicile", "not_asn", "bps_experience", "devices", "motorbike", "no_other_contract",
)
REQUIREMENT_KEYS: tuple[str, ...] = ("age", "education", *SIMPLE_REQUIREMENTS, "extra_documents")
# Signed after final selection, so it can never be a condition of registering.
_NOT_EXTRA = ("pakta_integritas",)


class _Strength:
    rule: str  # "mandatory" or "preferred"

    @property
    def is_mandatory(self) -> bool:
        return self.rule == MANDATORY


@dataclass(frozen=True)
class Rule(_Strength):
    rule: str


@dataclass(frozen=True)
class AgeRule(_Strength):
    min: int  # age in whole years at registration, inclusive
    max: int
    rule: str


@dataclass(frozen=True)
class EducationRule(_Strength):
    min: str  # an EDUCATION_LEVELS code
    rule: str


@dataclass(frozen=True)
class Requirements:
    """Parsed requirements; a rule left out of the announcement is None."""

    age: AgeRule | None = None
    education: EducationRule | None = None
    domicile: Rule | None = None
    not_asn: Rule | None = None
    bps_experience: Rule | None = None
    devices: Rule | None = None  # smartphone/tablet and computer
    motorbike: Rule | None = None
    no_other_contract: Rule | None = None  # no contract with another K/L/D/I this year
    extra_documents: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The raw JSON form; ``parse_requirements(r.to_dict()) == r``."""
        raw: dict[str, Any] = {}
        if self.age is not None:
            raw["age"] = {"min": self.age.min, "max": self.age.max, "rule": self.age.rule}
        if self.education is not None:
            raw["education"] = {"min": self.education.min, "rule": self.education.rule}
        for key in SIMPLE_REQUIREMENTS:
            rule: Rule | None = getattr(self, key)
            if rule is not None:
                raw[key] = {"rule": rule.rule}
        raw["extra_documents"] = list(self.extra_documents)
        return raw


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)  # JSON true is not 1


class _Parser:
    """Collects every error of one raw requirements object, keyed by dotted path."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)

    def fields(self, key: str, value: object, allowed: tuple[str, ...]) -> Mapping | None:
        """The rule object if it is one, with unknown fields and a bad "rule" reported."""
        path = f"requirements.{key}"
        if not isinstance(value, Mapping):
            self.add(path, "Must be an object.")
            return None
        for name in value:
            if name not in allowed:
                self.add(f"{path}.{name}", "Unknown field.")
        for name in allowed:
            if name not in value:
                self.add(f"{path}.{name}", "Missing data for required field.")
        if "rule" in value and value["rule"] not in RULES:
            self.add(f"{path}.rule", f"Must be one of: {', '.join(RULES)}.")
        return value

    def count(self) -> int:
        return sum(len(messages) for messages in self.errors.values())

    def age(self, value: object) -> AgeRule | None:
        before = self.count()
        raw = self.fields("age", value, ("min", "max", "rule"))
        if raw is None:
            return None
        low, high = AGE_BOUNDS
        message = f"Must be a whole number from {low} to {high}."
        bounds = [raw.get(name) for name in ("min", "max")]
        for name, bound in zip(("min", "max"), bounds, strict=True):
            if name in raw and not (_is_int(bound) and low <= bound <= high):
                self.add(f"requirements.age.{name}", message)
        valid_bounds = all(_is_int(b) and low <= b <= high for b in bounds)
        if valid_bounds and bounds[0] > bounds[1]:  # reported even when "rule" is also wrong
            self.add("requirements.age.max", "Must not be less than min.")
        if self.count() > before:  # one error is enough to refuse; build nothing
            return None
        return AgeRule(raw["min"], raw["max"], raw["rule"])

    def education(self, value: object) -> EducationRule | None:
        before = self.count()
        raw = self.fields("education", value, ("min", "rule"))
        if raw is None:
            return None
        if "min" in raw and raw["min"] not in EDUCATION_LEVELS:
            levels = ", ".join(EDUCATION_LEVELS)
            self.add("requirements.education.min", f"Must be one of: {levels}.")
        if self.count() > before:
            return None
        return EducationRule(raw["min"], raw["rule"])

    def simple(self, key: str, value: object) -> Rule | None:
        before = self.count()
        raw = self.fields(key, value, ("rule",))
        if raw is None or self.count() > before:
            return None
        return Rule(raw["rule"])

    def extra_documents(self, value: object) -> tuple[str, ...]:
        path = "requirements.extra_documents"
        # A string is iterable too; refuse it rather than reading "cv" as ("c", "v").
        if not isinstance(value, (list, tuple)):
            self.add(path, "Must be a list.")
            return ()
        seen: list[str] = []
        for kind in value:
            if not isinstance(kind, str) or kind not in DOCUMENT_KINDS:
                self.add(path, f"Unknown document kind: {kind!r}.")
            elif kind in ALWAYS_REQUIRED:
                self.add(path, f"{kind} is always required; do not list it.")
            elif kind in _NOT_EXTRA:
                self.add(path, f"{kind} is asked for after final selection, not at registration.")
            elif kind in seen:
                self.add(path, f"Listed more than once: {kind}.")
            else:
                seen.append(kind)
        return tuple(seen)


def parse_requirements(raw: Mapping | None) -> Requirements:
    """Check the raw JSON requirements; InvalidInput with every error if anything is wrong.

    None and {} both mean: no requirements beyond the always-required documents.
    """
    if raw is None:
        return Requirements()
    parser = _Parser()
    if not isinstance(raw, Mapping):
        parser.add("requirements", "Must be an object.")
        raise InvalidInput(parser.errors)
    for key in raw:
        if key not in REQUIREMENT_KEYS:
            parser.add(f"requirements.{key}", "Unknown requirement.")
    parsed: dict[str, Any] = {}
    if "age" in raw:
        parsed["age"] = parser.age(raw["age"])
    if "education" in raw:
        parsed["education"] = parser.education(raw["education"])
    for key in SIMPLE_REQUIREMENTS:
        if key in raw:
            parsed[key] = parser.simple(key, raw[key])
    if "extra_documents" in raw:
        parsed["extra_documents"] = parser.extra_documents(raw["extra_documents"])
    if parser.errors:
        raise InvalidInput(parser.errors)
    return Requirements(**parsed)


def required_documents(requirements: Requirements) -> tuple[str, ...]:
    """Document kinds an application needs: the always-required ones, then the extras."""
    return ALWAYS_REQUIRED + requirements.extra_documents
