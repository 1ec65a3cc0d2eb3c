"""NIK (Nomor Induk Kependudukan): decode and check.

Layout of the 16 digits: 6 for the kecamatan of the KTP (province, regency, kecamatan),
6 for the birth date as DDMMYY with 40 added to DD for women, 4 for a serial number.
There is no check digit, so the best we can do is check each part for plausibility and
against the birth date and sex the candidate declares.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from services.shared.contracts import regions

_NIK = re.compile(r"[0-9]{16}")
_KECAMATAN = re.compile(r"[0-9]{6}")
_FEMALE_DAY_OFFSET = 40

MSG_FORMAT = "The NIK must be exactly 16 digits."
MSG_DATE_PART = "The NIK does not encode a valid birth date."
MSG_REGION = "The first 6 digits of the NIK are not a known kecamatan code."
MSG_CALENDAR = "The birth date encoded in the NIK is not a real date."
MSG_BIRTH_DATE = "The NIK does not match the birth date."
MSG_SEX = "The NIK does not match the sex."
MSG_SERIAL = "The last 4 digits of the NIK must not be 0000."


@dataclass(frozen=True)
class NikInfo:
    kecamatan_code: str  # 6 digits
    birth_day: int  # the real day, 40 already taken off for women
    birth_month: int
    birth_yy: int  # two-digit year: the century is not in the NIK
    sex: str  # "L" or "P"
    serial: int  # 0..9999


def _is_nik_shaped(nik: object) -> bool:
    # [0-9] and fullmatch: str.isdigit and \d accept non-ASCII digits, $ a trailing newline.
    return isinstance(nik, str) and _NIK.fullmatch(nik) is not None


def decode_nik(nik: str) -> NikInfo:
    """Split a NIK into its parts; ValueError if it is not 16 digits or DD/MM are out of range.

    Whether DD/MM/YY is a real calendar date and whether the kecamatan exists are left to
    ``nik_problems``: they are facts about the world, not about the layout.
    """
    if not _is_nik_shaped(nik):
        raise ValueError(MSG_FORMAT)
    raw_day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if raw_day > _FEMALE_DAY_OFFSET:
        day, sex = raw_day - _FEMALE_DAY_OFFSET, "P"
    else:
        day, sex = raw_day, "L"
    if not (1 <= day <= 31 and 1 <= month <= 12):
        raise ValueError(MSG_DATE_PART)
    return NikInfo(nik[:6], day, month, yy, sex, int(nik[12:]))


def _is_real_date(day: int, month: int, yy: int) -> bool:
    # The century is unknown, so a date is real if it exists in 19yy or 20yy; this only
    # matters for 29 February, where "00" can be the leap year 2000 but "01" never is.
    for century in (1900, 2000):
        try:
            date(century + yy, month, day)
        except ValueError:
            continue
        return True
    return False


def nik_problems(nik: str, birth_date: date | None = None, sex: str | None = None) -> list[str]:
    """Everything wrong with a NIK, optionally against a declared birth date and sex.

    An empty list means the NIK is plausible (it cannot prove the NIK was issued).
    """
    if not _is_nik_shaped(nik):
        return [MSG_FORMAT]
    problems: list[str] = []
    if regions.kecamatan(nik[:6]) is None:
        problems.append(MSG_REGION)
    try:
        info: NikInfo | None = decode_nik(nik)
    except ValueError:
        info = None
        problems.append(MSG_DATE_PART)
    if info is not None:
        if not _is_real_date(info.birth_day, info.birth_month, info.birth_yy):
            problems.append(MSG_CALENDAR)
        if birth_date is not None and (info.birth_day, info.birth_month, info.birth_yy) != (
            birth_date.day, birth_date.month, birth_date.year % 100
        ):
            problems.append(MSG_BIRTH_DATE)
        if sex is not None and info.sex != sex:
            problems.append(MSG_SEX)
    if nik[12:] == "0000":
        problems.append(MSG_SERIAL)
    return problems
