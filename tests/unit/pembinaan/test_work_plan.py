"""The plan check's four problems: too_few_items, fullday_budget_mismatch (the team's
BPS-funded fullday items as a whole, only with a budget set), overdue_unrealised and
unplanned_activity."""
from __future__ import annotations

from datetime import date

import pytest

from services.pembinaan.domain.errors import Invalid
from services.pembinaan.domain.work_plan import PlanItem, Realised, check_item, check_plan

TODAY = date(2025, 6, 1)


def item(n, lokus="A", when=date(2025, 9, 1), penyelenggara="non_bps", jenis="non_fullday"):
    return PlanItem(f"{lokus}{n}", lokus, when, penyelenggara, jenis)


FIVE = [item(n) for n in range(5)]


def codes(problems):
    return [problem["code"] for problem in problems]


def test_five_future_items_and_no_budget_is_ok():
    assert check_plan("A", FIVE, [], TODAY, None) == []


@pytest.mark.parametrize("count, problem", [(0, True), (4, True), (5, False), (6, False)])
def test_too_few_items(count, problem):
    problems = check_plan("A", [item(n) for n in range(count)], [], TODAY, None)
    assert codes(problems) == (["too_few_items"] if problem else [])


def test_other_lokus_items_do_not_count_for_this_one():
    items = [item(n) for n in range(4)] + [item(9, lokus="B")]
    assert codes(check_plan("A", items, [], TODAY, None)) == ["too_few_items"]


@pytest.mark.parametrize("bps_fullday_a, bps_fullday_b, budget, mismatch", [
    (2, 0, 2, False), (1, 1, 2, False),   # the team's items as a whole
    (1, 0, 2, True), (2, 1, 2, True), (0, 0, 0, False), (0, 0, None, False),
    (3, 0, None, False)])                 # no budget set: not checked
def test_fullday_budget(bps_fullday_a, bps_fullday_b, budget, mismatch):
    items = FIVE + [item(10 + n, penyelenggara="bps", jenis="fullday")
                    for n in range(bps_fullday_a)]
    items += [item(20 + n, lokus="B", penyelenggara="bps", jenis="fullday")
              for n in range(bps_fullday_b)]
    # non-BPS fullday and BPS non-fullday items never count
    items += [item(30, jenis="fullday"), item(31, penyelenggara="bps")]
    problems = check_plan("A", items, [], TODAY, budget)
    assert codes(problems) == (["fullday_budget_mismatch"] if mismatch else [])
    if mismatch:
        assert problems[0]["budget"] == budget
        assert problems[0]["count"] == bps_fullday_a + bps_fullday_b


def test_a_passed_date_without_a_realised_activity_is_overdue():
    items = [item(0, when=date(2025, 5, 1)), item(1, when=date(2025, 5, 31)),
             item(2, when=TODAY)] + [item(n) for n in range(3, 5)]
    realised = [Realised("x", "A", "bps", "A1")]
    problems = check_plan("A", items, realised, TODAY, None)
    assert codes(problems) == ["overdue_unrealised"]
    assert problems[0]["work_plan_id"] == "A0"


def test_a_bps_activity_without_a_plan_item_is_unplanned():
    realised = [Realised("x", "A", "bps", None), Realised("y", "A", "non_bps", None),
                Realised("z", "A", "bps", "A1"), Realised("w", "B", "bps", None)]
    problems = check_plan("A", FIVE, realised, TODAY, None)
    assert codes(problems) == ["unplanned_activity"]
    assert problems[0]["activity_id"] == "x"


def test_all_four_problems_in_order():
    items = [item(0, when=date(2025, 1, 1), penyelenggara="bps", jenis="fullday")]
    problems = check_plan("A", items, [Realised("x", "A", "bps", None)], TODAY, 2)
    assert codes(problems) == ["too_few_items", "fullday_budget_mismatch",
                               "overdue_unrealised", "unplanned_activity"]
    assert all(problem["detail"] for problem in problems)


GOOD = {"nama_kegiatan": "FGD", "tanggal_rencana": date(2025, 3, 1), "mekanisme": "hybrid",
        "penyelenggara": "bps", "jenis": "fullday"}


@pytest.mark.parametrize("field, value", [
    ("nama_kegiatan", ""), ("tanggal_rencana", "2025-03-01"), ("mekanisme", "daring"),
    ("penyelenggara", "pemda"), ("jenis", "halfday")])
def test_an_invalid_plan_item(field, value):
    check_item(GOOD)
    with pytest.raises(Invalid) as refused:
        check_item(GOOD | {field: value})
    assert list(refused.value.errors) == [field]
    check_item({"jenis": "non_fullday"}, partial=True)
