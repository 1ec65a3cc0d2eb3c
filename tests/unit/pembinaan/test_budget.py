"""The juknis' budget formulas: fullday participants 15n + 16 with its breakdown, local
transport trips 21n."""
from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.pembinaan.domain.budget import (
    MAX_KL_COUNT,
    FulldayBreakdown,
    fullday_breakdown,
    transport_trips,
)

KL_COUNTS = st.integers(min_value=1, max_value=MAX_KL_COUNT)


@given(KL_COUNTS)
def test_the_fullday_parts_sum_to_15n_plus_16(n):
    breakdown = fullday_breakdown(n)
    parts = dataclasses.astuple(breakdown)
    assert sum(parts) == breakdown.total == 15 * n + 16
    assert all(part > 0 for part in parts)


@given(KL_COUNTS)
def test_transport_is_21n(n):
    assert transport_trips(n) == 21 * n


@pytest.mark.parametrize("n, participants, trips", [(5, 91, 105), (6, 106, 126)])
def test_the_examples_of_the_api(n, participants, trips):
    assert fullday_breakdown(n).total == participants
    assert transport_trips(n) == trips


@pytest.mark.parametrize("n, column", [
    (5, FulldayBreakdown(walidata=15, produsen_data=50, tim_pembina=10, pimpinan_bps=2,
                         narasumber=4, pendukung=10)),
    (6, FulldayBreakdown(walidata=18, produsen_data=60, tim_pembina=12, pimpinan_bps=2,
                         narasumber=4, pendukung=10)),
])
def test_the_breakdown_reproduces_the_juknis_table(n, column):
    assert fullday_breakdown(n) == column
