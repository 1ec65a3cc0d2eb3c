"""Rules of a recruitment activity and of applying to it.

Pure functions: the caller passes in "now", the count of applications and what it loaded,
and gets back either nothing (allowed) or the refusal.
"""
from __future__ import annotations

import re
from datetime import datetime

from services.registration.domain.errors import (
    QuotaBelowApplications,
    QuotaFull,
    RegistrationNotOpen,
    WindowClosed,
)
from services.shared.contracts import regions
from services.shared.contracts.candidate import ProfileSnapshot
from services.shared.contracts.requirements import Requirements, required_documents
from services.shared.contracts.vocabulary import STATEMENT_KEYS

NAME_MAX_LENGTH = 200
YEAR_RANGE = (2000, 2100)

MSG_NO_PROFILE = "The profile is not filled in."
SUBMITTED = "submitted"  # an application's status in registration: the stages are selection's

_SATKER = re.compile(r"[0-9]{4}")


def _is_aware(value: object) -> bool:
    # Comparing a naive with an aware datetime raises, and a naive one has no defined instant.
    return isinstance(value, datetime) and value.utcoffset() is not None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def activity_problems(
    name: str,
    year: int,
    satker_code: str,
    registration_opens_at: datetime,
    registration_closes_at: datetime,
    announcement_at: datetime,
    quota: int | None,
) -> dict[str, list[str]]:
    """Field -> messages for a new or edited activity; {} means valid."""
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if not isinstance(name, str) or not name.strip():
        add("name", "Must not be blank.")
    elif len(name) > NAME_MAX_LENGTH:
        add("name", f"Must be at most {NAME_MAX_LENGTH} characters.")

    low, high = YEAR_RANGE
    if not (_is_int(year) and low <= year <= high):
        add("year", f"Must be a year from {low} to {high}.")

    if not regions.is_valid_satker_code(satker_code):
        add("satker_code", "Unknown satker code.")

    times = {
        "registration_opens_at": registration_opens_at,
        "registration_closes_at": registration_closes_at,
        "announcement_at": announcement_at,
    }
    for field, value in times.items():
        if not _is_aware(value):
            add(field, "Must be a date-time with a UTC offset.")
    # The order checks only make sense between times that are themselves valid.
    if (_is_aware(registration_opens_at) and _is_aware(registration_closes_at)
            and registration_closes_at <= registration_opens_at):
        add("registration_closes_at", "Must be after registration_opens_at.")
    if (_is_aware(registration_closes_at) and _is_aware(announcement_at)
            and announcement_at < registration_closes_at):
        add("announcement_at", "Must not be before registration_closes_at.")

    if quota is not None and not (_is_int(quota) and quota >= 1):
        add("quota", "Must be null (no quota) or a whole number of at least 1.")
    return problems


def window_refusal(
    opens_at: datetime, closes_at: datetime, now: datetime
) -> RegistrationNotOpen | WindowClosed | None:
    """Why registration is refused at ``now``, or None: open from opens_at (inclusive)
    until closes_at (exclusive)."""
    if now < opens_at:
        return RegistrationNotOpen()
    if now >= closes_at:
        return WindowClosed()
    return None


def quota_refusal(quota: int | None, application_count: int) -> QuotaFull | None:
    """Why one more application is refused, or None; a quota of None never fills."""
    if quota is not None and application_count >= quota:
        return QuotaFull()
    return None


def is_open(opens_at: datetime, closes_at: datetime, quota: int | None,
            application_count: int, now: datetime) -> bool:
    """Whether a candidate could apply at ``now`` (window open, a place left)."""
    return (window_refusal(opens_at, closes_at, now) is None
            and quota_refusal(quota, application_count) is None)


def quota_floor_refusal(quota: int | None,
                        application_count: int) -> QuotaBelowApplications | None:
    """A quota cannot be lower than the applications already made (none is taken back)."""
    if quota is not None and quota < application_count:
        return QuotaBelowApplications(application_count)
    return None


def missing_for_application(
    profile: ProfileSnapshot | None, uploaded_kinds: set[str], requirements: Requirements
) -> dict[str, list[str]]:
    """What the candidate still has to do before applying; {} when complete.

    "statements" lists the statement keys not ticked true; "documents" lists the required
    document kinds not uploaded, in required order. Mandatory requirements (age, ASN, ...)
    are not checked here: the satker admin decides on those in administrative selection.
    """
    missing: dict[str, list[str]] = {}
    if profile is None:
        missing["profile"] = [MSG_NO_PROFILE]
    else:
        unticked = [key for key in STATEMENT_KEYS
                    if getattr(profile.statements, key) is not True]
        if unticked:
            missing["statements"] = unticked
    # Listed even without a profile, so the candidate sees everything left at once.
    documents = [kind for kind in required_documents(requirements) if kind not in uploaded_kinds]
    if documents:
        missing["documents"] = documents
    return missing


def registration_number(satker_code: str, year: int, seq: int) -> str:
    """Satker, activity year and sequence zero-padded to 5 (wider if needed): 3528-2026-00042."""
    if not (isinstance(satker_code, str) and _SATKER.fullmatch(satker_code)):
        raise ValueError("satker_code must be 4 digits.")
    if not _is_int(year) or year < 0:
        raise ValueError("year must be a non-negative whole number.")
    if not _is_int(seq) or seq < 1:
        raise ValueError("seq must be a whole number of at least 1.")
    return f"{satker_code}-{year}-{seq:05d}"
