"""The rules of eligibility: only accepted may book; only a strictly later decision replaces
the current one."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from services.assessment.domain.eligibility import Decision, may_book, supersedes
from services.shared.contracts.vocabulary import ADMINISTRATIVE_STATUSES

AT = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


def decision(status: str, at: datetime) -> Decision:
    return Decision("app-1", "act-1", "3528", "acc-1", "3528-2026-00001", status, at)


@pytest.mark.parametrize("status", ADMINISTRATIVE_STATUSES)
def test_only_accepted_may_book(status):
    assert may_book(status) is (status == "accepted")


@pytest.mark.parametrize("status", [None, "", "ACCEPTED", "withdrawn"])
def test_an_unknown_status_may_not_book(status):
    assert may_book(status) is False


def test_the_first_decision_is_taken():
    assert supersedes(decision("rejected", AT), None)


def test_only_a_strictly_later_decision_supersedes():
    current = decision("accepted", AT)
    assert supersedes(decision("rejected", AT + timedelta(microseconds=1)), current)
    assert not supersedes(decision("rejected", AT), current)
    assert not supersedes(decision("rejected", AT - timedelta(hours=1)), current)


def test_later_is_compared_as_a_moment_not_as_wall_clock_text():
    wib = timezone(timedelta(hours=7))
    current = decision("accepted", AT)
    # 09:30 WIB is 02:30 UTC: earlier than the current 03:00 UTC.
    assert not supersedes(decision("rejected", datetime(2026, 11, 20, 9, 30, tzinfo=wib)),
                          current)
