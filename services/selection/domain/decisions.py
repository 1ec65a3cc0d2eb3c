"""Administrative selection (seleksi administrasi): the admin's decisions and their e-mails.

The automatic checks inform; the admin decides. The satker admin checks the candidate's data
against the uploaded files and sets the administrative status: accepted (Diterima), rejected
with a reason, or needs_confirmation (the candidate is asked to confirm or correct data, with
a reason saying what). An admin may change an earlier decision, e.g. rejected -> accepted
after the candidate showed the right document; every change is a transition, recorded with
who, when and why by the caller.
"""
from __future__ import annotations

from dataclasses import dataclass

from services.shared.contracts.errors import InvalidInput

__all__ = [
    "ADMINISTRATIVE_STATUSES",
    "DECISIONS",
    "PROFILE_UPDATED_REASON",
    "Transition",
    "after_profile_update",
    "decide",
    "decision_mail",
    "status_label_id",
]

ADMINISTRATIVE_STATUSES: tuple[str, ...] = ("pending", "needs_confirmation", "accepted", "rejected")
DECISIONS: tuple[str, ...] = ("accepted", "rejected", "needs_confirmation")
# Decisions the candidate must be told the reason of.
_REASON_REQUIRED: tuple[str, ...] = ("rejected", "needs_confirmation")
PROFILE_UPDATED_REASON = "Profil diperbarui oleh calon mitra"

_LABELS_ID: dict[str, str] = {
    "pending": "Menunggu pemeriksaan",
    "needs_confirmation": "Perlu konfirmasi data",
    "accepted": "Diterima",
    "rejected": "Tidak diterima",
}


@dataclass(frozen=True)
class Transition:
    """A change of administrative status (or of the reason given for it)."""

    from_status: str
    to_status: str
    reason: str | None


def _clean_reason(reason: object) -> str | None:
    """The reason stripped; None for None or blank. InvalidInput if it is not text."""
    if reason is None:
        return None
    if not isinstance(reason, str):
        raise InvalidInput({"reason": ["Must be a string."]})
    return reason.strip() or None


def _check_status(status: str) -> None:
    if status not in ADMINISTRATIVE_STATUSES:
        raise ValueError(f"Unknown administrative status: {status!r}.")


def decide(
    current: str,
    decision: str,
    reason: str | None,
    *,
    current_reason: str | None = None,
) -> Transition | None:
    """The transition an admin's decision makes from the ``current`` status, or None.

    ``decision`` must be one of DECISIONS (InvalidInput on "decision" otherwise). Rejected and
    needs_confirmation need a reason (stripped; blank counts as none: InvalidInput on
    "reason"); accepted may carry one. ``current_reason`` is the reason stored with the
    current status: a decision with the same status and the same reason is a repeat, not a
    new decision, and gives None. Any other decision is a transition, including changing an
    earlier decision (rejected -> accepted) or only its reason.
    """
    if not isinstance(decision, str) or decision not in DECISIONS:
        raise InvalidInput({"decision": [f"Must be one of: {', '.join(DECISIONS)}."]})
    cleaned = _clean_reason(reason)
    if decision in _REASON_REQUIRED and cleaned is None:
        raise InvalidInput({"reason": [
            "Give a reason for this decision: the candidate reads it in the e-mail.",
        ]})
    _check_status(current)
    if decision == current and cleaned == _clean_reason(current_reason):
        return None
    return Transition(current, decision, cleaned)


def after_profile_update(current: str) -> Transition | None:
    """A candidate asked to confirm data who saves the profile goes back to pending.

    needs_confirmation -> pending, to be checked again by the admin; any other status is left
    alone (None): an accepted or rejected candidate keeps the admin's decision.
    """
    _check_status(current)
    if current == "needs_confirmation":
        return Transition("needs_confirmation", "pending", PROFILE_UPDATED_REASON)
    return None


def status_label_id(status: str) -> str:
    """The Indonesian label of an administrative status, as the candidate reads it."""
    try:
        return _LABELS_ID[status]
    except KeyError:
        raise ValueError(f"Unknown administrative status: {status!r}.") from None


def _one_line(text: object) -> str:
    """Text for a mail header: no line breaks (they would start a new header)."""
    return " ".join(str(text).split())


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


def decision_mail(
    full_name: str,
    activity_name: str,
    registration_number: str,
    transition: Transition,
) -> tuple[str, str]:
    """(subject, body) of the Indonesian e-mail telling the candidate the new status."""
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
