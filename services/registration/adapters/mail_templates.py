"""The e-mails registration sends, in Indonesian (the candidates' language)."""
from __future__ import annotations

from datetime import timedelta


def activation(full_name: str, token: str, base_url: str, valid_for: timedelta) -> tuple[str, str]:
    hours = int(valid_for.total_seconds() // 3600)
    subject = "Aktivasi akun SOBAT BPS"
    body = (
        f"Yth. {full_name},\n\n"
        "Terima kasih telah mendaftar sebagai calon mitra statistik BPS.\n"
        "Untuk mengaktifkan akun Anda, gunakan token aktivasi berikut:\n\n"
        f"Token aktivasi: {token}\n\n"
        f"atau kirimkan token tersebut ke {base_url}/api/v1/accounts/activate.\n"
        f"Token ini hanya dapat dipakai satu kali dan berlaku selama {hours} jam.\n\n"
        "Jika Anda tidak merasa mendaftar, abaikan e-mail ini.\n\n"
        "Salam,\nBadan Pusat Statistik\n"
    )
    return subject, body
