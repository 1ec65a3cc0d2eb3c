"""IPS grades at each boundary (>= 4.2 memuaskan, >= 3.5 sangat_baik, >= 2.6 baik, >= 1.8
cukup, else kurang) and the value's range 1.0-5.0."""
from __future__ import annotations

import math
from decimal import Decimal

import pytest

from services.pembinaan.domain.errors import Invalid
from services.pembinaan.domain.ips import check_value, grade


@pytest.mark.parametrize("value, expected", [
    (5.0, "memuaskan"), (4.2, "memuaskan"), (4.19, "sangat_baik"), (4.199999, "sangat_baik"),
    (3.5, "sangat_baik"), (3.49, "baik"), (2.6, "baik"), (2.59, "cukup"), (1.8, "cukup"),
    (1.79, "kurang"), (1.0, "kurang"), (Decimal("4.2"), "memuaskan"), (3, "baik"),
])
def test_grade_at_the_boundaries(value, expected):
    assert grade(value) == expected


@pytest.mark.parametrize("value", [1.0, 5.0, 3.33, 1, 5])
def test_values_within_the_range(value):
    check_value(value)


@pytest.mark.parametrize("value", [0.99, 5.01, -1, 0, math.nan, math.inf, True, "4.2", None])
def test_values_outside_the_range_are_invalid(value):
    with pytest.raises(Invalid) as refused:
        check_value(value)
    assert list(refused.value.errors) == ["value"]
