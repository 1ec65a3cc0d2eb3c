"""The item bank's rules: a question has a text, 4 or 5 distinct non-empty options and the
index of the correct one; a request is taken whole or not at all, every problem reported at
the place the admin finds it."""
from __future__ import annotations

import pytest

from services.assessment.domain.errors import InvalidQuestions
from services.assessment.domain.item_bank import (
    DEFAULT_CATEGORY,
    MAX_QUESTIONS_PER_REQUEST,
    QuestionDraft,
    accept_questions,
)


def json_place(position: int, field: str | None) -> str:
    return f"items.{position}.{field}"


def question(**changes) -> dict:
    item = {"text": "Ibu kota Jawa Timur?", "options": ["Surabaya", "Malang", "Kediri",
                                                        "Madiun"],
            "answer_index": 0, "category": "wawasan"}
    item.update(changes)
    return item


def refused(items, place_of=json_place) -> dict:
    with pytest.raises(InvalidQuestions) as caught:
        accept_questions(items, place_of)
    return caught.value.errors


@pytest.mark.parametrize("options", [["A", "B", "C", "D"], ["A", "B", "C", "D", "E"]])
def test_four_or_five_options_are_accepted(options):
    drafts = accept_questions([question(options=options, answer_index=len(options) - 1)],
                              json_place)
    assert drafts == [QuestionDraft("Ibu kota Jawa Timur?", tuple(options), len(options) - 1,
                                    "wawasan")]


@pytest.mark.parametrize("options", [["A", "B", "C"], ["A", "B", "C", "D", "E", "F"], [],
                                     "ABCD", None])
def test_any_other_number_of_options_is_refused(options):
    assert refused([question(options=options)]) == {
        "items.0.options": ["Give 4 or 5 options."]}


@pytest.mark.parametrize("answer_index", [4, -1, 5])
def test_the_answer_must_be_one_of_the_options(answer_index):
    assert refused([question(answer_index=answer_index)]) == {
        "items.0.answer_index": ["The correct option must be one of the options."]}


def test_a_fifth_option_may_be_the_answer_only_when_there_is_one():
    five = ["A", "B", "C", "D", "E"]
    assert accept_questions([question(options=five, answer_index=4)], json_place)
    assert "items.0.answer_index" in refused([question(answer_index=4)])


@pytest.mark.parametrize("answer_index", [None, "0", 1.0, True])
def test_the_answer_is_an_integer_index(answer_index):
    assert refused([question(answer_index=answer_index)]) == {
        "items.0.answer_index": ["Give the correct option's index (0 = the first)."]}


@pytest.mark.parametrize("options", [["A", "", "C", "D"], ["A", "   ", "C", "D"],
                                     ["A", None, "C", "D"]])
def test_no_option_may_be_empty(options):
    assert refused([question(options=options)]) == {
        "items.0.options": ["No option may be empty."]}


def test_two_options_may_not_be_the_same():
    assert refused([question(options=["A", "B", "A ", "D"])]) == {
        "items.0.options": ["Two options are the same."]}


@pytest.mark.parametrize("text", ["", "   ", None])
def test_the_question_has_a_text(text):
    assert refused([question(text=text)]) == {"items.0.text": ["Write the question."]}


def test_a_question_is_tidied_and_gets_the_default_category():
    drafts = accept_questions([question(text="  Apa?  ", options=[" A", "B ", "C", "D"],
                                        category=None),
                               question(category="   ")], json_place)
    assert drafts[0] == QuestionDraft("Apa?", ("A", "B", "C", "D"), 0, DEFAULT_CATEGORY)
    assert drafts[1].category == DEFAULT_CATEGORY == "umum"


def test_a_category_is_a_short_text():
    assert "items.0.category" in refused([question(category="x" * 101)])
    assert "items.0.category" in refused([question(category=7)])


def test_every_problem_is_reported_under_its_place_and_nothing_is_accepted():
    errors = refused([question(), question(options=["A", "B", "C"]), question(),
                      question(text="", answer_index=9)])
    assert errors == {
        "items.1.options": ["Give 4 or 5 options."],
        "items.3.text": ["Write the question."],
        "items.3.answer_index": ["The correct option must be one of the options."],
    }


def test_a_sheet_s_problems_are_reported_by_row_number():
    rows = [7, 8, 9]

    def sheet_place(position, field):
        return f"row {rows[position]}" + (f": {field}" if field else "")

    errors = refused([question(), question(answer_index=7),
                      question(problems=["The answer column is not A-E."])], sheet_place)
    assert errors == {
        "row 8: answer_index": ["The correct option must be one of the options."],
        "row 9": ["The answer column is not A-E."],
    }


def test_a_request_has_at_least_one_and_at_most_the_limit_of_questions():
    assert refused([]) == {"items": ["Give at least one question."]}
    assert "items" in refused([question()] * (MAX_QUESTIONS_PER_REQUEST + 1))
    assert len(accept_questions([question()] * MAX_QUESTIONS_PER_REQUEST, json_place)) == (
        MAX_QUESTIONS_PER_REQUEST)
