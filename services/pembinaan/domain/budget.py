"""The juknis' budget calculators for a pusat team with ``n`` K/L as lokus binaan.

Both follow the tables of the juknis' "Pelaksanaan Anggaran Pembinaan-Pusat" (the rancangan
standarisasi kegiatan pembinaan statistik sektoral 2025, letter B-699/03200/PR.130/2024),
which give the figures for 5 and 6 K/L; the per-K/L parts below reproduce both columns.
"""
from __future__ import annotations

from dataclasses import dataclass

# More K/L than a team can cover (the juknis plans 5-6 per pusat team, and there are fewer
# than a hundred K/L); it also keeps every figure within the reply's 32-bit integers.
MAX_KL_COUNT = 1000


@dataclass(frozen=True)
class FulldayBreakdown:
    """Participants of one fullday meeting, by group."""

    walidata: int
    produsen_data: int
    tim_pembina: int
    pimpinan_bps: int
    narasumber: int
    pendukung: int

    @property
    def total(self) -> int:
        return (self.walidata + self.produsen_data + self.tim_pembina + self.pimpinan_bps
                + self.narasumber + self.pendukung)


def fullday_breakdown(kl_count: int) -> FulldayBreakdown:
    """The juknis' table "1. Fullday Meeting" (komposisi peserta; the same for the pembinaan
    and the evaluasi meeting): 15n + 16 in all, 91 for 5 K/L, 106 for 6."""
    return FulldayBreakdown(
        walidata=3 * kl_count,        # walidata @ 3 orang per K/L
        produsen_data=10 * kl_count,  # produsen data @ 10 orang per K/L
        tim_pembina=2 * kl_count,     # Tim Pembina BPS: 10 for 5 K/L, 12 for 6
        pimpinan_bps=2,
        narasumber=4,                 # narasumber dan pendamping
        pendukung=10,                 # pantau dan pendukung lainnya (Humas, Pdjab, PPK, ...)
    )


def transport_trips(kl_count: int) -> int:
    """The juknis' table "4. Transport Lokal": 21n trips, 105 for 5 K/L, 126 for 6."""
    identification = 1 * 3 * kl_count  # identifikasi kebutuhan: 1 pertemuan @ 3 orang/instansi
    strengthening = 6 * 3 * kl_count   # pengukuhan penyelenggaraan: 6 pertemuan @ 3 orang/instansi
    return identification + strengthening
