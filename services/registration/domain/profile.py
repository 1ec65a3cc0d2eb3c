"""The candidate (calon mitra) profile: education levels, phone numbers, age and the rules
a profile must satisfy before it is stored.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import phonenumbers

from services.registration.domain.nik import decode_nik, nik_problems
from services.shared.contracts import regions
from services.shared.contracts.calendar import local_date
from services.shared.contracts.vocabulary import EDUCATION_LEVELS, SEXES, STATEMENT_KEYS, age_on

# The fields a candidate fills in; the kecamatan comes from the NIK.
PROFILE_FIELDS: tuple[str, ...] = (
    "nik", "full_name", "sex", "birth_date", "phone", "address", "domicile_regency_code",
    "education", "occupation", "is_asn", "has_other_institution_contract",
    "has_bps_experience", "has_capi_experience", "owns_smartphone", "can_use_computer",
    "can_ride_motorbike", "statements",
)
MINIMUM_AGE = 15  # the youngest a profile accepts; an activity's age rule ranks the rest

_MAX_PHONE_INPUT = 64  # phonenumbers itself caps at 250; a phone field never needs more


def normalize_phone(raw: str) -> str:
    """E.164 form ("+6281234567890") of a valid Indonesian number; ValueError otherwise.

    Accepts the ways people write them: "0812...", "62812...", "+62 812-...".
    """
    if not isinstance(raw, str) or not raw.strip() or len(raw) > _MAX_PHONE_INPUT:
        raise ValueError("Not a phone number.")
    text = raw.strip()
    # "62812..." without "+" would be read as a national number starting with 62.
    if text.startswith("62"):
        text = "+" + text
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException as exc:
        raise ValueError("Not a phone number.") from exc
    if (
        not phonenumbers.is_valid_number(number)
        or phonenumbers.region_code_for_number(number) != "ID"
    ):
        raise ValueError("Not a valid Indonesian phone number.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _blank(value: object) -> bool:
    return not isinstance(value, str) or not value.strip()


def profile_today(profile: Mapping[str, Any], now: datetime) -> date:
    """The date the profile's rules count on at the aware moment ``now``: the local date of
    the candidate's clock (services/shared/contracts/calendar.py), the rule selection counts
    the age at registration with. A candidate has no satker before applying, so the clock is
    the domicile regency's: every kabupaten/kota is a satker region too (its BPS Kabupaten/
    Kota), the one a candidate most likely applies to. An unknown domicile, refused anyway,
    counts on BPS RI's clock."""
    domicile = profile.get("domicile_regency_code")
    return local_date(now, domicile if regions.regency(domicile) else regions.BPS_RI_CODE)


def profile_problems(profile: Mapping[str, Any], now: datetime) -> dict[str, list[str]]:
    """Field -> messages for a profile whose types are already checked, saved at the aware
    moment ``now``; {} means valid."""
    problems: dict[str, list[str]] = {}
    today = profile_today(profile, now)

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    birth_date = profile.get("birth_date")
    if isinstance(birth_date, datetime):  # a datetime cannot be compared with a date
        birth_date = birth_date.date()
    sex = profile.get("sex")

    if sex not in SEXES:
        add("sex", 'Must be "L" or "P".')
    nik = profile.get("nik")
    for message in nik_problems(
        nik if isinstance(nik, str) else "",
        birth_date if isinstance(birth_date, date) else None,
        sex if sex in SEXES else None,
    ):
        add("nik", message)

    if not isinstance(birth_date, date):
        add("birth_date", "Must be a date.")
    elif birth_date > today:
        add("birth_date", "The birth date is in the future.")
    elif age_on(birth_date, today) < MINIMUM_AGE:
        add("birth_date", f"The candidate must be at least {MINIMUM_AGE} years old.")

    if regions.regency(profile.get("domicile_regency_code")) is None:
        add("domicile_regency_code", "Unknown regency (kabupaten/kota) code.")
    if profile.get("education") not in EDUCATION_LEVELS:
        add("education", "Unknown education level.")
    phone = profile.get("phone")
    try:
        normalize_phone(phone if isinstance(phone, str) else "")
    except ValueError:
        add("phone", "Not a valid Indonesian phone number.")
    for field in ("full_name", "address"):
        if _blank(profile.get(field)):
            add(field, "Must not be blank.")

    statements = profile.get("statements")
    if not isinstance(statements, dict):
        add("statements", "Must be an object.")
    else:
        for key in STATEMENT_KEYS:
            if key not in statements:
                add("statements", f"Missing statement: {key}.")
        for key in statements:
            if key not in STATEMENT_KEYS:
                add("statements", f"Unknown statement: {key}.")
    return problems


def stored_values(profile: Mapping[str, Any]) -> dict[str, Any]:
    """What is stored of a valid profile: the fields filled in, the phone in E.164, the name
    trimmed and the kecamatan of the NIK."""
    values = {field: profile[field] for field in PROFILE_FIELDS}
    values["phone"] = normalize_phone(profile["phone"])
    values["full_name"] = profile["full_name"].strip()
    values["kecamatan_code"] = decode_nik(profile["nik"]).kecamatan_code
    return values
