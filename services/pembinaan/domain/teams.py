"""Tim Pembina: a team per unit and year at direktorat (pusat), provinsi or kabupaten/kota
level, its members (ketua pelaksana, koordinator, anggota) and its lokus binaan.

``unit_code`` is the direktorat's code for a pusat team, else the BPS satker code: a province
office ends in ``00`` (``3500``), a kabupaten/kota does not (``3528``). Escalation goes one
level up: kabkot -> the provinsi of the same province -> a direktorat (the Sekretariat's
level)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from services.pembinaan.domain.errors import Invalid
from services.shared.contracts.regions import BPS_RI_CODE, is_valid_satker_code
from services.shared.contracts.vocabulary import (
    PEMBINAAN_LOKUS_KINDS,
    PEMBINAAN_POSITIONS,
    PEMBINAAN_TEAM_LEVELS,
)

DIREKTORAT, PROVINSI, KABKOT = PEMBINAAN_TEAM_LEVELS
KETUA = "ketua"
PEMBINA_ROLE = "pembina"
# The juknis: a pusat team (direktorat) covers about 5-6 K/L; more is flagged in monitoring.
MAX_KL_PER_PUSAT_TEAM = 6
MIN_YEAR, MAX_YEAR = 2000, 2100
_DIREKTORAT_CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,19}")
# The level a request escalates to from each level (the direktorat is the last).
LEVEL_ABOVE: dict[str, str | None] = {KABKOT: PROVINSI, PROVINSI: DIREKTORAT, DIREKTORAT: None}


@dataclass(frozen=True)
class Team:
    id: str
    year: int
    level: str
    unit_code: str
    name: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Member:
    id: str
    team_id: str
    account_id: str
    position: str
    email: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Lokus:
    id: str
    team_id: str
    kind: str
    code: str
    name: str
    created_at: datetime
    updated_at: datetime


def check_year(year: int, field: str = "year") -> None:
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise Invalid(field, f"Use a year from {MIN_YEAR} to {MAX_YEAR}.")


def check_team(year: int, level: str, unit_code: str, name: str) -> None:
    """A new team's fields: the level names its kind of unit code."""
    check_year(year)
    if level not in PEMBINAAN_TEAM_LEVELS:
        raise Invalid("level", f"Use one of {', '.join(PEMBINAAN_TEAM_LEVELS)}.")
    if not name or not name.strip():
        raise Invalid("name", "Give the team's name.")
    if level == DIREKTORAT:
        if not _DIREKTORAT_CODE.fullmatch(unit_code or ""):
            raise Invalid("unit_code", "Use the direktorat's code (letters, digits, . _ -).")
        return
    if not is_valid_satker_code(unit_code) or unit_code == BPS_RI_CODE:
        raise Invalid("unit_code", "Use the 4-digit BPS satker code of a province or a "
                                   "kabupaten/kota.")
    if (level == PROVINSI) != unit_code.endswith("00"):
        raise Invalid("unit_code", "A provinsi team has a province office's code (ending in "
                                   "00); a kabkot team a kabupaten/kota's.")


def check_position(position: str) -> None:
    if position not in PEMBINAAN_POSITIONS:
        raise Invalid("position", f"Use one of {', '.join(PEMBINAAN_POSITIONS)}.")


def check_member_role(role: str | None) -> None:
    """Members are accounts of role ``pembina``."""
    if role != PEMBINA_ROLE:
        raise Invalid("account_id", "The account must have the role pembina.")


def check_lokus(kind: str, code: str, name: str) -> None:
    if kind not in PEMBINAAN_LOKUS_KINDS:
        raise Invalid("kind", f"Use one of {', '.join(PEMBINAAN_LOKUS_KINDS)}.")
    if not code or not code.strip():
        raise Invalid("code", "Give the lokus' code.")
    if not name or not name.strip():
        raise Invalid("name", "Give the lokus' name.")


def is_one_level_up(current: Team, target: Team) -> bool:
    """Whether ``target`` is the team a request of ``current`` escalates to: the same year,
    the level above, and for a kabkot team its own province's team."""
    if target.year != current.year or LEVEL_ABOVE[current.level] != target.level:
        return False
    if current.level == KABKOT:
        return target.unit_code == current.unit_code[:2] + "00"
    return True


def too_many_kl(level: str, kl_count: int) -> bool:
    """A pusat team covering more K/L than the juknis plans for (flagged in monitoring)."""
    return level == DIREKTORAT and kl_count > MAX_KL_PER_PUSAT_TEAM
