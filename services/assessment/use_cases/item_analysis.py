"""Item analysis for the satker's admin after a session: how each question of the bank behaved
over the finished attempts (services/assessment/domain/item_analysis.py says how), as JSON and
as an XLSX sheet."""
from __future__ import annotations

from services.assessment.adapters.question_sheet import write_item_analysis
from services.assessment.domain.errors import SessionUnknown
from services.assessment.domain.item_analysis import (
    AttemptResponses,
    ItemAnalysis,
    ItemKey,
    analyse_items,
)
from services.assessment.use_cases.activities import activity_in_scope
from services.shared.contracts.errors import InvalidInput
from services.shared.contracts.identity import Identity

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _analysis(uow, identity: Identity, activity_id: str, session_id: str | None) -> ItemAnalysis:
    activity_in_scope(uow, identity, activity_id)
    if session_id:
        session = uow.sessions.get(session_id)
        if session is None or session.activity_id != activity_id:
            raise SessionUnknown()
    keys = [ItemKey(question.id, question.text, question.category, len(question.options),
                    question.answer_index) for question in uow.questions.keys(activity_id)]
    presented: dict[str, list[str]] = {}
    chosen: dict[str, dict[str, int]] = {}
    for attempt_id, question_id, bank_index in uow.attempts.completed_responses(
            activity_id, session_id):
        presented.setdefault(attempt_id, []).append(question_id)
        if bank_index is not None:
            chosen.setdefault(attempt_id, {})[question_id] = bank_index
    return analyse_items(keys, [AttemptResponses(tuple(questions), chosen.get(attempt_id, {}))
                                for attempt_id, questions in sorted(presented.items())])


def item_analysis(uow, identity: Identity, activity_id: str, session_id: str | None) -> dict:
    analysis = _analysis(uow, identity, activity_id, session_id)
    return {"activity_id": activity_id, "attempts": analysis.attempts,
            "method": analysis.method, "items": analysis.items}


def export_item_analysis(uow, identity: Identity, activity_id: str, session_id: str | None,
                         file_format: str) -> dict:
    if file_format not in ("xlsx", ""):
        raise InvalidInput({"format": ["Must be xlsx."]})
    analysis = _analysis(uow, identity, activity_id, session_id)
    return {"content": write_item_analysis(analysis), "content_type": XLSX,
            "filename": f"analisis-butir-{activity_id}.xlsx"}
