"""The satker-region rule: which kabupaten/kota a satker's region covers."""
from __future__ import annotations

import pytest

from services.shared.contracts.regions import satker_covers


@pytest.mark.parametrize(("satker", "regency", "expected"), [
    ("3528", "3528", True),   # BPS Kabupaten Pamekasan
    ("3528", "3527", False),  # Sampang is another kabupaten
    ("3320", "3320", True),
    ("3279", "3279", True),   # BPS Kota Banjar
    ("3279", "3207", False),  # Kabupaten Ciamis, same province
    ("3500", "3528", True),   # BPS Provinsi Jawa Timur: any regency of province 35
    ("3500", "3578", True),
    ("3500", "3320", False),  # Jepara is in Jawa Tengah
    ("0000", "3528", True),   # BPS RI: the whole country
    ("0000", "9471", True),
])
def test_satker_covers(satker: str, regency: str, expected: bool) -> None:
    assert satker_covers(satker, regency) is expected


@pytest.mark.parametrize(("satker", "regency"), [
    ("3528", None), ("0000", None), ("3500", ""), ("3500", "35"), ("3528", "352"),
    ("3528", 3528), ("3528", "٣٥٢٨"), ("3528", "3528\n"), (None, "3528"), ("35", "3528"),
    (3528, "3528"), ("", ""),
])
def test_a_malformed_code_is_covered_by_nothing(satker: object, regency: object) -> None:
    assert satker_covers(satker, regency) is False
