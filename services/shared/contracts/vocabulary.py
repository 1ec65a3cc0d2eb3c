"""Vocabulary shared by the services: education levels, ages, statements and document kinds.

Registration validates profiles and documents with these names; selection evaluates
requirements with them. They live here because a service never imports another's package.
"""
from __future__ import annotations

from datetime import date

__all__ = [
    "ADMINISTRATIVE_DECISIONS",
    "ADMINISTRATIVE_STATUSES",
    "ALWAYS_REQUIRED",
    "DOCUMENT_KINDS",
    "EDUCATION_LEVELS",
    "EXPORT_FORMATS",
    "SEXES",
    "STATEMENT_KEYS",
    "age_on",
    "education_at_least",
    "education_rank",
]

# Ordered from lowest to highest, as the HTTP API lists them; the order is what "minimum" means.
EDUCATION_LEVELS: tuple[str, ...] = ("SD", "SMP", "SMA", "D1", "D2", "D3", "D4", "S1", "S2", "S3")
# Self-declared statements the candidate ticks (health, discipline, contract, training, literacy).
STATEMENT_KEYS: tuple[str, ...] = (
    "healthy", "disciplined", "willing_contract", "willing_training", "literate",
)
DOCUMENT_KINDS: tuple[str, ...] = (
    "photo", "ktp", "ijazah", "cv", "phone_spec", "application_letter", "pakta_integritas",
)
# Every application needs these, whatever the activity's requirements say.
ALWAYS_REQUIRED: tuple[str, ...] = ("photo", "ktp", "ijazah")
SEXES: tuple[str, ...] = ("L", "P")  # laki-laki, perempuan (as the NIK encodes them)
# Administrative selection: the statuses an application has, and what an admin may decide.
ADMINISTRATIVE_STATUSES: tuple[str, ...] = ("pending", "needs_confirmation", "accepted", "rejected")
ADMINISTRATIVE_DECISIONS: tuple[str, ...] = ("accepted", "rejected", "needs_confirmation")
EXPORT_FORMATS: tuple[str, ...] = ("csv", "xlsx")


def education_rank(code: str) -> int:
    """Position of an education code in EDUCATION_LEVELS (SD = 0); ValueError if unknown."""
    if code not in EDUCATION_LEVELS:
        raise ValueError(f"Unknown education level: {code!r}.")
    return EDUCATION_LEVELS.index(code)


def education_at_least(code: str, minimum: str) -> bool:
    """True if ``code`` is ``minimum`` or higher; ValueError if either is unknown."""
    return education_rank(code) >= education_rank(minimum)


def age_on(birth_date: date, on_date: date) -> int:
    """Age in whole years on ``on_date`` (negative before birth).

    Someone born on 29 February is a year older on 1 March in a non-leap year: comparing
    (month, day) tuples gives that without special cases.
    """
    before_birthday = (on_date.month, on_date.day) < (birth_date.month, birth_date.day)
    return on_date.year - birth_date.year - int(before_birthday)


# The media types a candidate's document may have (judged by its bytes, not the header).
DOCUMENT_CONTENT_TYPES: tuple[str, ...] = ("image/jpeg", "image/png", "application/pdf")

# -- Pembinaan statistik sektoral (API.md "Pembinaan statistik sektoral"; the juknis) --------
PEMBINAAN_TEAM_LEVELS: tuple[str, ...] = ("direktorat", "provinsi", "kabkot")
PEMBINAAN_POSITIONS: tuple[str, ...] = ("ketua", "koordinator", "anggota")
PEMBINAAN_ESTABLISHMENT_KINDS: tuple[str, ...] = ("sk", "surat_tugas")
PEMBINAAN_LOKUS_KINDS: tuple[str, ...] = ("kl", "pemda_provinsi", "pemda_kabkot")
PEMBINAAN_PERIODS: tuple[str, ...] = ("tahunan", "semesteran", "triwulanan", "bulanan", "lainnya")
# Cara pengumpulan data: 1 sensus/pendataan lengkap, 2 survei, 3 kompilasi produk
# administrasi, 4 cara lain sesuai perkembangan TI.
PEMBINAAN_COLLECTION_METHODS: tuple[int, ...] = (1, 2, 3, 4)
PEMBINAAN_DATA_USES: tuple[str, ...] = ("internal", "terbatas", "terbuka")
PEMBINAAN_MECHANISMS: tuple[str, ...] = ("online", "offline", "hybrid")
PEMBINAAN_ORGANISERS: tuple[str, ...] = ("bps", "non_bps")
PEMBINAAN_MEETING_KINDS: tuple[str, ...] = ("fullday", "non_fullday")
PEMBINAAN_INITIATIVES: tuple[str, ...] = ("bps", "non_bps")
PEMBINAAN_FORMS: tuple[str, ...] = (
    "diklat_bimtek", "seminar_webinar", "asistensi", "fgd", "rapat_koordinasi", "workshop",
    "coaching_clinic", "pameran", "konsolidasi", "audiensi", "konsultansi", "knowledge_sharing",
)
PEMBINAAN_TOPICS: tuple[str, ...] = (
    "identifikasi_kegiatan", "rencana_aksi", "satu_data_indonesia", "sistem_statistik_nasional",
    "kualitas_data", "proses_bisnis_statistik", "kelembagaan",
)
PEMBINAAN_REQUEST_STATUSES: tuple[str, ...] = (
    "submitted", "disposed", "capacity_confirmed", "escalated", "in_progress", "documented",
)
PEMBINAAN_DOCUMENTATION_TYPES: tuple[str, ...] = (
    "establishment", "contacts", "statistical_activities", "epss_candidates", "work_plan",
)
PEMBINAAN_DOCUMENTATION_STATUSES: tuple[str, ...] = ("on_time", "late", "missing")
PEMBINAAN_IPS_GRADES: tuple[str, ...] = ("memuaskan", "sangat_baik", "baik", "cukup", "kurang")
PEMBINAAN_PLAN_PROBLEMS: tuple[str, ...] = (
    "too_few_items", "fullday_budget_mismatch", "overdue_unrealised", "unplanned_activity",
)
