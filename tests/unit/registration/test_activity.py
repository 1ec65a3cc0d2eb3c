"""Rules of an activity and of applying to it."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from services.registration.domain.activity import (
    activity_problems,
    is_open,
    missing_for_application,
    quota_floor_refusal,
    quota_refusal,
    registration_number,
    window_refusal,
)
from services.registration.domain.errors import (
    QuotaBelowApplications,
    QuotaFull,
    RegistrationNotOpen,
    WindowClosed,
)
from services.shared.contracts.requirements import (
    Requirements,
    parse_requirements,
)
from services.shared.contracts.vocabulary import STATEMENT_KEYS
from tests.support.builders import BANJAR_2025, PAMEKASAN_2024, profile_snapshot

WIB = timezone(timedelta(hours=7))
OPENS = datetime(2025, 11, 1, 0, 0, tzinfo=WIB)
CLOSES = datetime(2025, 12, 1, 0, 0, tzinfo=WIB)
ANNOUNCED = datetime(2025, 12, 15, 9, 0, tzinfo=WIB)


def activity(**changes: object) -> dict:
    fields = {
        "name": "Rekrutmen Mitra BPS 2026-Pendaftaran",
        "year": 2026,
        "satker_code": "3528",
        "registration_opens_at": OPENS,
        "registration_closes_at": CLOSES,
        "announcement_at": ANNOUNCED,
        "quota": None,
    }
    fields.update(changes)
    return activity_problems(**fields)  # type: ignore[arg-type]


def test_valid_activity() -> None:
    assert activity() == {}
    assert activity(quota=1, satker_code="0000") == {}
    assert activity(satker_code="3500", announcement_at=CLOSES) == {}  # announce at closing


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"year": 1999}, "year"),
        ({"year": 2101}, "year"),
        ({"year": True}, "year"),
        ({"satker_code": "9999"}, "satker_code"),
        ({"satker_code": "35"}, "satker_code"),
        ({"registration_opens_at": datetime(2025, 11, 1)}, "registration_opens_at"),
        ({"registration_closes_at": OPENS}, "registration_closes_at"),
        ({"registration_closes_at": OPENS - timedelta(seconds=1)}, "registration_closes_at"),
        ({"announcement_at": CLOSES - timedelta(seconds=1)}, "announcement_at"),
        ({"announcement_at": None}, "announcement_at"),
        ({"quota": 0}, "quota"),
        ({"quota": -5}, "quota"),
        ({"quota": 2.5}, "quota"),
    ],
)
def test_invalid_activity(changes: dict, field: str) -> None:
    assert set(activity(**changes)) == {field}


def test_name_of_200_characters_is_fine() -> None:
    assert activity(name="x" * 200) == {}


def test_offsets_are_compared_as_instants() -> None:
    # 2025-11-30 17:00 UTC is 2025-12-01 00:00 WIB: closing equal to opening.
    assert set(activity(registration_opens_at=datetime(2025, 11, 30, 17, tzinfo=UTC))) == {
        "registration_closes_at"
    }


def test_window_boundaries() -> None:
    before = window_refusal(OPENS, CLOSES, OPENS - timedelta(microseconds=1))
    assert isinstance(before, RegistrationNotOpen)
    assert before.detail == "Registration has not opened yet."
    assert window_refusal(OPENS, CLOSES, OPENS) is None  # opening is inclusive
    assert window_refusal(OPENS, CLOSES, CLOSES - timedelta(microseconds=1)) is None
    closed = window_refusal(OPENS, CLOSES, CLOSES)  # closing is exclusive
    assert isinstance(closed, WindowClosed) and closed.detail == "Registration is closed."
    assert isinstance(window_refusal(OPENS, CLOSES, CLOSES.astimezone(UTC)),
                      WindowClosed)


def test_quota() -> None:
    assert quota_refusal(None, 0) is None
    assert quota_refusal(None, 1_000_000) is None
    assert quota_refusal(100, 99) is None
    assert isinstance(quota_refusal(100, 100), QuotaFull)
    assert isinstance(quota_refusal(100, 101), QuotaFull)


def test_open_needs_the_window_and_a_place() -> None:
    inside = OPENS + timedelta(days=1)
    assert is_open(OPENS, CLOSES, None, 5, inside)
    assert is_open(OPENS, CLOSES, 6, 5, inside)
    assert not is_open(OPENS, CLOSES, 5, 5, inside)
    assert not is_open(OPENS, CLOSES, None, 0, CLOSES)


def test_quota_floor() -> None:
    assert quota_floor_refusal(None, 10) is None
    assert quota_floor_refusal(10, 10) is None  # down to exactly the applications made
    refusal = quota_floor_refusal(9, 10)
    assert isinstance(refusal, QuotaBelowApplications)
    assert refusal.detail == "10 candidates have already applied; the quota cannot be lower."


def complete_profile(**statements: bool):
    return profile_snapshot(statements={**dict.fromkeys(STATEMENT_KEYS, True), **statements})


BASIC_UPLOADS = {"photo", "ktp", "ijazah"}


def test_complete_application() -> None:
    req = parse_requirements(PAMEKASAN_2024)
    assert missing_for_application(complete_profile(), BASIC_UPLOADS, req) == {}
    banjar = parse_requirements(BANJAR_2025)
    uploads = BASIC_UPLOADS | {"cv", "phone_spec", "application_letter"}
    assert missing_for_application(complete_profile(), uploads, banjar) == {}


def test_no_profile() -> None:
    missing = missing_for_application(None, BASIC_UPLOADS, Requirements())
    assert missing == {"profile": ["The profile is not filled in."]}


def test_no_profile_and_no_documents() -> None:
    missing = missing_for_application(None, set(), Requirements())
    assert missing == {
        "profile": ["The profile is not filled in."],
        "documents": ["photo", "ktp", "ijazah"],
    }


def test_statements_not_ticked() -> None:
    profile = complete_profile(healthy=False, literate=False)
    missing = missing_for_application(profile, BASIC_UPLOADS, Requirements())
    assert missing == {"statements": ["healthy", "literate"]}


def test_documents_missing_in_required_order() -> None:
    banjar = parse_requirements(BANJAR_2025)
    missing = missing_for_application(complete_profile(), {"ktp", "cv", "pakta_integritas"}, banjar)
    assert missing == {"documents": ["photo", "ijazah", "phone_spec", "application_letter"]}


def test_registration_number() -> None:
    assert registration_number("3528", 2026, 42) == "3528-2026-00042"
    assert registration_number("0000", 2026, 1) == "0000-2026-00001"
    assert registration_number("3279", 2025, 99999) == "3279-2025-99999"
    assert registration_number("3279", 2025, 123456) == "3279-2025-123456"


@pytest.mark.parametrize(
    ("satker", "year", "seq"),
    [("3528", 2026, 0), ("3528", 2026, -1), ("352", 2026, 1), ("3528", 2026, True)],
)
def test_registration_number_refuses(satker: str, year: int, seq: int) -> None:
    with pytest.raises(ValueError):
        registration_number(satker, year, seq)
