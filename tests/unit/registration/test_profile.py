"""Candidate profile rules: education, phone, age and the whole profile."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.registration.domain.profile import (
    normalize_phone,
    profile_problems,
    profile_today,
    stored_values,
)
from services.shared.contracts.vocabulary import (
    EDUCATION_LEVELS,
    STATEMENT_KEYS,
    age_on,
    education_at_least,
    education_rank,
)
from tests.support.builders import encode_nik, profile_fields

TODAY = date(2025, 11, 3)
NOW = datetime(2025, 11, 3, 5, 0, tzinfo=UTC)  # noon in WIB, 13:00 WITA, 14:00 WIT: TODAY


def valid_profile(**changes: object) -> dict:
    return profile_fields(birth=date(1995, 7, 20), **changes)


def test_education_order() -> None:
    assert EDUCATION_LEVELS[0] == "SD" and EDUCATION_LEVELS[-1] == "S3"
    assert education_rank("SD") == 0
    assert education_rank("SMA") < education_rank("D1") < education_rank("S1")
    assert education_at_least("S1", "SMA")
    assert education_at_least("SMA", "SMA")
    assert not education_at_least("SMP", "SMA")


@pytest.mark.parametrize("code", ["sma", "SMK", "", "D5"])
def test_unknown_education(code: str) -> None:
    with pytest.raises(ValueError):
        education_rank(code)
    with pytest.raises(ValueError):
        education_at_least(code, "SD")


@pytest.mark.parametrize(
    "raw",
    ["081234567890", "6281234567890", "+6281234567890", "+62 812-3456-7890", " 0812 3456 7890 "],
)
def test_phone_normalised_to_e164(raw: str) -> None:
    assert normalize_phone(raw) == "+6281234567890"


def test_landline_is_a_valid_indonesian_number() -> None:
    assert normalize_phone("(0324) 322 123") == "+62324322123"


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "0812", "12345", "abc", "+16502530000", "+60123456789", "0812" * 20, None, 812],
)
def test_phone_refused(raw: object) -> None:
    with pytest.raises(ValueError):
        normalize_phone(raw)  # type: ignore[arg-type]


def test_age_on_birthday_boundaries() -> None:
    born = date(2000, 6, 15)
    assert age_on(born, date(2018, 6, 14)) == 17
    assert age_on(born, date(2018, 6, 15)) == 18
    assert age_on(born, date(2018, 6, 16)) == 18
    assert age_on(born, born) == 0


def test_age_on_29_february() -> None:
    born = date(2004, 2, 29)
    assert age_on(born, date(2023, 2, 28)) == 18
    assert age_on(born, date(2023, 3, 1)) == 19  # non-leap year: a year older on 1 March
    assert age_on(born, date(2024, 2, 28)) == 19
    assert age_on(born, date(2024, 2, 29)) == 20  # leap year: on the day itself


@settings(max_examples=200, deadline=None)
@given(
    st.dates(date(1900, 1, 1), date(2020, 12, 31)),
    st.dates(date(1900, 1, 1), date(2100, 12, 31)),
    st.integers(0, 3000),
)
def test_age_on_is_monotonic(born: date, on: date, days: int) -> None:
    later = on + timedelta(days=days)
    assert age_on(born, later) >= age_on(born, on)


def test_valid_profile_has_no_problems() -> None:
    assert profile_problems(valid_profile(), NOW) == {}


def test_nik_contradicting_birth_date_and_sex() -> None:
    profile = valid_profile(birth_date=date(1995, 7, 21))
    profile["sex"] = "L"  # the NIK says P
    problems = profile_problems(profile, NOW)
    assert set(problems) == {"nik"}
    assert len(problems["nik"]) == 2


def test_bad_nik() -> None:
    assert set(profile_problems(valid_profile(nik="123"), NOW)) == {"nik"}


def test_birth_date_in_the_future() -> None:
    future = TODAY + timedelta(days=1)
    profile = valid_profile(birth_date=future, nik=encode_nik("352801", future, "P", 1))
    assert profile_problems(profile, NOW) == {"birth_date": ["The birth date is in the future."]}


def test_age_limit_15() -> None:
    just_15 = date(2010, 11, 3)
    profile = valid_profile(birth_date=just_15, nik=encode_nik("352801", just_15, "P", 1))
    assert profile_problems(profile, NOW) == {}
    day_short = date(2010, 11, 4)
    profile = valid_profile(birth_date=day_short, nik=encode_nik("352801", day_short, "P", 1))
    assert set(profile_problems(profile, NOW)) == {"birth_date"}


def _turning_15_on(birthday: date, domicile: str) -> dict:
    born = birthday.replace(year=birthday.year - 15)
    return valid_profile(birth_date=born, nik=encode_nik("352801", born, "P", 1),
                         domicile_regency_code=domicile)


@pytest.mark.parametrize(("domicile", "accepted"), [
    ("3528", False),  # Pamekasan, WIB: 23:30 on the eve
    ("6171", False),  # Pontianak, Kalimantan Barat: WIB
    ("5171", True),   # Denpasar, WITA: 00:30 on the birthday
    ("7371", True),   # Makassar, WITA
    ("8171", True),   # Ambon, WIT: 01:30 on the birthday
    ("9171", True),   # Jayapura, WIT
])
def test_the_minimum_age_counts_on_the_domiciles_clock(domicile: str, accepted: bool) -> None:
    eve_in_wib = datetime(2025, 11, 2, 16, 30, tzinfo=UTC)  # 23:30 WIB on 2 November
    problems = profile_problems(_turning_15_on(TODAY, domicile), eve_in_wib)
    assert problems == ({} if accepted else {"birth_date": [
        "The candidate must be at least 15 years old."]})


def test_the_minimum_age_is_not_counted_on_the_utc_date() -> None:
    # 23:30 UTC on 2 November is 06:30 on 3 November in WIB: the 15th birthday everywhere
    # in Indonesia, though still the eve in UTC.
    late_utc = datetime(2025, 11, 2, 23, 30, tzinfo=UTC)
    for domicile in ("3528", "7371", "9171"):
        assert profile_problems(_turning_15_on(TODAY, domicile), late_utc) == {}
        assert profile_today(_turning_15_on(TODAY, domicile), late_utc) == TODAY


def test_an_unknown_domicile_counts_on_the_national_clock() -> None:
    eve_in_wib = datetime(2025, 11, 2, 16, 30, tzinfo=UTC)
    assert profile_today(valid_profile(domicile_regency_code="9999"), eve_in_wib) == date(
        2025, 11, 2)
    assert profile_today(valid_profile(domicile_regency_code=None), eve_in_wib) == date(
        2025, 11, 2)


@pytest.mark.parametrize("code", ["3500", "0000", "9999", "352801", ""])
def test_unknown_domicile(code: str) -> None:
    assert set(profile_problems(valid_profile(domicile_regency_code=code), NOW)) == {
        "domicile_regency_code"
    }


def test_unknown_education_in_profile() -> None:
    assert set(profile_problems(valid_profile(education="SMK"), NOW)) == {"education"}


def test_invalid_phone_in_profile() -> None:
    assert set(profile_problems(valid_profile(phone="0812"), NOW)) == {"phone"}


@pytest.mark.parametrize("field", ["full_name", "address"])
def test_blank_text(field: str) -> None:
    assert set(profile_problems(valid_profile(**{field: "  "}), NOW)) == {field}


def test_occupation_may_be_blank() -> None:
    assert profile_problems(valid_profile(occupation=""), NOW) == {}


def test_statements_must_have_exactly_the_keys() -> None:
    statements = {key: True for key in STATEMENT_KEYS if key != "literate"}
    statements["honest"] = True
    problems = profile_problems(valid_profile(statements=statements), NOW)
    assert set(problems) == {"statements"}
    assert len(problems["statements"]) == 2
    assert any("literate" in m for m in problems["statements"])
    assert any("honest" in m for m in problems["statements"])


def test_false_statements_are_still_a_complete_profile() -> None:
    # Ticking is checked when applying, not when saving the profile.
    statements = dict.fromkeys(STATEMENT_KEYS, False)
    assert profile_problems(valid_profile(statements=statements), NOW) == {}


def test_stored_values() -> None:
    profile = valid_profile(full_name="  Siti Aminah ")
    stored = stored_values(profile)
    assert stored["phone"] == "+6281234567890"
    assert stored["full_name"] == "Siti Aminah"
    assert stored["kecamatan_code"] == "352801"  # from the NIK
    assert stored["birth_date"] == date(1995, 7, 20)
