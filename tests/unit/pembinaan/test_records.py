"""The documentation records: the 16 contact fields (e-mails by syntax, WhatsApp numbers as
Indonesian mobile numbers, nulls allowed and counted incomplete), the inventory, EPSS
candidates and realised activities with the juknis' lists."""
from __future__ import annotations

from datetime import date

import pytest

from services.pembinaan.domain.errors import Invalid
from services.pembinaan.domain.records import (
    CONTACT_FIELDS,
    check_activity,
    check_contacts,
    check_epss_candidate,
    check_evidence_number,
    check_statistical_activity,
    contact_completeness,
    filled_contacts,
    whatsapp_number,
)

FULL = dict.fromkeys(CONTACT_FIELDS, "x") | {
    "instansi_email": "Info@Kemenkes.go.id", "walidata_unit_email": "pusdatin@kemkes.go.id",
    "walidata_kepala_email": "kepala@kemkes.go.id", "epss_email": "epss@kemkes.go.id",
    "walidata_narahubung_email": "wali@kemkes.go.id", "epss_whatsapp": "0812-3456-7890",
    "walidata_narahubung_whatsapp": "+62 813 1234 5678"}


def test_the_sixteen_fields_of_the_juknis():
    assert len(CONTACT_FIELDS) == 16 == len(set(CONTACT_FIELDS))


def test_full_contacts_are_kept_normalised():
    kept = check_contacts(FULL)
    assert kept["instansi_email"] == "info@kemenkes.go.id"
    assert kept["epss_whatsapp"] == "6281234567890"
    assert kept["walidata_narahubung_whatsapp"] == "6281312345678"
    assert filled_contacts(kept) == 16


def test_nulls_and_blanks_are_allowed_and_incomplete():
    kept = check_contacts({"pimpinan_nama": "Budi", "epss_email": None, "epss_jabatan": " "})
    assert kept["pimpinan_nama"] == "Budi" and kept["epss_email"] is None
    assert kept["epss_jabatan"] is None
    assert filled_contacts(kept) == 1


@pytest.mark.parametrize("field, value", [
    ("instansi_email", "not-an-email"), ("epss_email", "a@b"), ("epss_email", "a b@c.id"),
    ("walidata_kepala_email", "@kemkes.go.id"),
    ("epss_whatsapp", "021-3841198"),      # a landline
    ("epss_whatsapp", "0812"),             # too short
    ("epss_whatsapp", "+6012345678901"),   # not Indonesian
    ("walidata_narahubung_whatsapp", "08123456789012345"),
    ("walidata_narahubung_whatsapp", "abc"),
])
def test_an_invalid_email_or_number_is_refused_on_its_field(field, value):
    with pytest.raises(Invalid) as refused:
        check_contacts({field: value})
    assert list(refused.value.errors) == [field]


def test_an_unknown_field_is_refused():
    with pytest.raises(Invalid):
        check_contacts({"fax": "021"})


@pytest.mark.parametrize("number, expected", [
    ("081234567890", "6281234567890"), ("6281234567890", "6281234567890"),
    ("+62 812-3456-789", "628123456789"), ("0800000000", None), ("0211234567", None)])
def test_whatsapp_numbers(number, expected):
    assert whatsapp_number(number) == expected


@pytest.mark.parametrize("filled, lokus, expected", [
    (0, 0, 0.0), (16, 1, 1.0), (8, 1, 0.5), (16, 2, 0.5), (40, 5, 0.5)])
def test_completeness_is_a_share(filled, lokus, expected):
    assert contact_completeness(filled, lokus) == expected


INVENTORY = {"judul": "Kompilasi Data Kepegawaian", "periode": "tahunan",
             "tahun_terakhir": 2023, "unit_produsen": "Biro Kepegawaian",
             "cara_pengumpulan": 3, "data_utama": "Jumlah jaksa", "data_prioritas": True,
             "pemanfaatan": "terbuka"}


def test_an_inventory_record():
    check_statistical_activity(INVENTORY)
    check_statistical_activity({"periode": "bulanan"}, partial=True)


@pytest.mark.parametrize("field, value", [
    ("periode", "harian"), ("cara_pengumpulan", 5), ("cara_pengumpulan", 0),
    ("data_prioritas", "ya"), ("pemanfaatan", "publik"), ("judul", ""),
    ("tahun_terakhir", 1800)])
def test_an_invalid_inventory_field(field, value):
    with pytest.raises(Invalid) as refused:
        check_statistical_activity(INVENTORY | {field: value})
    assert list(refused.value.errors) == [field]


EPSS = {"nama_kegiatan": "Survei Kepuasan", "tahun": 2025, "cara_pengumpulan": 2,
        "produsen_data": "Pusdatin", "alasan": "data prioritas", "catatan": None}


def test_an_epss_candidate():
    check_epss_candidate(EPSS)


@pytest.mark.parametrize("field, value", [
    ("nama_kegiatan", " "), ("tahun", "2025"), ("cara_pengumpulan", 4.5),
    ("produsen_data", None), ("alasan", "")])
def test_an_invalid_epss_field(field, value):
    with pytest.raises(Invalid) as refused:
        check_epss_candidate(EPSS | {field: value})
    assert list(refused.value.errors) == [field]


ACTIVITY = {"tanggal": date(2025, 3, 1), "bentuk": "fgd",
            "materi": ["kualitas_data", "satu_data_indonesia"], "inisiatif": "bps",
            "peserta": 0, "ringkasan": None}


def test_an_activity():
    check_activity(ACTIVITY)


@pytest.mark.parametrize("field, value", [
    ("tanggal", "2025-03-01"), ("bentuk", "rapat"), ("materi", []),
    ("materi", ["kualitas_data", "kualitas_data"]), ("materi", ["sensus"]),
    ("inisiatif", "pemda"), ("peserta", -1), ("peserta", 1.5), ("peserta", True)])
def test_an_invalid_activity_field(field, value):
    with pytest.raises(Invalid) as refused:
        check_activity(ACTIVITY | {field: value})
    assert list(refused.value.errors) == [field]


@pytest.mark.parametrize("n, ok", [(0, False), (1, True), (10, True), (11, False)])
def test_evidence_numbers(n, ok):
    if ok:
        check_evidence_number(n)
    else:
        with pytest.raises(Invalid):
            check_evidence_number(n)
