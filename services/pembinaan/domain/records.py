"""The documentation a team keeps per lokus, with the juknis' fields: the 16 narahubung
fields, the inventory of kegiatan statistik, the EPSS candidates and the realised activities.
Each ``check_*`` refuses an invalid body on its field (422); nothing here reads or writes."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from services.pembinaan.domain.errors import Invalid
from services.shared.contracts.vocabulary import (
    PEMBINAAN_COLLECTION_METHODS,
    PEMBINAAN_DATA_USES,
    PEMBINAAN_FORMS,
    PEMBINAAN_INITIATIVES,
    PEMBINAAN_PERIODS,
    PEMBINAAN_TOPICS,
)

# The juknis' "Melakukan koordinasi dengan lokus binaan", in its order.
CONTACT_FIELDS: tuple[str, ...] = (
    "pimpinan_nama", "pimpinan_jabatan", "instansi_email",
    "walidata_unit", "walidata_unit_email",
    "walidata_kepala_nama", "walidata_kepala_jabatan", "walidata_kepala_email",
    "epss_nama", "epss_jabatan", "epss_email", "epss_whatsapp",
    "walidata_narahubung_nama", "walidata_narahubung_jabatan", "walidata_narahubung_email",
    "walidata_narahubung_whatsapp",
)
EMAIL_FIELDS = tuple(name for name in CONTACT_FIELDS if name.endswith("email"))
WHATSAPP_FIELDS = tuple(name for name in CONTACT_FIELDS if name.endswith("whatsapp"))
TEXT_MAX = 300
# Syntax only (no DNS): one @, a local part, a dotted domain with a 2+ letter top label.
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
                    r"[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
                    r"\.[A-Za-z]{2,63}")
# An Indonesian mobile number: 08..., 628... or +628..., 9 to 12 digits after the 8.
_SEPARATORS = re.compile(r"[ \-.()]")
_MOBILE = re.compile(r"(?:\+62|62|0)(8[1-9][0-9]{7,11})")
MAX_EVIDENCE = 10  # evidence files per activity: PUT activities/{id}/evidence/{1..10}
MAX_PESERTA = 100_000


def is_email(value: str) -> bool:
    return len(value) <= 254 and _EMAIL.fullmatch(value) is not None


def whatsapp_number(value: str) -> str | None:
    """The number in international form (``628123456789``), or None if it is not an
    Indonesian mobile number."""
    match = _MOBILE.fullmatch(_SEPARATORS.sub("", value))
    return "62" + match.group(1) if match else None


def check_contacts(contacts: Mapping[str, str | None]) -> dict[str, str | None]:
    """The 16 fields as kept: a field may be missing or null (incomplete), never invalid.
    E-mails are kept lower-case, WhatsApp numbers in international form."""
    unknown = sorted(set(contacts) - set(CONTACT_FIELDS))
    if unknown:
        raise Invalid(unknown[0], "Unknown field.")
    kept: dict[str, str | None] = {}
    for name in CONTACT_FIELDS:
        value = contacts.get(name)
        if value is not None:
            value = value.strip()
            if len(value) > TEXT_MAX:
                raise Invalid(name, f"Use at most {TEXT_MAX} characters.")
        if not value:
            kept[name] = None
        elif name in EMAIL_FIELDS:
            if not is_email(value):
                raise Invalid(name, "Not a valid e-mail address.")
            kept[name] = value.lower()
        elif name in WHATSAPP_FIELDS:
            number = whatsapp_number(value)
            if number is None:
                raise Invalid(name, "Use an Indonesian mobile number, e.g. 081234567890.")
            kept[name] = number
        else:
            kept[name] = value
    return kept


def filled_contacts(contacts: Mapping[str, str | None] | None) -> int:
    """How many of the 16 fields are filled (none kept: 0)."""
    if not contacts:
        return 0
    return sum(1 for name in CONTACT_FIELDS if contacts.get(name))


def contact_completeness(filled: int, lokus_count: int) -> float:
    """The share (0-1) of contact fields filled over ``lokus_count`` lokus."""
    if lokus_count <= 0:
        return 0.0
    return round(filled / (len(CONTACT_FIELDS) * lokus_count), 4)


def _require_text(record: Mapping, name: str, required: bool = True) -> None:
    value = record.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Invalid(name, "Required.")
        return
    if len(value) > 2000:
        raise Invalid(name, "Use at most 2000 characters.")


def _require_one_of(record: Mapping, name: str, allowed: tuple) -> None:
    if record.get(name) not in allowed:
        raise Invalid(name, f"Use one of {', '.join(str(a) for a in allowed)}.")


def _require_year(record: Mapping, name: str, required: bool = True) -> None:
    value = record.get(name)
    if value is None and not required:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
        raise Invalid(name, "Use a year from 1900 to 2100.")


def check_statistical_activity(record: Mapping, partial: bool = False) -> None:
    """The inventory of kegiatan statistik (identifikasi kegiatan statistik)."""
    def present(name):
        return not partial or name in record
    for name in ("judul", "unit_produsen", "data_utama"):
        if present(name):
            _require_text(record, name)
    if present("periode"):
        _require_one_of(record, "periode", PEMBINAAN_PERIODS)
    if present("tahun_terakhir"):
        _require_year(record, "tahun_terakhir", required=False)
    if present("cara_pengumpulan"):
        _require_one_of(record, "cara_pengumpulan", PEMBINAAN_COLLECTION_METHODS)
    if present("data_prioritas") and not isinstance(record.get("data_prioritas"), bool):
        raise Invalid("data_prioritas", "Use true or false.")
    if present("pemanfaatan"):
        _require_one_of(record, "pemanfaatan", PEMBINAAN_DATA_USES)


def check_epss_candidate(record: Mapping) -> None:
    """A kandidat kegiatan statistik for EPSS (the juknis' form)."""
    _require_text(record, "nama_kegiatan")
    _require_year(record, "tahun")
    _require_one_of(record, "cara_pengumpulan", PEMBINAAN_COLLECTION_METHODS)
    _require_text(record, "produsen_data")
    _require_text(record, "alasan")
    _require_text(record, "catatan", required=False)


def check_activity(record: Mapping) -> None:
    """A realised activity: bentuk and materi from the juknis' lists, inisiatif, peserta."""
    if not isinstance(record.get("tanggal"), date):
        raise Invalid("tanggal", "Use a date as YYYY-MM-DD.")
    _require_one_of(record, "bentuk", PEMBINAAN_FORMS)
    materi = record.get("materi")
    if not isinstance(materi, (list, tuple)) or not materi:
        raise Invalid("materi", "Give at least one materi.")
    for topic in materi:
        if topic not in PEMBINAAN_TOPICS:
            raise Invalid("materi", f"Use items of {', '.join(PEMBINAAN_TOPICS)}.")
    if len(set(materi)) != len(materi):
        raise Invalid("materi", "Name each materi once.")
    _require_one_of(record, "inisiatif", PEMBINAAN_INITIATIVES)
    peserta = record.get("peserta")
    if isinstance(peserta, bool) or not isinstance(peserta, int) or \
            not 0 <= peserta <= MAX_PESERTA:
        raise Invalid("peserta", f"Use a whole number from 0 to {MAX_PESERTA}.")
    _require_text(record, "ringkasan", required=False)


def check_evidence_number(n: int) -> None:
    if not 1 <= n <= MAX_EVIDENCE:
        raise Invalid("n", f"Use an evidence number from 1 to {MAX_EVIDENCE}.")


@dataclass(frozen=True)
class Stored:
    """A kept record of one of the documentation tables: its own fields in ``fields``."""

    id: str
    lokus_id: str
    team_id: str
    fields: dict
    created_at: datetime
    updated_at: datetime
