"""Pembinaan's mail, in Indonesian: a request disposed or escalated to a team is mailed to
its members; a documented activity to the team's ketua and koordinator."""
from __future__ import annotations

from datetime import date

_VERB = {"disposed": "didisposisikan", "escalated": "dieskalasi"}


def request_routed(to_status: str, team_name: str, requester_name: str, subject: str,
                   letter_number: str, letter_date: date, note: str | None) -> tuple[str, str]:
    """(subject, body) of the mail to a team a request was disposed or escalated to."""
    title = f"Permintaan pembinaan statistik sektoral dari {requester_name}"
    lines = [
        f"Yth. {team_name},",
        "",
        f"Permintaan pembinaan statistik sektoral dari {requester_name} (surat nomor "
        f"{letter_number} tanggal {letter_date.strftime('%d-%m-%Y')}) perihal \"{subject}\" "
        f"telah {_VERB[to_status]} kepada tim Anda.",
    ]
    if note:
        lines += ["", f"Catatan: {note}"]
    lines += [
        "",
        "Mohon konfirmasi kapasitas pembinaan, atau eskalasi bila permasalahannya lintas "
        "satuan kerja, melalui aplikasi dokumentasi pembinaan statistik sektoral.",
        "",
        "Salam,",
        "Sekretariat Pembinaan Statistik Sektoral",
    ]
    return title, "\n".join(lines)


_FORMS = {"diklat_bimtek": "Diklat/Bimtek", "seminar_webinar": "Seminar/Webinar",
          "asistensi": "Asistensi", "fgd": "FGD", "rapat_koordinasi": "Rapat Koordinasi",
          "workshop": "Workshop", "coaching_clinic": "Coaching Clinic", "pameran": "Pameran",
          "konsolidasi": "Konsolidasi", "audiensi": "Audiensi", "konsultansi": "Konsultansi",
          "knowledge_sharing": "Knowledge Sharing"}


def activity_documented(team_name: str, lokus_name: str, bentuk: str, tanggal: date,
                        inisiatif: str) -> tuple[str, str]:
    """(subject, body) of the mail to a team's ketua and koordinator: an activity of the team
    was recorded in the documentation application."""
    title = f"Aktivitas pembinaan terdokumentasi: {lokus_name}"
    body = "\n".join([
        f"Yth. Ketua dan Koordinator {team_name},",
        "",
        f"Aktivitas pembinaan {_FORMS.get(bentuk, bentuk)} pada {lokus_name} tanggal "
        f"{tanggal.strftime('%d-%m-%Y')} (inisiatif "
        f"{'BPS' if inisiatif == 'bps' else 'non-BPS'}) telah didokumentasikan pada aplikasi "
        "dokumentasi pembinaan statistik sektoral.",
        "",
        "Salam,",
        "Sekretariat Pembinaan Statistik Sektoral",
    ])
    return title, body
