"""The Indonesian e-mails to candidates, rendered from the domain's data: the new
administrative status (its label and the transition's reason), and the final result at the
announcement."""
from __future__ import annotations

from services.selection.domain.decisions import Transition, status_label_id

# What the candidate does next, after each status.
_NEXT_STEP_ID: dict[str, str] = {
    "pending": (
        "Pendaftaran Anda akan diperiksa kembali oleh admin BPS. Pemberitahuan berikutnya "
        "akan dikirim melalui e-mail ini."
    ),
    "needs_confirmation": (
        "Mohon periksa kembali data Anda: perbarui data profil Anda sesuai keterangan di "
        "atas lalu simpan. Setelah profil disimpan, pendaftaran Anda akan diperiksa kembali "
        "oleh admin BPS."
    ),
    "accepted": (
        "Anda dapat mengikuti tahap berikutnya, yaitu tes kompetensi. Silakan pilih satu sesi "
        "tes melalui aplikasi; sesi yang sudah dipilih tidak dapat diubah."
    ),
    "rejected": "Terima kasih atas partisipasi Anda dalam rekrutmen mitra statistik BPS.",
}


def _one_line(text: object) -> str:
    """Text for a mail header: no line breaks (they would start a new header)."""
    return " ".join(str(text).split())


def decision_mail(
    full_name: str,
    activity_name: str,
    registration_number: str,
    transition: Transition,
) -> tuple[str, str]:
    """(subject, body) of the e-mail telling the candidate the new status."""
    label = status_label_id(transition.to_status)
    subject = _one_line(f"Status seleksi administrasi: {label} - {activity_name}")
    lines = [
        f"Yth. {_one_line(full_name)},",
        "",
        f"Status seleksi administrasi pendaftaran Anda pada kegiatan "
        f"\"{_one_line(activity_name)}\" (nomor pendaftaran {_one_line(registration_number)}) "
        f"saat ini: {label}.",
    ]
    if transition.reason:
        heading = "Alasan" if transition.to_status == "rejected" else "Keterangan"
        lines += ["", f"{heading}: {transition.reason}"]
    lines += [
        "",
        _NEXT_STEP_ID[transition.to_status],
        "",
        "Hormat kami,",
        "Badan Pusat Statistik",
        "",
        "E-mail ini dikirim secara otomatis; mohon tidak membalas e-mail ini.",
    ]
    return subject, "\n".join(lines) + "\n"


# -- the announcement of the final selection ---------------------------------------------------

_RESULT_LABELS_ID: dict[str, str] = {"accepted": "Diterima", "rejected": "Tidak diterima"}


def announcement_mail(
    full_name: str,
    activity_name: str,
    registration_number: str,
    status: str,
    total: float | None,
) -> tuple[str, str]:
    """(subject, body) of the e-mail telling the candidate the final result at the
    announcement: ``status`` accepted or rejected; ``total`` the candidate's own total, only
    where the activity discloses scores (None otherwise)."""
    label = _RESULT_LABELS_ID[status]
    subject = _one_line(f"Pengumuman hasil seleksi: {label} - {activity_name}")
    lines = [
        f"Yth. {_one_line(full_name)},",
        "",
        f"Hasil seleksi akhir pendaftaran Anda pada kegiatan \"{_one_line(activity_name)}\" "
        f"(nomor pendaftaran {_one_line(registration_number)}): {label}.",
    ]
    if total is not None:
        lines += ["", f"Nilai akhir Anda: {total:.2f}."]
    if status == "accepted":
        lines += [
            "",
            "Selamat! Anda terpilih sebagai mitra statistik BPS. Silakan unduh, tandatangani "
            "dan unggah Pakta Integritas melalui aplikasi (menu Dokumen, jenis \"Pakta "
            "Integritas\"). Informasi selanjutnya akan disampaikan oleh BPS setempat.",
        ]
    else:
        lines += [
            "",
            "Terima kasih atas partisipasi Anda dalam rekrutmen mitra statistik BPS. "
            "Keputusan panitia bersifat mutlak dan tidak dapat diganggu gugat.",
        ]
    lines += [
        "",
        "Hormat kami,",
        "Badan Pusat Statistik",
        "",
        "E-mail ini dikirim secara otomatis; mohon tidak membalas e-mail ini.",
    ]
    return subject, "\n".join(lines) + "\n"
