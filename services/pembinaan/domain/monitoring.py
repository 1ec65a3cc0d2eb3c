"""Monitoring and evaluation per year and semester (at least per semester, the juknis says):
reporting compliance per documentation type against the sekretariat's deadlines, how well
the contact forms are filled, plan vs realisation, capacity building and internalisation.

Semester 1 is January-June, 2 is July-December, on BPS' clock (WIB): monitoring counts what was
recorded before the semester's end and lists the teams that existed by then. Everything here is
pure: the use case hands in the figures its set-based queries found for all teams at once."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from services.pembinaan.domain.errors import Invalid
from services.shared.contracts.calendar import WIB
from services.shared.contracts.vocabulary import PEMBINAAN_DOCUMENTATION_TYPES

ON_TIME, LATE, MISSING = "on_time", "late", "missing"
SEMESTERS = (1, 2)
# "Peserta pelatihan PSS wajib melakukan internalisasi ... paling lambat Minggu ke-2 Januari":
# the second week of January ends on the 14th.
INTERNALISATION_DAY = (1, 14)
# Documentation types kept per lokus (every lokus needs its own); the establishment is the
# team's.
PER_LOKUS_TYPES = tuple(kind for kind in PEMBINAAN_DOCUMENTATION_TYPES
                        if kind != "establishment")


def check_semester(semester: int) -> None:
    if semester not in SEMESTERS:
        raise Invalid("semester", "Use 1 (January-June) or 2 (July-December).")


def semester_end(year: int, semester: int) -> datetime:
    """The first moment after the semester, on BPS' clock (an aware datetime)."""
    check_semester(semester)
    return (datetime(year, 7, 1, tzinfo=WIB) if semester == 1
            else datetime(year + 1, 1, 1, tzinfo=WIB))


def internalisation_deadline(year: int) -> date:
    return date(year, *INTERNALISATION_DAY)


def documentation_status(at: datetime | None, deadline: date | None) -> dict:
    """``{status, at}``: missing when nothing was recorded (by the semester's end); on time
    when recorded on or before the deadline's date in WIB (or when no deadline is set); late
    after it."""
    if at is None:
        return {"status": MISSING, "at": None}
    if deadline is None or at.astimezone(WIB).date() <= deadline:
        return {"status": ON_TIME, "at": at}
    return {"status": LATE, "at": at}


def documented_at(lokus_ids: Iterable[str], first_at: Mapping[str, datetime]) -> datetime | None:
    """When a per-lokus documentation type was documented for the whole team: when its last
    lokus got its first record; None while a lokus has none (or the team has no lokus)."""
    moments = [first_at.get(lokus_id) for lokus_id in lokus_ids]
    if not moments or any(moment is None for moment in moments):
        return None
    return max(moments)


@dataclass(frozen=True)
class PlanFigures:
    planned: int
    realised: int

    @property
    def realisation_rate(self) -> float:
        return round(self.realised / self.planned, 4) if self.planned else 0.0

    def as_dict(self) -> dict:
        return {"planned": self.planned, "realised": self.realised,
                "realisation_rate": self.realisation_rate}


def share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0
