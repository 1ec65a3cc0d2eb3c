"""The budget calculators as the gRPC methods call them: the juknis' figures, and a number of
K/L out of range refused on its field."""
from __future__ import annotations

import pytest

import pembinaan_pb2 as pb
from services.pembinaan.domain.budget import MAX_KL_COUNT
from services.pembinaan.use_cases.budget import fullday_budget, transport_budget
from services.shared.contracts.errors import InvalidInput
from services.shared.platform.proto import to_dict, to_proto
from tests.service.pembinaan.fakes import InMemoryPembinaanUnitOfWork


def test_fullday_for_five_kl_as_the_reply_carries_it():
    result = fullday_budget(InMemoryPembinaanUnitOfWork(), 5)
    assert to_dict(to_proto(result, pb.FulldayBudgetReply)) == {
        "participants": 91,
        "breakdown": {"walidata": 15, "produsen_data": 50, "tim_pembina": 10,
                      "pimpinan_bps": 2, "narasumber": 4, "pendukung": 10}}


def test_fullday_for_six_kl():
    result = fullday_budget(InMemoryPembinaanUnitOfWork(), 6)
    assert result["participants"] == 106
    assert result["breakdown"].produsen_data == 60 and result["breakdown"].walidata == 18


@pytest.mark.parametrize("kl_count, trips", [(5, 105), (6, 126), (1, 21)])
def test_transport(kl_count, trips):
    result = transport_budget(InMemoryPembinaanUnitOfWork(), kl_count)
    assert to_dict(to_proto(result, pb.TransportBudgetReply)) == {"trips": trips}


@pytest.mark.parametrize("calculator", [fullday_budget, transport_budget])
@pytest.mark.parametrize("kl_count", [0, -1, MAX_KL_COUNT + 1, 2**31 - 1])
def test_a_number_of_kl_out_of_range_is_refused_on_its_field(calculator, kl_count):
    uow = InMemoryPembinaanUnitOfWork()
    with pytest.raises(InvalidInput) as refused:
        calculator(uow, kl_count)
    assert list(refused.value.errors) == ["kl_count"]
    assert uow.events == [] and uow.mail == []


@pytest.mark.parametrize("calculator", [fullday_budget, transport_budget])
def test_the_largest_number_of_kl_fits_the_reply(calculator):
    reply_class = (pb.FulldayBudgetReply if calculator is fullday_budget
                   else pb.TransportBudgetReply)
    to_proto(calculator(InMemoryPembinaanUnitOfWork(), MAX_KL_COUNT), reply_class)
