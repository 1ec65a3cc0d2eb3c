"""The item bank's rules: what makes a question acceptable. A request (a JSON list or an XLSX
sheet) is taken whole or not at all, so every problem is reported at once, each under the
place the admin finds it: ``items.3.options`` for JSON, ``row 7`` for a sheet."""
from __future__ import annotations

from dataclasses import dataclass

from services.assessment.domain.errors import InvalidQuestions

MIN_OPTIONS, MAX_OPTIONS = 4, 5
MAX_TEXT = 4000
MAX_OPTION_TEXT = 1000
MAX_CATEGORY = 100
MAX_QUESTIONS_PER_REQUEST = 5000
DEFAULT_CATEGORY = "umum"


@dataclass(frozen=True)
class QuestionDraft:
    text: str
    options: tuple[str, ...]
    answer_index: int
    category: str


def problems_of(text, options, answer_index, category) -> dict[str, list[str]]:
    """What is wrong with one question, by field; empty when it is acceptable."""
    problems: dict[str, list[str]] = {}
    if not isinstance(text, str) or not text.strip():
        problems["text"] = ["Write the question."]
    elif len(text) > MAX_TEXT:
        problems["text"] = [f"At most {MAX_TEXT} characters."]
    if not isinstance(options, (list, tuple)) or not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        problems["options"] = [f"Give {MIN_OPTIONS} or {MAX_OPTIONS} options."]
    elif any(not isinstance(option, str) or not option.strip() for option in options):
        problems["options"] = ["No option may be empty."]
    elif any(len(option) > MAX_OPTION_TEXT for option in options):
        problems["options"] = [f"An option has at most {MAX_OPTION_TEXT} characters."]
    elif len({option.strip() for option in options}) != len(options):
        problems["options"] = ["Two options are the same."]
    option_count = len(options) if isinstance(options, (list, tuple)) else 0
    if isinstance(answer_index, bool) or not isinstance(answer_index, int):
        problems["answer_index"] = ["Give the correct option's index (0 = the first)."]
    elif not 0 <= answer_index < max(option_count, MIN_OPTIONS):
        problems["answer_index"] = ["The correct option must be one of the options."]
    if category is not None and (not isinstance(category, str) or len(category) > MAX_CATEGORY):
        problems["category"] = [f"A category is a text of at most {MAX_CATEGORY} characters."]
    return problems


def draft(text: str, options, answer_index: int, category: str | None) -> QuestionDraft:
    """An acceptable question, tidied: surrounding spaces dropped, no category = 'umum'."""
    return QuestionDraft(text=text.strip(), options=tuple(option.strip() for option in options),
                         answer_index=answer_index,
                         category=(category or "").strip() or DEFAULT_CATEGORY)


def accept_questions(items: list[dict], place_of) -> list[QuestionDraft]:
    """Every question of a request, or InvalidQuestions naming each problem at
    ``place_of(position, field)``; imported whole or not at all."""
    if not items:
        raise InvalidQuestions({"items": ["Give at least one question."]})
    if len(items) > MAX_QUESTIONS_PER_REQUEST:
        raise InvalidQuestions({"items": [f"At most {MAX_QUESTIONS_PER_REQUEST} questions "
                                          "at once."]})
    errors: dict[str, list[str]] = {}
    drafts = []
    for position, item in enumerate(items):
        found = problems_of(item.get("text"), item.get("options"), item.get("answer_index"),
                            item.get("category"))
        found_parse = item.get("problems") or []
        for field, messages in found.items():
            errors.setdefault(place_of(position, field), []).extend(messages)
        if found_parse:
            errors.setdefault(place_of(position, None), []).extend(found_parse)
        if not found and not found_parse:
            drafts.append(draft(item["text"], item["options"], item["answer_index"],
                                item.get("category")))
    if errors:
        raise InvalidQuestions(errors)
    return drafts
