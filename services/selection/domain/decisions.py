"""Administrative selection (seleksi administrasi): the admin's decisions and the statuses they
set.

The automatic checks inform; the admin decides. The satker admin checks the candidate's data
against the uploaded files and sets the administrative status: accepted (Diterima), rejected
with a reason, or needs_confirmation (the candidate is asked to confirm or correct data, with
a reason saying what). An admin may change an earlier decision, e.g. rejected -> accepted
after the candidate showed the right document; every change is a transition, recorded with
who, when and why by the caller.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from services.selection.domain.assessment_results import FINAL_PENDING
from services.selection.domain.errors import ReasonNotText, ReasonRequired, UnknownDecision
from services.shared.contracts.vocabulary import ADMINISTRATIVE_DECISIONS, ADMINISTRATIVE_STATUSES

__all__ = [
    "OPEN_STATUSES",
    "PENDING",
    "PROFILE_UPDATED_REASON",
    "ApplicationStatus",
    "Transition",
    "after_profile_update",
    "decide",
    "status_label_id",
    "statuses_for",
]

PENDING = "pending"
# Reviews the admin has not closed: they follow the candidate's profile changes.
OPEN_STATUSES: tuple[str, ...] = (PENDING, "needs_confirmation")
# Decisions the candidate must be told the reason of.
_REASON_REQUIRED: tuple[str, ...] = ("rejected", "needs_confirmation")
PROFILE_UPDATED_REASON = "Profil diperbarui oleh calon mitra"

_LABELS_ID: dict[str, str] = {
    "pending": "Menunggu pemeriksaan",
    "needs_confirmation": "Perlu konfirmasi data",
    "accepted": "Diterima",
    "rejected": "Tidak diterima",
}
assert tuple(_LABELS_ID) == ADMINISTRATIVE_STATUSES  # a label for every status


@dataclass(frozen=True)
class Transition:
    """A change of administrative status (or of the reason given for it)."""

    from_status: str
    to_status: str
    reason: str | None


@dataclass(frozen=True)
class ApplicationStatus:
    """Where one application stands, as its candidate sees it: the administrative status
    (``status``, ``reason``), the competency test's (None until assessment tells) and the
    final selection's. The candidate is shown ``test_score`` only where the activity
    discloses scores (``assessment_results.disclosed_score``), ``final_score`` only from the
    announcement and where disclosed (``final_selection.visible_total``)."""

    application_id: str
    status: str
    reason: str | None = None
    test_status: str | None = None
    test_score: float | None = None
    final_status: str = FINAL_PENDING
    # Final selection: the candidate's own total, only where disclosed after the
    # announcement; the activity, to find its criteria and announcement time.
    final_score: float | None = None
    activity_id: str | None = None


def _clean_reason(reason: object) -> str | None:
    """The reason stripped; None for None or blank. ReasonNotText if it is not text."""
    if reason is None:
        return None
    if not isinstance(reason, str):
        raise ReasonNotText()
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

    ``decision`` must be one of ADMINISTRATIVE_DECISIONS (UnknownDecision otherwise). Rejected
    and needs_confirmation need a reason (stripped; blank counts as none: ReasonRequired);
    accepted may carry one. ``current_reason`` is the reason stored with the current status: a
    decision with the same status and the same reason is a repeat, not a new decision, and
    gives None. Any other decision is a transition, including changing an earlier decision
    (rejected -> accepted) or only its reason.
    """
    if not isinstance(decision, str) or decision not in ADMINISTRATIVE_DECISIONS:
        raise UnknownDecision()
    cleaned = _clean_reason(reason)
    if decision in _REASON_REQUIRED and cleaned is None:
        raise ReasonRequired()
    _check_status(current)
    if decision == current and cleaned == _clean_reason(current_reason):
        return None
    return Transition(current, decision, cleaned)


def after_profile_update(current: str, changed_at: datetime,
                         decided_at: datetime | None) -> Transition | None:
    """A candidate asked to confirm data who saves the profile afterwards goes back to
    pending.

    needs_confirmation -> pending, to be checked again by the admin, when the candidate's
    change (made at ``changed_at``) came after the admin asked (``decided_at``, when the
    current status was set). A change made before the admin asked, but delivered after, is
    no answer to the request: the admin had not asked yet, so the request stands (None).
    Any other status is left alone (None): an accepted or rejected candidate keeps the
    admin's decision.
    """
    _check_status(current)
    if current != "needs_confirmation":
        return None
    if decided_at is not None and changed_at <= decided_at:
        return None
    return Transition("needs_confirmation", PENDING, PROFILE_UPDATED_REASON)


def statuses_for(application_ids: Iterable[str],
                 known: Mapping[str, ApplicationStatus]) -> list[ApplicationStatus]:
    """The status of each application asked about, once each, in the order asked.

    Registration issues an application before its application_submitted event reaches
    selection: an application selection has not received yet is pending, as every
    application starts.
    """
    return [known.get(application_id, ApplicationStatus(application_id, PENDING))
            for application_id in dict.fromkeys(application_ids)]


def status_label_id(status: str) -> str:
    """The Indonesian label of an administrative status, as the candidate reads it."""
    try:
        return _LABELS_ID[status]
    except KeyError:
        raise ValueError(f"Unknown administrative status: {status!r}.") from None
