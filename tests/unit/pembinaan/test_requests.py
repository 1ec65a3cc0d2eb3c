"""The request state machine, table-driven: every (from, to) pair of statuses is either in
the table (allowed, and only for its actor) or refused as a conflict with the state."""
from __future__ import annotations

import itertools

import pytest

from services.pembinaan.domain.errors import (
    Invalid,
    TransitionNotAllowed,
    TransitionNotPermitted,
)
from services.pembinaan.domain.requests import (
    CURRENT_TEAM,
    OFFICE_HEAD,
    TRANSITIONS,
    Actor,
    check_transition,
)
from services.shared.contracts.vocabulary import PEMBINAAN_REQUEST_STATUSES

SATKER = "3528"
ALLOWED = {
    ("submitted", "disposed"): OFFICE_HEAD,
    ("disposed", "capacity_confirmed"): CURRENT_TEAM,
    ("disposed", "escalated"): CURRENT_TEAM,
    ("escalated", "capacity_confirmed"): CURRENT_TEAM,
    ("escalated", "escalated"): CURRENT_TEAM,
    ("capacity_confirmed", "in_progress"): CURRENT_TEAM,
    ("in_progress", "documented"): CURRENT_TEAM,
}
ACTORS = {
    "head of this satker": Actor("admin_satker", SATKER, False),
    "head of another satker": Actor("admin_satker", "3320", False),
    "sekretariat": Actor("sekretariat", None, False),
    "superadmin": Actor("superadmin", None, False),
    "member of the current team": Actor("pembina", None, True),
    "pembina of another team": Actor("pembina", None, False),
    "mitra": Actor("mitra", None, False),
}
MAY = {
    OFFICE_HEAD: {"head of this satker", "sekretariat", "superadmin"},
    CURRENT_TEAM: {"member of the current team"},
}
PAIRS = list(itertools.product(PEMBINAAN_REQUEST_STATUSES, repeat=2))


def test_the_table_is_the_api_flow():
    assert TRANSITIONS == ALLOWED


@pytest.mark.parametrize("status, to", sorted(ALLOWED))
@pytest.mark.parametrize("actor", sorted(ACTORS))
def test_an_allowed_step_only_for_its_actor(status, to, actor):
    if actor in MAY[ALLOWED[(status, to)]]:
        check_transition(status, to, ACTORS[actor], SATKER)
    else:
        with pytest.raises(TransitionNotPermitted):
            check_transition(status, to, ACTORS[actor], SATKER)


@pytest.mark.parametrize("status, to", [pair for pair in PAIRS if pair not in ALLOWED])
@pytest.mark.parametrize("actor", sorted(ACTORS))
def test_every_other_step_is_a_conflict_whoever_asks(status, to, actor):
    with pytest.raises(TransitionNotAllowed):
        check_transition(status, to, ACTORS[actor], SATKER)


@pytest.mark.parametrize("to", ["", "closed", "DISPOSED", None])
def test_a_to_that_is_no_status_is_invalid(to):
    with pytest.raises(Invalid) as refused:
        check_transition("submitted", to, ACTORS["sekretariat"], SATKER)
    assert list(refused.value.errors) == ["to"]


def test_documented_is_final():
    for to in PEMBINAAN_REQUEST_STATUSES:
        assert ("documented", to) not in TRANSITIONS
