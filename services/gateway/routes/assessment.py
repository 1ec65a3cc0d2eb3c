"""The competency test: the admin's item bank, sessions and item analysis; the candidate's
booking, attempt and answers. Scope, eligibility and time are assessment's to decide."""
from __future__ import annotations

from werkzeug.wrappers import Response

import assessment_pb2 as asm
from services.gateway.clients import TIMEOUT, Backends, optional
from services.gateway.limits import client_address
from services.gateway.schemas import assessment as s
from services.gateway.schemas.base import EmptyBody
from services.gateway.web import Call, route
from services.shared.contracts.identity import ADMIN_ROLES, MITRA
from services.shared.platform.proto import from_dict, to_dict

XLSX_TYPES = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",)


def attempt_json(attempt) -> dict:
    data = to_dict(attempt)
    data.pop("created", None)
    return data


class AssessmentRoutes(Backends):
    # -- the admin's item bank and sessions ------------------------------------------------

    @route("POST", "/api/v1/activities/<string:activity_id>/questions",
           summary="Add questions to the activity's item bank (4-5 options each, the correct "
           "index, a category); all or none", tag="competency test", roles=ADMIN_ROLES,
           body=s.QuestionsBody, responses={201: s.QuestionsCreatedOut})
    def add_questions(self, call: Call):
        request = from_dict({"activity_id": call.path_args["activity_id"], "items": [
            {key: value for key, value in item.items() if value is not None}
            for item in call.body["items"]]}, asm.AddQuestionsRequest)
        added = self.assessment.AddQuestions(request, metadata=call.metadata, timeout=TIMEOUT)
        return 201, {"created": added.created}

    @route("POST", "/api/v1/activities/<string:activity_id>/questions/sheet",
           summary="Upload the item bank as an XLSX sheet (one row per question: pertanyaan, "
           "opsi_a..opsi_e, jawaban, kategori); a bad row is reported by its number and "
           "nothing is imported", tag="competency test", roles=ADMIN_ROLES, upload=XLSX_TYPES,
           responses={201: s.QuestionsCreatedOut})
    def upload_question_sheet(self, call: Call):
        added = self.assessment.ImportQuestionSheet(asm.ImportQuestionSheetRequest(
            activity_id=call.path_args["activity_id"], content=call.body),
            metadata=call.metadata, timeout=TIMEOUT)
        return 201, {"created": added.created}

    @route("GET", "/api/v1/activities/<string:activity_id>/questions",
           summary="The item bank with the correct answers (the activity's admin only)",
           tag="competency test", roles=ADMIN_ROLES, query=s.ListQuestionsQuery,
           responses={200: s.QuestionListOut})
    def list_questions(self, call: Call):
        reply = self.assessment.ListQuestions(asm.ListQuestionsRequest(
            activity_id=call.path_args["activity_id"], page=call.query["page"],
            per_page=call.query["per_page"]), metadata=call.metadata, timeout=TIMEOUT)
        return 200, {"items": [to_dict(question) for question in reply.items],
                     "total": reply.total}

    @route("POST", "/api/v1/activities/<string:activity_id>/test-sessions",
           summary="Create a test session (its start may be past: a session running now)",
           tag="competency test", roles=ADMIN_ROLES, body=s.TestSessionBody,
           responses={201: s.TestSessionOut})
    def create_session(self, call: Call):
        session = self.assessment.CreateSession(from_dict(
            {"activity_id": call.path_args["activity_id"], **call.body},
            asm.CreateSessionRequest), metadata=call.metadata, timeout=TIMEOUT)
        return 201, to_dict(session)

    @route("POST", "/api/v1/activities/<string:activity_id>/test-sessions/schedule",
           summary="Create a national-style schedule: days x fixed slots on the satker's clock "
           "(e.g. 7 days x 5 two-hour slots from 07:00 WIB)", tag="competency test",
           roles=ADMIN_ROLES, body=s.TestScheduleBody, responses={201: s.TestSessionListOut})
    def create_schedule(self, call: Call):
        created = self.assessment.CreateSchedule(from_dict(
            {"activity_id": call.path_args["activity_id"], **call.body},
            asm.CreateScheduleRequest), metadata=call.metadata, timeout=TIMEOUT)
        return 201, to_dict(created)

    @route("GET", "/api/v1/activities/<string:activity_id>/test-sessions",
           summary="The activity's test sessions with the seats booked", tag="competency test",
           roles=ADMIN_ROLES + MITRA, responses={200: s.TestSessionListOut})
    def list_sessions(self, call: Call):
        reply = self.assessment.ListSessions(asm.ListSessionsRequest(
            activity_id=call.path_args["activity_id"]), metadata=call.metadata, timeout=TIMEOUT)
        return 200, to_dict(reply)

    @route("GET", "/api/v1/activities/<string:activity_id>/item-analysis",
           summary="Item analysis over the finished attempts: facility, discrimination "
           "(point-biserial with the rest score), options chosen, flags", tag="competency test",
           roles=ADMIN_ROLES, query=s.ItemAnalysisQuery, responses={200: s.ItemAnalysisOut})
    def item_analysis(self, call: Call):
        report = self.assessment.ItemAnalysis(asm.ItemAnalysisRequest(
            activity_id=call.path_args["activity_id"],
            session_id=call.query.get("session_id", "")), metadata=call.metadata,
            timeout=TIMEOUT)
        items = []
        for item in report.items:
            items.append(to_dict(item) | {"discrimination": optional(item, "discrimination")})
        return 200, {"activity_id": report.activity_id, "attempts": report.attempts,
                     "method": report.method, "items": items}

    @route("GET", "/api/v1/activities/<string:activity_id>/item-analysis/export",
           summary="The item analysis as an XLSX sheet", tag="competency test",
           roles=ADMIN_ROLES, query=s.ItemAnalysisExportQuery, responses={200: None})
    def export_item_analysis(self, call: Call):
        exported = self.assessment.ExportItemAnalysis(asm.ItemAnalysisRequest(
            activity_id=call.path_args["activity_id"],
            session_id=call.query.get("session_id", ""), format=call.query["format"]),
            metadata=call.metadata, timeout=TIMEOUT)
        return Response(exported.content, content_type=exported.content_type, headers={
            "Content-Disposition": f'attachment; filename="{exported.filename}"',
            "Cache-Control": "private, no-store"})

    # -- the candidate's test --------------------------------------------------------------

    # A booking is made once and never changed: a retry without a key is answered 409
    # (already booked), as the contract says; a client that wants the first answer again
    # sends its own Idempotency-Key.
    @route("POST", "/api/v1/test-sessions/<string:session_id>/booking",
           summary="Book a test session: once per application, it cannot be changed",
           tag="competency test", roles=MITRA, body=EmptyBody, responses={201: s.BookingOut})
    def book_session(self, call: Call):
        booking = self.assessment.BookSession(asm.BookSessionRequest(
            session_id=call.path_args["session_id"]), metadata=call.metadata, timeout=TIMEOUT)
        return 201, to_dict(booking)

    @route("POST", "/api/v1/test-sessions/<string:session_id>/attempt",
           summary="Start the test in the booked session (201), or resume it with the answers "
           "saved and the seconds left (200)", tag="competency test", roles=MITRA,
           body=EmptyBody, responses={201: s.AttemptOut, 200: s.AttemptOut})
    def start_attempt(self, call: Call):
        attempt = self.attempts.StartAttempt(asm.StartAttemptRequest(
            session_id=call.path_args["session_id"]), metadata=call.metadata, timeout=TIMEOUT)
        return (201 if attempt.created else 200), attempt_json(attempt)

    @route("PUT", "/api/v1/attempts/<string:attempt_id>/answers/<string:question_id>",
           summary="Save one answer (the option's index as shown to this candidate)",
           tag="competency test", roles=MITRA, body=s.AnswerBody,
           responses={200: s.AnswerSavedOut})
    def save_answer(self, call: Call):
        saved = self.attempts.SaveAnswer(asm.SaveAnswerRequest(
            attempt_id=call.path_args["attempt_id"], question_id=call.path_args["question_id"],
            option_index=call.body["option_index"],
            client_address=client_address(call.request)), metadata=call.metadata,
            timeout=TIMEOUT)
        # Field by field: test day's hot route (the generic to_dict costs more than this).
        return 200, {"attempt_id": saved.attempt_id, "question_id": saved.question_id,
                     "option_index": saved.option_index, "saved_at": saved.saved_at,
                     "seconds_left": saved.seconds_left}

    @route("POST", "/api/v1/attempts/<string:attempt_id>/submit",
           summary="Submit the attempt", tag="competency test", roles=MITRA, body=EmptyBody,
           responses={200: s.SubmittedOut})
    def submit_attempt(self, call: Call):
        state = self.attempts.SubmitAttempt(asm.AttemptRequest(
            attempt_id=call.path_args["attempt_id"]), metadata=call.metadata, timeout=TIMEOUT)
        return 200, {"attempt_id": state.attempt_id, "status": state.status}

    @route("GET", "/api/v1/attempts/<string:attempt_id>", summary="The attempt's status, "
           "deadline and how many questions are answered", tag="competency test", roles=MITRA,
           responses={200: s.AttemptStateOut})
    def get_attempt(self, call: Call):
        state = self.attempts.GetAttempt(asm.AttemptRequest(
            attempt_id=call.path_args["attempt_id"]), metadata=call.metadata, timeout=TIMEOUT)
        return 200, to_dict(state)
