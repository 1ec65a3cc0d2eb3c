"""The timed attempt's rules: the deadline from the server's clock, the per-candidate draw
(which questions, their order, each question's option order), the mapping between what the
candidate saw and the bank, the score, and what the candidate is told."""
from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.assessment.domain.attempts import (
    ATTEMPT_DURATION,
    CLOSED,
    OPEN,
    QUESTIONS_PER_ATTEMPT,
    SUBMITTED,
    BankItem,
    bank_index,
    check_may_answer,
    check_may_start,
    deadline_of,
    draw_questions,
    public_status,
    score_of,
    seconds_left,
    shown_index,
)
from services.assessment.domain.errors import AttemptOver, ItemBankEmpty, OutsideSessionWindow

START = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)  # 07:00 WIB
END = START + timedelta(hours=2)


def bank_of(size: int, categories: int = 1, options: int = 4) -> list[BankItem]:
    return [BankItem(f"q-{number:04d}", f"cat-{number % categories}", options)
            for number in range(size)]


# The deadline


def test_an_attempt_started_early_lasts_sixty_minutes():
    assert timedelta(minutes=60) == ATTEMPT_DURATION
    assert deadline_of(START + timedelta(minutes=5), END) == START + timedelta(minutes=65)


def test_an_attempt_started_near_the_session_end_ends_with_the_session():
    started = END - timedelta(minutes=20)
    assert deadline_of(started, END) == END


def test_an_attempt_started_exactly_sixty_minutes_before_the_end_gets_all_of_them():
    assert deadline_of(END - timedelta(minutes=60), END) == END


# May it start, may it still be answered


def test_an_attempt_starts_only_inside_the_session_window():
    check_may_start(START, START, END)
    check_may_start(END - timedelta(microseconds=1), START, END)
    for outside in (START - timedelta(microseconds=1), END, END + timedelta(hours=1)):
        with pytest.raises(OutsideSessionWindow):
            check_may_start(outside, START, END)


def test_an_answer_counts_until_the_deadline_and_not_at_it():
    deadline = START + timedelta(minutes=60)
    check_may_answer(OPEN, deadline, deadline - timedelta(microseconds=1))
    for now in (deadline, deadline + timedelta(seconds=1)):
        with pytest.raises(AttemptOver):
            check_may_answer(OPEN, deadline, now)


@pytest.mark.parametrize("status", [SUBMITTED, CLOSED])
def test_a_finished_attempt_takes_no_answer_even_before_its_deadline(status):
    with pytest.raises(AttemptOver):
        check_may_answer(status, START + timedelta(hours=1), START)


def test_seconds_left_are_whole_and_never_negative():
    deadline = START + timedelta(minutes=60)
    assert seconds_left(deadline, START) == 3600
    assert seconds_left(deadline, deadline - timedelta(seconds=1.5)) == 1
    assert seconds_left(deadline, deadline + timedelta(minutes=5)) == 0


# What the candidate is told


def test_an_open_attempt_past_its_deadline_is_already_closed_for_the_candidate():
    deadline = START + timedelta(minutes=60)
    assert public_status(OPEN, deadline, deadline - timedelta(seconds=1)) == OPEN
    assert public_status(OPEN, deadline, deadline) == CLOSED
    assert public_status(SUBMITTED, deadline, deadline + timedelta(hours=1)) == SUBMITTED
    assert public_status(CLOSED, deadline, START) == CLOSED


# The score


@pytest.mark.parametrize(("correct", "count", "score"), [
    (0, 30, 0.0), (30, 30, 100.0), (15, 30, 50.0), (1, 3, 33.33), (2, 3, 66.67),
    (7, 30, 23.33), (0, 0, 0.0),
])
def test_the_score_is_the_share_correct_from_0_to_100(correct, count, score):
    assert score_of(correct, count) == score


# The draw


def test_a_bank_of_at_most_thirty_is_drawn_whole_in_a_shuffled_order():
    bank = bank_of(QUESTIONS_PER_ATTEMPT)
    drawn = draw_questions(bank, seed=7)
    assert sorted(item.question_id for item in drawn) == [item.question_id for item in bank]
    assert [item.position for item in drawn] == list(range(QUESTIONS_PER_ATTEMPT))
    assert [item.question_id for item in drawn] != [item.question_id for item in bank]
    small = bank_of(12)
    assert sorted(item.question_id for item in draw_questions(small, seed=7)) == [
        item.question_id for item in small]


def test_a_larger_bank_gives_thirty_different_questions():
    drawn = draw_questions(bank_of(200, categories=1), seed=11)
    ids = [item.question_id for item in drawn]
    assert len(ids) == QUESTIONS_PER_ATTEMPT == len(set(ids))


def test_the_draw_is_spread_evenly_over_the_categories():
    bank = bank_of(60, categories=3)
    for seed in range(20):
        by_id = {item.question_id: item.category for item in bank}
        drawn = draw_questions(bank, seed)
        assert Counter(by_id[item.question_id] for item in drawn) == {
            "cat-0": 10, "cat-1": 10, "cat-2": 10}


def test_a_small_category_is_drawn_whole_and_the_others_fill_up():
    bank = ([BankItem(f"a-{n}", "rare", 4) for n in range(3)]
            + [BankItem(f"b-{n}", "common", 4) for n in range(50)])
    drawn = draw_questions(bank, seed=3)
    assert len(drawn) == QUESTIONS_PER_ATTEMPT
    assert sum(item.question_id.startswith("a-") for item in drawn) == 3


def test_the_draw_is_stable_for_one_seed_whatever_order_the_bank_comes_in():
    bank = bank_of(90, categories=4, options=5)
    first = draw_questions(bank, seed=123456789)
    assert draw_questions(bank, seed=123456789) == first
    assert draw_questions(list(reversed(bank)), seed=123456789) == first


def test_different_seeds_give_different_tests():
    bank = bank_of(90, categories=3)
    tests = {tuple((item.question_id, item.option_order) for item in draw_questions(bank, seed))
             for seed in range(10)}
    assert len(tests) == 10
    # Even when the bank is drawn whole, the order differs between candidates.
    whole = bank_of(30)
    orders = {tuple(item.question_id for item in draw_questions(whole, seed))
              for seed in range(10)}
    assert len(orders) == 10


def test_each_option_order_is_a_permutation_of_the_question_s_options():
    bank = [BankItem(f"q-{n}", "umum", 4 + n % 2) for n in range(40)]
    counts = {item.question_id: item.option_count for item in bank}
    for item in draw_questions(bank, seed=5):
        assert sorted(item.option_order) == list(range(counts[item.question_id]))
    assert len({item.option_order for item in draw_questions(bank, seed=5)}) > 1


def test_an_empty_bank_cannot_be_drawn():
    with pytest.raises(ItemBankEmpty):
        draw_questions([], seed=1)


banks = st.lists(
    st.tuples(st.sampled_from(["tiu", "twk", "tkp", "umum"]), st.sampled_from([4, 5])),
    min_size=1, max_size=80,
).map(lambda rows: [BankItem(f"q-{n:03d}", category, options)
                    for n, (category, options) in enumerate(rows)])


@given(bank=banks, seed=st.integers(min_value=0, max_value=2**62))
def test_the_draw_is_a_subset_without_repeats_in_a_full_permutation_of_positions(bank, seed):
    drawn = draw_questions(bank, seed)
    ids = [item.question_id for item in drawn]
    assert len(ids) == min(QUESTIONS_PER_ATTEMPT, len(bank)) == len(set(ids))
    assert set(ids) <= {item.question_id for item in bank}
    assert [item.position for item in drawn] == list(range(len(drawn)))
    # Spread: the draw's categories differ by at most one, except those the bank runs out of.
    per_category = Counter(item.category for item in bank)
    drawn_per = Counter(next(b.category for b in bank if b.question_id == qid) for qid in ids)
    not_exhausted = [drawn_per[c] for c in per_category if drawn_per[c] < per_category[c]]
    if not_exhausted:
        assert max(drawn_per.values()) - min(not_exhausted) <= 1


@given(bank=banks, seed=st.integers(min_value=0, max_value=2**62))
def test_every_option_order_is_a_permutation(bank, seed):
    counts = {item.question_id: item.option_count for item in bank}
    for item in draw_questions(bank, seed):
        assert sorted(item.option_order) == list(range(counts[item.question_id]))


# From the candidate's screen to the bank and back


@given(order=st.permutations(range(5)))
def test_bank_index_and_shown_index_are_each_other_s_inverse(order):
    for shown in range(len(order)):
        assert shown_index(order, bank_index(order, shown)) == shown
    for bank in range(len(order)):
        assert bank_index(order, shown_index(order, bank)) == bank


def test_an_index_outside_the_options_shown_has_no_bank_index():
    order = (2, 0, 3, 1)
    assert bank_index(order, 0) == 2 and bank_index(order, 3) == 1
    assert bank_index(order, 4) is None
    assert bank_index(order, -1) is None
