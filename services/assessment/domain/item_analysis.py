"""Item analysis after a session: what Moodle's quiz statistics give teachers, for the satker's
admin who wants to know which questions worked.

Per question: the facility index (share of the attempts that drew it and answered it right;
an unanswered question counts as wrong, as it does in the score), a discrimination index, and
how often each option was chosen. The discrimination index is the point-biserial correlation of
the item with the rest score (the attempt's other correct answers), the "corrected item-total"
correlation: every attempt draws its own 30 questions, so total scores are over different
items and the upper/lower 27 % groups would compare unlike attempts on small groups; a
correlation over every attempt that drew the item wastes no data. Leaving the item out of the
score keeps it from correlating with itself. Pure: values in, values out.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

METHOD = ("Facility (indeks kesukaran): share of the attempts that drew the question and "
          "answered it correctly; an unanswered question counts as wrong. Discrimination (daya "
          "beda): point-biserial correlation of the item with the rest score (corrected "
          "item-total: the attempt's correct answers among its other questions), over the "
          "attempts that drew the question; none when fewer than two did or when either side "
          "does not vary.")

EVERYONE_CORRECT = "everyone_correct"
NEGATIVE_DISCRIMINATION = "negative_discrimination"

_DIGITS = 4


@dataclass(frozen=True)
class ItemKey:
    """One question of the bank, with what is needed to mark it."""

    question_id: str
    text: str
    category: str
    option_count: int
    answer_index: int


@dataclass(frozen=True)
class AttemptResponses:
    """One completed attempt: the questions it drew and the options chosen, in the bank's order
    (the per-candidate shuffle undone), so that counts add up across candidates."""

    presented: tuple[str, ...]
    chosen: Mapping[str, int]


@dataclass(frozen=True)
class OptionCount:
    index: int
    chosen: int
    correct: bool


@dataclass(frozen=True)
class ItemStatistics:
    """One question's figures; the field names are the gRPC message's."""

    question_id: str
    text: str
    category: str
    presented: int
    answered: int
    unanswered: int
    facility: float
    discrimination: float | None
    options: list[OptionCount]
    flags: list[str]


@dataclass(frozen=True)
class ItemAnalysis:
    attempts: int
    method: str
    items: list[ItemStatistics]


def point_biserial(item: Sequence[int], rest: Sequence[int]) -> float | None:
    """Pearson's correlation of a 0/1 item with the rest scores (which is the point-biserial),
    or None when it is undefined: fewer than two attempts, or a side without variance.

    Computed on integer sums, so "no variance" is an exact test, not a float near zero."""
    n = len(item)
    if n < 2:
        return None
    sum_x, sum_y = sum(item), sum(rest)
    covariance = n * sum(x * y for x, y in zip(item, rest, strict=True)) - sum_x * sum_y
    variance_x = n * sum(x * x for x in item) - sum_x * sum_x
    variance_y = n * sum(y * y for y in rest) - sum_y * sum_y
    if variance_x == 0 or variance_y == 0:
        return None
    return covariance / math.sqrt(variance_x * variance_y)


def _flags(presented: int, correct: int, discrimination: float | None) -> list[str]:
    flags = []
    if presented > 0 and correct == presented:  # exact: 19,999 of 20,000 rounds to 1.0
        flags.append(EVERYONE_CORRECT)
    if discrimination is not None and discrimination < 0:
        flags.append(NEGATIVE_DISCRIMINATION)
    return flags


def analyse_items(keys: Sequence[ItemKey], attempts: Sequence[AttemptResponses]) -> ItemAnalysis:
    """The statistics of every question in ``keys`` (in that order, also those no attempt drew)
    over the completed ``attempts``.

    A question an attempt drew but that is not in ``keys`` is left out of the rest scores (it
    cannot be marked); a choice for a question the attempt did not draw is ignored; a choice
    outside the question's options counts as answered and wrong and in no option's count."""
    by_id = {key.question_id: key for key in keys}
    # Per attempt: each of the bank's questions it drew (once), 1 when answered right.
    right = [{qid: int(attempt.chosen.get(qid) == by_id[qid].answer_index)
              for qid in attempt.presented if qid in by_id}
             for attempt in attempts]
    totals = [sum(marks.values()) for marks in right]

    items = []
    for key in keys:
        item_marks: list[int] = []
        rest_scores: list[int] = []
        counts = [0] * key.option_count
        answered = 0
        for attempt, marks, total in zip(attempts, right, totals, strict=True):
            if key.question_id not in marks:
                continue
            mark = marks[key.question_id]
            item_marks.append(mark)
            rest_scores.append(total - mark)
            choice = attempt.chosen.get(key.question_id)
            if choice is not None:
                answered += 1
                if 0 <= choice < key.option_count:
                    counts[choice] += 1
        presented, correct = len(item_marks), sum(item_marks)
        facility = round(correct / presented, _DIGITS) if presented else 0.0
        correlation = point_biserial(item_marks, rest_scores)
        discrimination = None if correlation is None else round(correlation, _DIGITS)
        items.append(ItemStatistics(
            question_id=key.question_id,
            text=key.text,
            category=key.category,
            presented=presented,
            answered=answered,
            unanswered=presented - answered,
            facility=facility,
            discrimination=discrimination,
            options=[OptionCount(index=index, chosen=chosen, correct=index == key.answer_index)
                     for index, chosen in enumerate(counts)],
            flags=_flags(presented, correct, discrimination),
        ))
    return ItemAnalysis(attempts=len(attempts), method=METHOD, items=items)
