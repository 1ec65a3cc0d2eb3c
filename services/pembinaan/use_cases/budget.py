"""The budget calculators: participants of a fullday meeting and local transport trips for a
number of K/L. They read nothing; ``uow`` is taken as by every use case."""
from __future__ import annotations

from services.pembinaan.domain.budget import MAX_KL_COUNT, fullday_breakdown, transport_trips
from services.shared.contracts.errors import InvalidInput


def _require_kl_count(kl_count: int) -> None:
    if not 1 <= kl_count <= MAX_KL_COUNT:
        raise InvalidInput({"kl_count": [f"Give a number of K/L from 1 to {MAX_KL_COUNT}."]})


def fullday_budget(uow, kl_count: int) -> dict:
    """``{participants, breakdown}`` of one fullday meeting with ``kl_count`` K/L."""
    _require_kl_count(kl_count)
    breakdown = fullday_breakdown(kl_count)
    return {"participants": breakdown.total, "breakdown": breakdown}


def transport_budget(uow, kl_count: int) -> dict:
    """``{trips}`` of local transport for ``kl_count`` K/L."""
    _require_kl_count(kl_count)
    return {"trips": transport_trips(kl_count)}
