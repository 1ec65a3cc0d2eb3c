"""Builders the tests share: one candidate, as each layer sees it (the HTTP body, the
registration domain's profile fields, the typed snapshot other services receive), NIKs for
any birth date and sex, and the requirements of the three announcements the product comes
from (Pamekasan 2024, Jepara 2025, Banjar 2025)."""
from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date
from typing import Any

from services.shared.contracts.candidate import DocumentSnapshot, ProfileSnapshot, Statements
from services.shared.contracts.requirements import MANDATORY, PREFERRED
from services.shared.contracts.vocabulary import STATEMENT_KEYS

_FEMALE_DAY_OFFSET = 40
_serials = itertools.count(1)


def encode_nik(kecamatan_code: str, birth_date: date, sex: str, serial: int = 1) -> str:
    """Build a NIK from its parts (the kecamatan need not exist)."""
    if not (isinstance(kecamatan_code, str) and len(kecamatan_code) == 6
            and kecamatan_code.isdigit()):
        raise ValueError("kecamatan_code must be 6 digits.")
    if sex not in ("L", "P"):
        raise ValueError('sex must be "L" or "P".')
    if isinstance(serial, bool) or not isinstance(serial, int) or not 0 <= serial <= 9999:
        raise ValueError("serial must be an integer in 0..9999.")
    day = birth_date.day + (_FEMALE_DAY_OFFSET if sex == "P" else 0)
    return (
        f"{kecamatan_code}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"
        f"{serial:04d}"
    )



def profile_fields(sex: str = "P", birth: date = date(1995, 3, 14), kecamatan: str = "352801",
                   **changes: Any) -> dict[str, Any]:
    """A complete, valid candidate profile as the candidate fills it in (birth_date a date);
    each call has its own NIK."""
    fields: dict[str, Any] = {
        "nik": encode_nik(kecamatan, birth, sex, next(_serials) % 9999 + 1),
        "full_name": "Siti Aminah", "sex": sex, "birth_date": birth,
        "phone": "0812-3456-7890", "address": "Jl. Raya Tlanakan No. 5, Pamekasan",
        "domicile_regency_code": kecamatan[:4], "education": "SMA",
        "occupation": "Wiraswasta", "is_asn": False, "has_other_institution_contract": False,
        "has_bps_experience": True, "has_capi_experience": False, "owns_smartphone": True,
        "can_use_computer": True, "can_ride_motorbike": True,
        "statements": dict.fromkeys(STATEMENT_KEYS, True),
    }
    fields.update(changes)
    return fields


def profile_body(**changes: Any) -> dict[str, Any]:
    """The same profile as the JSON body of PUT /api/v1/me/profile."""
    body = profile_fields(**{k: v for k, v in changes.items() if k in ("sex", "birth",
                                                                        "kecamatan")})
    body["birth_date"] = body["birth_date"].isoformat()
    body.update({k: v for k, v in changes.items() if k not in ("sex", "birth", "kecamatan")})
    return body


def profile_snapshot(**changes: Any) -> ProfileSnapshot:
    """The same candidate as selection and the other services receive them, with what
    registration adds (e-mail, E.164 phone, region names); ``statements`` may be a dict."""
    fields = profile_fields(phone="+6281234567890")
    fields["statements"] = Statements(**fields["statements"])
    snapshot = ProfileSnapshot(**fields, email="siti@example.com", kecamatan_code="352801",
                               kecamatan_name="Tlanakan", domicile_regency_name="Kab. Pamekasan")
    if isinstance(changes.get("statements"), dict):
        changes["statements"] = Statements(**changes["statements"])
    return replace(snapshot, **changes)


def document_snapshots(kinds=("photo", "ktp", "ijazah")) -> list[DocumentSnapshot]:
    return [DocumentSnapshot(kind, "0" * 64, 10,
                             "image/jpeg" if kind == "photo" else "application/pdf")
            for kind in kinds]


# The requirements of the three announcements, in the raw API form.
PAMEKASAN_2024: dict[str, Any] = {
    "not_asn": {"rule": MANDATORY},
    "age": {"min": 18, "max": 58, "rule": PREFERRED},
    "education": {"min": "SMA", "rule": PREFERRED},
    "domicile": {"rule": PREFERRED},
    "bps_experience": {"rule": PREFERRED},
    "devices": {"rule": PREFERRED},
    "motorbike": {"rule": PREFERRED},
}
JEPARA_2025: dict[str, Any] = {
    "not_asn": {"rule": MANDATORY},
    "age": {"min": 18, "max": 50, "rule": PREFERRED},
    "education": {"min": "SMA", "rule": PREFERRED},
    "domicile": {"rule": PREFERRED},
    "bps_experience": {"rule": PREFERRED},
    "devices": {"rule": PREFERRED},
    "motorbike": {"rule": PREFERRED},
}
BANJAR_2025: dict[str, Any] = {
    "not_asn": {"rule": MANDATORY},
    "age": {"min": 18, "max": 50, "rule": PREFERRED},
    "education": {"min": "SMA", "rule": MANDATORY},
    "domicile": {"rule": PREFERRED},
    "bps_experience": {"rule": PREFERRED},
    "devices": {"rule": PREFERRED},
    "motorbike": {"rule": PREFERRED},
    "no_other_contract": {"rule": PREFERRED},
    "extra_documents": ["cv", "phone_spec", "application_letter"],
}
