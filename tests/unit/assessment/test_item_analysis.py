"""Item statistics on a hand-computed example: facility, point-biserial discrimination against
the rest score, option counts, unanswered questions and both flags."""
from __future__ import annotations

import math

import pytest

from services.assessment.domain.item_analysis import (
    METHOD,
    AttemptResponses,
    ItemKey,
    OptionCount,
    analyse_items,
    point_biserial,
)

Q1 = ItemKey("q1", "Ibu kota provinsi Jawa Timur?", "wawasan", option_count=4, answer_index=0)
Q2 = ItemKey("q2", "Tugas pokok penyuluh?", "tugas", option_count=5, answer_index=2)
Q3 = ItemKey("q3", "Kepanjangan KUA?", "umum", option_count=4, answer_index=1)

# Five attempts; each drew its own questions (A4 did not draw q1, A5 did not draw q3).
#          drew          chose (bank order)        marks (1 = right)
#   A1  q1 q2 q3     q1=0  q2=2  q3=1            1  1  1
#   A2  q1 q2 q3     q1=0  q2=2  q3=3            1  1  0
#   A3  q1 q2 q3     q1=0  q2=4  q3=1            1  0  1
#   A4     q2 q3           q2=1  q3=1               0  1
#   A5  q1 q2        q1=0  (q2 unanswered)       1  0
ATTEMPTS = [
    AttemptResponses(("q1", "q2", "q3"), {"q1": 0, "q2": 2, "q3": 1}),
    AttemptResponses(("q1", "q2", "q3"), {"q1": 0, "q2": 2, "q3": 3}),
    AttemptResponses(("q3", "q1", "q2"), {"q1": 0, "q2": 4, "q3": 1}),
    AttemptResponses(("q2", "q3"), {"q2": 1, "q3": 1}),
    AttemptResponses(("q1", "q2"), {"q1": 0}),
]
# q1: drawn by A1 A2 A3 A5, all right: facility 4/4 = 1.0; the item does not vary -> None.
# q2: drawn by all 5. x (item) = 1 1 0 0 0; y (rest = other right answers) = 2 1 2 1 1.
#     n=5, Sx=2, Sy=7, Sxy=3, Sxx=2, Syy=11
#     r = (5*3 - 2*7) / sqrt((5*2 - 2^2) * (5*11 - 7^2)) = 1 / sqrt(6*6) = 1/6 = 0.1667
#     facility 2/5 = 0.4; answered 4 (A5 left it), unanswered 1.
# q3: drawn by A1..A4. x = 1 0 1 1; y = 2 2 1 0.
#     n=4, Sx=3, Sy=5, Sxy=3, Sxx=3, Syy=9
#     r = (4*3 - 3*5) / sqrt((4*3 - 3^2) * (4*9 - 5^2)) = -3 / sqrt(3*11) = -0.52223 -> -0.5222
#     facility 3/4 = 0.75: the ones who get it right do worse on the rest -> flagged.


@pytest.fixture
def analysis():
    return analyse_items([Q1, Q2, Q3], ATTEMPTS)


def test_every_question_is_listed_in_the_order_of_the_keys(analysis):
    assert analysis.attempts == 5
    assert [item.question_id for item in analysis.items] == ["q1", "q2", "q3"]
    assert analysis.items[1].text == Q2.text and analysis.items[1].category == "tugas"
    assert "point-biserial" in analysis.method and "rest score" in analysis.method
    assert analysis.method == METHOD


def test_facility_counts_an_unanswered_question_as_wrong(analysis):
    assert [item.facility for item in analysis.items] == [1.0, 0.4, 0.75]
    assert [item.presented for item in analysis.items] == [4, 5, 4]
    assert [item.answered for item in analysis.items] == [4, 4, 4]
    assert [item.unanswered for item in analysis.items] == [0, 1, 0]


def test_discrimination_is_the_point_biserial_with_the_rest_score(analysis):
    assert [item.discrimination for item in analysis.items] == [None, 0.1667, -0.5222]


def test_every_option_of_the_bank_is_counted_with_the_correct_one_marked(analysis):
    q1, q2, q3 = analysis.items
    assert q1.options == [OptionCount(0, 4, True), OptionCount(1, 0, False),
                          OptionCount(2, 0, False), OptionCount(3, 0, False)]
    assert [(o.chosen, o.correct) for o in q2.options] == [
        (0, False), (1, False), (2, True), (0, False), (1, False)]
    assert [(o.chosen, o.correct) for o in q3.options] == [
        (0, False), (3, True), (0, False), (1, False)]
    assert [o.index for o in q2.options] == [0, 1, 2, 3, 4]


def test_everyone_correct_and_negative_discrimination_are_flagged(analysis):
    assert [item.flags for item in analysis.items] == [
        ["everyone_correct"], [], ["negative_discrimination"]]


def test_a_question_nobody_drew_is_listed_with_zeros():
    never = ItemKey("q9", "Tidak pernah muncul", "umum", option_count=5, answer_index=3)
    analysis = analyse_items([Q1, never, Q2, Q3], ATTEMPTS)
    item = analysis.items[1]
    assert (item.question_id, item.presented, item.answered, item.unanswered) == ("q9", 0, 0, 0)
    assert item.facility == 0.0
    assert item.discrimination is None
    assert item.flags == []
    assert [(o.index, o.chosen, o.correct) for o in item.options] == [
        (0, 0, False), (1, 0, False), (2, 0, False), (3, 0, True), (4, 0, False)]
    # Its presence changes nothing for the others.
    assert [i.discrimination for i in analysis.items if i is not item] == [None, 0.1667, -0.5222]


def test_no_attempts_at_all():
    analysis = analyse_items([Q1], [])
    assert analysis.attempts == 0
    assert analysis.items[0].presented == 0 and analysis.items[0].discrimination is None


def test_a_rest_score_that_does_not_vary_gives_no_discrimination():
    # q1 varies (right, wrong) but the rest score is 1 in both attempts.
    attempts = [AttemptResponses(("q1", "q2"), {"q1": 0, "q2": 2}),
                AttemptResponses(("q1", "q2"), {"q1": 3, "q2": 2})]
    q1 = analyse_items([Q1, Q2], attempts).items[0]
    assert q1.facility == 0.5
    assert q1.discrimination is None
    assert q1.flags == []


def test_one_attempt_gives_no_discrimination():
    attempts = [AttemptResponses(("q1", "q2"), {"q1": 0, "q2": 0})]
    assert [i.discrimination for i in analyse_items([Q1, Q2], attempts).items] == [None, None]


def test_choices_outside_the_draw_or_the_options_are_not_counted():
    attempts = [
        # q3 was not drawn: its choice is ignored (not presented, not answered, not counted).
        AttemptResponses(("q1",), {"q1": 0, "q3": 1}),
        # A choice beyond the options is answered and wrong, in no option's count.
        AttemptResponses(("q1",), {"q1": 7}),
    ]
    q1, q3 = analyse_items([Q1, Q3], attempts).items
    assert (q1.presented, q1.answered, q1.facility) == (2, 2, 0.5)
    assert sum(o.chosen for o in q1.options) == 1
    assert (q3.presented, q3.answered, sum(o.chosen for o in q3.options)) == (0, 0, 0)


def test_a_question_drawn_twice_in_one_attempt_counts_once():
    attempts = [AttemptResponses(("q1", "q1"), {"q1": 0})]
    assert analyse_items([Q1], attempts).items[0].presented == 1


def test_point_biserial_agrees_with_the_textbook_formula():
    # r_pb = (M1 - M0) / s_n * sqrt(p q), with s_n the population deviation of the rest score.
    x = [1, 0, 1, 1, 0, 1, 0, 0]
    y = [5, 3, 4, 2, 1, 5, 2, 3]
    ones = [b for a, b in zip(x, y, strict=True) if a]
    zeros = [b for a, b in zip(x, y, strict=True) if not a]
    mean = sum(y) / len(y)
    s_n = math.sqrt(sum((v - mean) ** 2 for v in y) / len(y))
    p = len(ones) / len(x)
    expected = (sum(ones) / len(ones) - sum(zeros) / len(zeros)) / s_n * math.sqrt(p * (1 - p))
    assert point_biserial(x, y) == pytest.approx(expected)
