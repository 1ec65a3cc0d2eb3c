"""The item bank of an activity, kept by its satker's admin: questions posted as JSON or
uploaded as the admins' XLSX sheet, taken whole or not at all. Only the admin's list shows the
correct answers; nothing a candidate gets does."""
from __future__ import annotations

from services.assessment.adapters.question_sheet import read_question_sheet
from services.assessment.domain.item_bank import accept_questions
from services.assessment.use_cases.activities import activity_in_scope
from services.shared.contracts.identity import Identity
from services.shared.platform.database import utcnow


def add_questions(uow, identity: Identity, activity_id: str, items: list[dict]) -> dict:
    activity = activity_in_scope(uow, identity, activity_id)
    drafts = accept_questions(items, lambda position, field: f"items.{position}.{field}")
    return {"created": uow.questions.add_all(activity.activity_id, drafts,
                                             identity.account_id, utcnow())}


def import_question_sheet(uow, identity: Identity, activity_id: str, content: bytes) -> dict:
    """An XLSX sheet, one question per row; a bad row is reported by its row number."""
    activity = activity_in_scope(uow, identity, activity_id)
    rows = read_question_sheet(content)
    by_position = [row.row for row in rows]
    items = [{"text": row.text, "options": row.options, "answer_index": row.answer_index,
              "category": row.category, "problems": row.problems} for row in rows]
    drafts = accept_questions(
        items, lambda position, field: f"row {by_position[position]}"
                                       + (f": {field}" if field else ""))
    return {"created": uow.questions.add_all(activity.activity_id, drafts,
                                             identity.account_id, utcnow())}


def list_questions(uow, identity: Identity, activity_id: str, page: int,
                   per_page: int) -> dict:
    activity_in_scope(uow, identity, activity_id)
    questions, total = uow.questions.of_activity(activity_id, (page - 1) * per_page, per_page)
    return {"items": [{"id": question.id, "text": question.text,
                       "options": list(question.options),
                       "answer_index": question.answer_index, "category": question.category,
                       "created_at": question.created_at} for question in questions],
            "total": total}
