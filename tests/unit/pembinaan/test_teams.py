"""Tim Pembina: the levels and their unit codes, positions, the member's role, lokus kinds,
escalation one level up, and the pusat team with more than 6 K/L."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.pembinaan.domain.errors import Invalid
from services.pembinaan.domain.teams import (
    Team,
    check_lokus,
    check_member_role,
    check_position,
    check_team,
    is_one_level_up,
    too_many_kl,
)

NOW = datetime(2025, 1, 1, tzinfo=UTC)


def team(level, unit_code, year=2025):
    return Team("t-" + unit_code, year, level, unit_code, "Tim", NOW, NOW)


@pytest.mark.parametrize("level, unit_code", [
    ("direktorat", "03200"), ("direktorat", "DIR-DISEMINASI"), ("provinsi", "3500"),
    ("kabkot", "3528"), ("kabkot", "3279")])
def test_valid_teams(level, unit_code):
    check_team(2025, level, unit_code, "Tim Pembina")


@pytest.mark.parametrize("year, level, unit_code, name, field", [
    (1999, "kabkot", "3528", "Tim", "year"),
    (2025, "pusat", "3528", "Tim", "level"),
    (2025, "kabkot", "3500", "Tim", "unit_code"),   # a province office is no kabkot
    (2025, "provinsi", "3528", "Tim", "unit_code"),
    (2025, "provinsi", "0000", "Tim", "unit_code"),
    (2025, "kabkot", "9999", "Tim", "unit_code"),   # no such regency
    (2025, "kabkot", "35280", "Tim", "unit_code"),
    (2025, "direktorat", "", "Tim", "unit_code"),
    (2025, "kabkot", "3528", "  ", "name"),
])
def test_invalid_teams_are_refused_on_their_field(year, level, unit_code, name, field):
    with pytest.raises(Invalid) as refused:
        check_team(year, level, unit_code, name)
    assert list(refused.value.errors) == [field]


@pytest.mark.parametrize("position", ["ketua", "koordinator", "anggota"])
def test_positions(position):
    check_position(position)


def test_an_unknown_position_is_invalid():
    with pytest.raises(Invalid):
        check_position("wakil")


@pytest.mark.parametrize("role", ["mitra", "admin_satker", "sekretariat", "superadmin", None])
def test_only_pembina_accounts_become_members(role):
    check_member_role("pembina")
    with pytest.raises(Invalid) as refused:
        check_member_role(role)
    assert list(refused.value.errors) == ["account_id"]


@pytest.mark.parametrize("kind", ["kl", "pemda_provinsi", "pemda_kabkot"])
def test_lokus_kinds(kind):
    check_lokus(kind, "3528", "Pemkab Pamekasan")
    with pytest.raises(Invalid):
        check_lokus(kind + "x", "3528", "Pemkab Pamekasan")


@pytest.mark.parametrize("current, target, expected", [
    (team("kabkot", "3528"), team("provinsi", "3500"), True),
    (team("kabkot", "3528"), team("provinsi", "3300"), False),   # another province
    (team("kabkot", "3528"), team("provinsi", "3500", 2026), False),
    (team("kabkot", "3528"), team("direktorat", "03200"), False),  # two levels up
    (team("kabkot", "3528"), team("kabkot", "3529"), False),
    (team("provinsi", "3500"), team("direktorat", "03200"), True),
    (team("provinsi", "3500"), team("provinsi", "3300"), False),
    (team("direktorat", "03200"), team("direktorat", "03100"), False),  # nothing above
])
def test_escalation_goes_one_level_up(current, target, expected):
    assert is_one_level_up(current, target) is expected


@pytest.mark.parametrize("level, kl_count, flagged", [
    ("direktorat", 6, False), ("direktorat", 7, True), ("provinsi", 9, False)])
def test_a_pusat_team_with_more_than_six_kl_is_flagged(level, kl_count, flagged):
    assert too_many_kl(level, kl_count) is flagged
