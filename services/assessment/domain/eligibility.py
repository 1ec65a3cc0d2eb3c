"""Eligibility to book a test session: what selection last decided about an application.

Selection's ``administrative_decided`` events may be redelivered or arrive out of order, so
the decision with the latest ``decided_at`` is the current one, whatever the arrival order.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

ACCEPTED = "accepted"


@dataclass(frozen=True)
class Decision:
    """The administrative decision assessment holds for one application."""

    application_id: str
    activity_id: str
    satker_code: str
    account_id: str
    registration_number: str
    administrative_status: str
    decided_at: datetime


def may_book(administrative_status: str | None) -> bool:
    """Only an application accepted in the administrative selection may book; pending,
    needs_confirmation, rejected or unknown (None) may not."""
    return administrative_status == ACCEPTED


def supersedes(decision: Decision, current: Decision | None) -> bool:
    """Whether ``decision`` replaces ``current``: only a strictly later one does, so a
    redelivered or older decision changes nothing."""
    return current is None or decision.decided_at > current.decided_at
