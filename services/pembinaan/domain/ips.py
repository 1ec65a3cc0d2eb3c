"""Indeks Pembangunan Statistik (IPS) of a lokus, from its EPSS: a value from 1.0 to 5.0 and
its grade (>= 4.2 Memuaskan, >= 3.5 Sangat Baik, >= 2.6 Baik, >= 1.8 Cukup, else Kurang)."""
from __future__ import annotations

from decimal import Decimal

from services.pembinaan.domain.errors import Invalid

MIN_IPS, MAX_IPS = Decimal("1.0"), Decimal("5.0")
# The lower bound of each grade, from the top; below the last one: kurang.
GRADES: tuple[tuple[Decimal, str], ...] = (
    (Decimal("4.2"), "memuaskan"),
    (Decimal("3.5"), "sangat_baik"),
    (Decimal("2.6"), "baik"),
    (Decimal("1.8"), "cukup"),
)
LOWEST = "kurang"


def _decimal(value: float | Decimal) -> Decimal:
    # The value as written (4.2 is 4.2, not 4.19999...): a float goes through its repr.
    return value if isinstance(value, Decimal) else Decimal(repr(float(value)))


def check_value(value: float | Decimal) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise Invalid("value", "Use a number from 1.0 to 5.0.")
    number = _decimal(value)
    if not number.is_finite() or not MIN_IPS <= number <= MAX_IPS:
        raise Invalid("value", "Use a number from 1.0 to 5.0.")
    return number


def grade(value: float | Decimal) -> str:
    number = _decimal(value)
    for bound, name in GRADES:
        if number >= bound:
            return name
    return LOWEST
