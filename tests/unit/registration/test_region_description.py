"""A region code described for the forms (registration's domain/regions.py)."""
from __future__ import annotations

import pytest

from services.registration.domain.regions import describe_region


def test_a_kecamatan_names_its_regency_and_province():
    assert describe_region("352801") == {
        "code": "352801", "level": "kecamatan", "name": "Tlanakan",
        "regency_code": "3528", "regency_name": "Kab. Pamekasan",
        "province_code": "35", "province_name": "Jawa Timur"}


def test_a_regency_and_a_province():
    assert describe_region("3279")["name"] == "Kota Banjar"
    assert describe_region("3279")["level"] == "kabupaten_kota"
    assert describe_region("35") == {"code": "35", "level": "provinsi", "name": "Jawa Timur",
                                     "province_code": "35", "province_name": "Jawa Timur"}


@pytest.mark.parametrize("code", ["", "3", "999999", "9999", "99", "35280", "3528011",
                                  "35280١", "352801\n", None, 352801, "3500"])
def test_unknown_or_malformed_codes_describe_nothing(code):
    assert describe_region(code) is None
