"""The gateway's validation: values checked, handed on as the client wrote them (the service
parses them once), and no rule that belongs to a service's domain."""
from __future__ import annotations

import marshmallow as ma
import pytest

from services.gateway.schemas import accounts, activities, pembinaan, profile
from tests.support.builders import profile_body as _profile


def _errors(schema, data) -> dict:
    with pytest.raises(ma.ValidationError) as raised:
        schema().load(data)
    return raised.value.messages


def _activity(**changes) -> dict:
    body = {"satker_code": "3528", "name": "Sensus", "year": 2026,
            "registration_opens_at": "2026-11-01T00:00:00+07:00",
            "registration_closes_at": "2026-11-14T23:59:59.5Z",
            "announcement_at": "2026-11-20 08:00+07:00", "quota": None,
            "requirements": {"education": {"min": "SMA", "rule": "mandatory"}}}
    return body | changes


def test_dates_and_times_are_checked_and_handed_on_as_written():
    loaded = activities.ActivityBody().load(_activity())
    assert loaded["registration_opens_at"] == "2026-11-01T00:00:00+07:00"
    assert loaded["registration_closes_at"] == "2026-11-14T23:59:59.5Z"
    assert loaded["announcement_at"] == "2026-11-20 08:00+07:00"
    loaded_profile = profile.ProfileBody().load(_profile())
    assert loaded_profile["birth_date"] == "1995-03-14"


@pytest.mark.parametrize("value", ["2026-11-01T00:00:00", "2026-11-01", "2026-13-01T00:00Z",
                                   "01-11-2026T00:00:00+07:00", "2026-11-01T00:00:00+0700x",
                                   "2026-W44-1T00:00Z", 20261101, None, ""])
def test_a_time_without_offset_or_not_iso_is_refused_by_its_field(value):
    assert set(_errors(activities.ActivityBody, _activity(registration_opens_at=value))) == {
        "registration_opens_at"}
    assert set(_errors(activities.ActivityChangesBody, {"announcement_at": value})) == {
        "announcement_at"}


@pytest.mark.parametrize("value", ["14-03-1995", "1995-3-14", "19950314", "1995-02-30",
                                   "1995-03-14T00:00:00", 19950314, ""])
def test_a_date_that_is_not_yyyy_mm_dd_is_refused_by_its_field(value):
    assert set(_errors(profile.ProfileBody, _profile(birth_date=value))) == {"birth_date"}


def test_the_password_policy_is_registrations():
    # Any string passes here; registration refuses a bad length on the same field name.
    for password in ("short", "x" * 500):
        body = {"email": "a@example.com", "password": password, "full_name": "A"}
        assert accounts.CreateAccountBody().load(body)["password"] == password
        assert accounts.TokenBody().load({"email": "a@example.com", "password": password})
    assert set(_errors(accounts.CreateAccountBody, {"email": "a@example.com", "password": ["x"],
                                             "full_name": "A"})) == {"password"}
    assert set(_errors(accounts.CreateAccountBody, {"email": "a@example.com",
                                             "full_name": "A"})) == {"password"}


def test_an_admin_account_without_satker_loads_none():
    body = {"email": "a@example.com", "password": "admin-password-1", "full_name": "A",
            "role": "pembina"}
    assert accounts.CreateAdminAccountBody().load(body)["satker_code"] is None
    assert set(_errors(accounts.CreateAdminAccountBody, body | {"role": "mitra"})) == {"role"}
    assert set(_errors(accounts.CreateAdminAccountBody, body | {"satker_code": ""})) == {
        "satker_code"}


@pytest.mark.parametrize("value, ok", [("1", True), ("5", True), ("1000", True), ("0", False),
                                       ("-5", False), ("1001", False), ("2147483648", False),
                                       ("9" * 5000, False), ("x", False), ("5.5", False)])
def test_kl_count_is_a_bounded_integer(value, ok):
    if ok:
        assert pembinaan.BudgetQuery().load({"kl_count": value}) == {"kl_count": int(value)}
    else:
        assert set(_errors(pembinaan.BudgetQuery, {"kl_count": value})) == {"kl_count"}
    assert set(_errors(pembinaan.BudgetQuery, {})) == {"kl_count"}

