"""The e-mails registration sends, in Indonesian (the candidates' language)."""
from __future__ import annotations

from datetime import timedelta


def activation(full_name: str, token: str, base_url: str, valid_for: timedelta) -> tuple[str, str]:
    hours = int(valid_for.total_seconds() // 3600)
    subject = "Aktivasi akun SOBAT BPS"
    body = (
        f"Yth. {full_name},\n\n"
        "Terima kasih telah mendaftar sebagai calon mitra statistik BPS.\n"
        "Untuk mengaktifkan akun Anda, buka tautan berikut:\n\n"
        f"{base_url}/#/aktivasi?token={token}\n\n"
        "atau gunakan token aktivasi berikut:\n\n"
        f"Token aktivasi: {token}\n\n"
        f"dan kirimkan token tersebut ke {base_url}/api/v1/accounts/activate.\n"
        f"Token ini hanya dapat dipakai satu kali dan berlaku selama {hours} jam.\n\n"
        "Jika Anda tidak merasa mendaftar, abaikan e-mail ini.\n\n"
        "Salam,\nBadan Pusat Statistik\n"
    )
    return subject, body


def already_registered(full_name: str, base_url: str) -> tuple[str, str]:
    """Someone signed up with an address that has an account: its owner is told, the
    sign-up answer itself says nothing."""
    subject = "Pendaftaran dengan alamat e-mail Anda"
    body = (
        f"Yth. {full_name},\n\n"
        "Seseorang baru saja mencoba mendaftar di SOBAT BPS dengan alamat e-mail ini, "
        "padahal alamat ini sudah memiliki akun.\n\n"
        "Jika itu Anda, silakan masuk dengan akun yang sudah ada. Jika Anda lupa kata sandi, "
        f"mintalah pengaturan ulang kata sandi di {base_url}/api/v1/accounts/password-reset.\n"
        "Jika bukan Anda, abaikan e-mail ini; akun Anda tidak berubah.\n\n"
        "Salam,\nBadan Pusat Statistik\n"
    )
    return subject, body


def password_reset(full_name: str, token: str, base_url: str,
                   valid_for: timedelta) -> tuple[str, str]:
    minutes = int(valid_for.total_seconds() // 60)
    subject = "Atur ulang kata sandi SOBAT BPS"
    body = (
        f"Yth. {full_name},\n\n"
        "Kami menerima permintaan untuk mengatur ulang kata sandi akun SOBAT BPS Anda.\n"
        "Buka tautan berikut untuk membuat kata sandi baru:\n\n"
        f"{base_url}/#/atur-sandi?token={token}\n\n"
        "atau gunakan token berikut bersama kata sandi baru Anda:\n\n"
        f"Token atur ulang: {token}\n\n"
        f"dan kirimkan ke {base_url}/api/v1/accounts/password-reset/confirm.\n"
        f"Token ini hanya dapat dipakai satu kali dan berlaku selama {minutes} menit. "
        "Setelah kata sandi diganti, semua sesi yang masuk sebelumnya berakhir.\n\n"
        "Jika Anda tidak meminta ini, abaikan e-mail ini; kata sandi Anda tidak berubah.\n\n"
        "Salam,\nBadan Pusat Statistik\n"
    )
    return subject, body


def password_changed(full_name: str, base_url: str) -> tuple[str, str]:
    subject = "Kata sandi SOBAT BPS Anda telah diganti"
    body = (
        f"Yth. {full_name},\n\n"
        "Kata sandi akun SOBAT BPS Anda baru saja diganti, dan semua sesi sebelumnya telah "
        "diakhiri.\n"
        "Jika bukan Anda yang menggantinya, segera atur ulang kata sandi di "
        f"{base_url}/api/v1/accounts/password-reset.\n\n"
        "Salam,\nBadan Pusat Statistik\n"
    )
    return subject, body


def sign_in_locked(full_name: str, token: str, base_url: str) -> tuple[str, str]:
    subject = "Percobaan masuk ke akun SOBAT BPS Anda"
    body = (
        f"Yth. {full_name},\n\n"
        "Ada beberapa kali percobaan masuk ke akun SOBAT BPS Anda dengan kata sandi yang "
        "salah, sehingga akun dikunci sementara.\n"
        "Jika itu Anda, buka kunci dengan mengirimkan token berikut ke "
        f"{base_url}/api/v1/auth/unlock:\n\n"
        f"Token buka kunci: {token}\n\n"
        "Token ini hanya dapat dipakai satu kali dan berlaku selama 1 jam. Jika bukan Anda, "
        "sebaiknya ganti kata sandi Anda.\n\n"
        "Salam,\nBadan Pusat Statistik\n"
    )
    return subject, body
