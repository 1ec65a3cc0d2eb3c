"""The Indonesian e-mail telling a candidate the new administrative status, rendered from the
domain's data: the status label and the transition's reason."""
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
