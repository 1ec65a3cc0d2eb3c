"""Administrative decisions: validation, transitions, profile updates, labels and the
candidate's statuses."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.selection.domain.decisions import (
    OPEN_STATUSES,
    PROFILE_UPDATED_REASON,
    ApplicationStatus,
    Transition,
    after_profile_update,
    decide,
    status_label_id,
    statuses_for,
)
from services.selection.domain.errors import ReasonNotText, ReasonRequired, UnknownDecision
from services.shared.contracts.errors import InvalidInput
from services.shared.contracts.vocabulary import ADMINISTRATIVE_DECISIONS as DECISIONS
from services.shared.contracts.vocabulary import ADMINISTRATIVE_STATUSES

REASON = "Ijazah yang diunggah tidak terbaca"


def test_vocabulary() -> None:
    assert ADMINISTRATIVE_STATUSES == ("pending", "needs_confirmation", "accepted", "rejected")
    assert DECISIONS == ("accepted", "rejected", "needs_confirmation")
    assert OPEN_STATUSES == ("pending", "needs_confirmation")


# --- decide -------------------------------------------------------------------------------

@pytest.mark.parametrize("decision", DECISIONS)
def test_every_decision_from_pending(decision: str) -> None:
    assert decide("pending", decision, REASON) == Transition("pending", decision, REASON)


def test_accepted_without_a_reason() -> None:
    assert decide("pending", "accepted", None) == Transition("pending", "accepted", None)
    assert decide("pending", "accepted", "   ") == Transition("pending", "accepted", None)


def test_accepted_reason_is_stored_stripped() -> None:
    transition = decide("pending", "accepted", "  Dokumen lengkap \n")
    assert transition == Transition("pending", "accepted", "Dokumen lengkap")


@pytest.mark.parametrize("decision", ["rejected", "needs_confirmation"])
def test_reason_is_stripped(decision: str) -> None:
    assert decide("pending", decision, f"  {REASON}\t") == Transition("pending", decision, REASON)


@pytest.mark.parametrize("decision", ["approve", "", "pending", "ACCEPTED", "Diterima", None, 1])
def test_invalid_decision(decision: object) -> None:
    with pytest.raises(UnknownDecision) as caught:
        decide("pending", decision, REASON)  # type: ignore[arg-type]
    assert list(caught.value.errors) == ["decision"]
    assert isinstance(caught.value, InvalidInput)  # 422
    assert "accepted" in caught.value.errors["decision"][0]


@pytest.mark.parametrize("decision", ["rejected", "needs_confirmation"])
@pytest.mark.parametrize("reason", [None, "", "   ", "\n\t"])
def test_rejection_and_confirmation_need_a_reason(decision: str, reason: str | None) -> None:
    with pytest.raises(ReasonRequired) as caught:
        decide("pending", decision, reason)
    assert list(caught.value.errors) == ["reason"]
    assert caught.value.errors["reason"][0].startswith("Give a reason")
    assert caught.value.code() == "reason_required"


def test_reason_that_is_not_text() -> None:
    with pytest.raises(ReasonNotText) as caught:
        decide("pending", "accepted", 42)  # type: ignore[arg-type]
    assert list(caught.value.errors) == ["reason"]


def test_unknown_current_status_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        decide("withdrawn", "accepted", None)


def test_repeated_decision_is_not_a_new_one() -> None:
    assert decide("accepted", "accepted", None) is None
    assert decide("accepted", "accepted", "  ") is None
    assert decide("rejected", "rejected", REASON, current_reason=REASON) is None
    assert decide("rejected", "rejected", f" {REASON} ", current_reason=REASON) is None
    assert decide("needs_confirmation", "needs_confirmation", REASON,
                  current_reason=REASON) is None
    assert decide("accepted", "accepted", "Lengkap", current_reason="Lengkap") is None


def test_same_status_with_another_reason_is_a_change() -> None:
    assert decide("rejected", "rejected", "Bukan penduduk setempat", current_reason=REASON) \
        == Transition("rejected", "rejected", "Bukan penduduk setempat")
    assert decide("accepted", "accepted", "Lengkap") \
        == Transition("accepted", "accepted", "Lengkap")
    assert decide("accepted", "accepted", None, current_reason="Lengkap") \
        == Transition("accepted", "accepted", None)


@pytest.mark.parametrize(("current", "decision"), [
    ("rejected", "accepted"),  # the candidate showed the right document
    ("accepted", "rejected"),
    ("needs_confirmation", "accepted"),
    ("needs_confirmation", "rejected"),
    ("accepted", "needs_confirmation"),
    ("rejected", "needs_confirmation"),
])
def test_an_earlier_decision_may_be_changed(current: str, decision: str) -> None:
    transition = decide(current, decision, REASON, current_reason="Alasan lama")
    assert transition == Transition(current, decision, REASON)


def test_validation_comes_before_the_repeat_check() -> None:
    with pytest.raises(ReasonRequired):
        decide("rejected", "rejected", "  ", current_reason=None)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(ADMINISTRATIVE_STATUSES), st.sampled_from(DECISIONS),
       st.one_of(st.none(), st.text(max_size=40)), st.one_of(st.none(), st.text(max_size=40)))
def test_decide_properties(current: str, decision: str, reason: str | None,
                           current_reason: str | None) -> None:
    cleaned = reason.strip() if reason is not None and reason.strip() else None
    if decision != "accepted" and cleaned is None:
        with pytest.raises(InvalidInput):
            decide(current, decision, reason, current_reason=current_reason)
        return
    transition = decide(current, decision, reason, current_reason=current_reason)
    old = current_reason.strip() if current_reason and current_reason.strip() else None
    if current == decision and cleaned == old:
        assert transition is None
    else:
        assert transition == Transition(current, decision, cleaned)


# --- after a profile update ---------------------------------------------------------------

ASKED_AT = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)  # when the admin asked to confirm


def test_profile_update_sends_needs_confirmation_back_to_pending() -> None:
    after = ASKED_AT + timedelta(minutes=5)
    assert after_profile_update("needs_confirmation", after, ASKED_AT) == Transition(
        "needs_confirmation", "pending", "Profil diperbarui oleh calon mitra",
    )
    assert PROFILE_UPDATED_REASON == "Profil diperbarui oleh calon mitra"


@pytest.mark.parametrize("before", [timedelta(0), timedelta(seconds=1), timedelta(days=3)])
def test_a_change_made_before_the_admin_asked_is_no_answer(before: timedelta) -> None:
    # Made before (or at) the decision, delivered after it: the request stands.
    assert after_profile_update("needs_confirmation", ASKED_AT - before, ASKED_AT) is None


def test_a_change_made_just_after_the_admin_asked_is_an_answer() -> None:
    just_after = ASKED_AT + timedelta(microseconds=1)
    assert after_profile_update("needs_confirmation", just_after, ASKED_AT) is not None


def test_with_no_decision_time_any_change_is_an_answer() -> None:
    assert after_profile_update("needs_confirmation", ASKED_AT, None) is not None


@pytest.mark.parametrize("status", ["pending", "accepted", "rejected"])
def test_profile_update_leaves_other_statuses(status: str) -> None:
    assert after_profile_update(status, ASKED_AT + timedelta(days=1), ASKED_AT) is None


def test_profile_update_of_unknown_status() -> None:
    with pytest.raises(ValueError):
        after_profile_update("withdrawn", ASKED_AT, None)


# --- labels ------------------------------------------------------------------------------

@pytest.mark.parametrize(("status", "label"), [
    ("pending", "Menunggu pemeriksaan"),
    ("needs_confirmation", "Perlu konfirmasi data"),
    ("accepted", "Diterima"),
    ("rejected", "Tidak diterima"),
])
def test_status_label_id(status: str, label: str) -> None:
    assert status_label_id(status) == label


def test_status_label_of_unknown_status() -> None:
    with pytest.raises(ValueError):
        status_label_id("withdrawn")


# --- the candidate's statuses -------------------------------------------------------------

def test_an_application_selection_has_not_received_is_pending() -> None:
    known = {"a": ApplicationStatus("a", "rejected", REASON)}
    assert statuses_for(["b", "a"], known) == [
        ApplicationStatus("b", "pending", None), ApplicationStatus("a", "rejected", REASON)]


def test_statuses_answer_each_id_once_in_the_order_asked() -> None:
    assert [s.application_id for s in statuses_for(["c", "a", "c"], {})] == ["c", "a"]
    assert statuses_for([], {"a": ApplicationStatus("a", "accepted")}) == []
