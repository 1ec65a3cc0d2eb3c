"""Assessment's entrypoints: the gRPC side of the competency test, the consumers of the events
it follows (idempotent, retried, never dropped) and the timekeeper (a timer in the service, run
by one replica at a time). Thin: convert, call one use case."""
from __future__ import annotations

import logging
from datetime import timedelta

from nameko.timer import timer

import assessment_pb2 as pb
import assessment_pb2_grpc
from services.assessment.persistence.unit_of_work import AssessmentUnitOfWork
from services.assessment.use_cases import (
    activities,
    attempts,
    bookings,
    eligibility,
    item_analysis,
    item_bank,
    sessions,
    timekeeping,
)
from services.shared.contracts.events import (
    ACTIVITY_CHANGED,
    ACTIVITY_PUBLISHED,
    ADMINISTRATIVE_DECIDED,
    ActivityPayload,
    AdministrativeDecidedPayload,
)
from services.shared.contracts.identity import ADMIN_ROLES, MITRA
from services.shared.platform.config import timekeeper_settings
from services.shared.platform.correlation import correlated
from services.shared.platform.database import unit_of_work, utcnow
from services.shared.platform.inbox import handle_once
from services.shared.platform.messaging import reliable_event_handler
from services.shared.platform.proto import from_proto, page_bounds, to_proto
from services.shared.platform.rpc import Database, HealthCheck, grpc_entrypoint, rpc

log = logging.getLogger(__name__)
grpc = grpc_entrypoint(assessment_pb2_grpc.AssessmentStub)
TIMEKEEPER = timekeeper_settings()
ADMINS_AND_MITRA = ADMIN_ROLES + MITRA


class AttemptCalls:
    """The candidate's attempt (proto service ``Attempts``): start or resume, save an answer,
    submit, read. Test day's hot path: served by the official grpcio server in a process of
    plain threads (attempt_server.py), not by the nameko service below."""

    db: Database
    unit_of_work = AssessmentUnitOfWork

    @rpc(roles=MITRA)
    def StartAttempt(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(attempts.start_attempt(uow, identity, asked["session_id"]), pb.Attempt)

    @rpc(roles=MITRA)
    def SaveAnswer(self, request, identity, uow):
        # Test day's hot path: the fields as they are, not through the generic JSON-based
        # conversion (which cost more than the use case's own Python).
        saved = attempts.save_answer(uow, identity, request.attempt_id, request.question_id,
                                     request.option_index, request.client_address)
        return pb.AnswerSaved(attempt_id=saved["attempt_id"], question_id=saved["question_id"],
                              option_index=saved["option_index"],
                              saved_at=saved["saved_at"].isoformat(),
                              seconds_left=saved["seconds_left"])

    @rpc(roles=MITRA)
    def SubmitAttempt(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(attempts.submit_attempt(uow, identity, asked["attempt_id"]),
                        pb.AttemptState)

    @rpc(roles=MITRA)
    def GetAttempt(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(attempts.get_attempt(uow, identity, asked["attempt_id"]),
                        pb.AttemptState)


class AssessmentService(HealthCheck):
    name = "assessment"
    db = Database("assessment")
    unit_of_work = AssessmentUnitOfWork

    @reliable_event_handler("selection", ADMINISTRATIVE_DECIDED)
    def on_administrative_decided(self, body):
        handle_once(self.db.sessions, self.unit_of_work, "assessment.on_administrative_decided",
                    body, AdministrativeDecidedPayload(),
                    eligibility.follow_administrative_decision)

    @reliable_event_handler("registration", ACTIVITY_PUBLISHED)
    def on_activity_published(self, body):
        handle_once(self.db.sessions, self.unit_of_work, "assessment.on_activity_published",
                    body, ActivityPayload(), activities.follow_activity)

    @reliable_event_handler("registration", ACTIVITY_CHANGED)
    def on_activity_changed(self, body):
        handle_once(self.db.sessions, self.unit_of_work, "assessment.on_activity_changed",
                    body, ActivityPayload(), activities.follow_activity)

    # The heartbeat and the outage credit are the attempt server's (attempt_server.py): it is
    # what candidates answer through. This closes attempts at their deadline and reports the
    # no-shows, never while the heartbeat is stale.
    @timer(interval=TIMEKEEPER.interval_seconds, eager=True)
    @correlated
    def keep_time(self):
        try:
            with unit_of_work(self.db.sessions) as session:
                done = timekeeping.close_and_report(
                    self.unit_of_work(session), utcnow(),
                    timedelta(seconds=TIMEKEEPER.outage_threshold_seconds))
        except Exception:
            log.exception("timekeeper run failed; the next one tries again")
            return
        if done is not None and any(done):
            log.info("timekeeper: %d attempts closed at the deadline; %d no-shows reported",
                     *done)

    @grpc
    def Ping(self, request, context):
        return pb.PingReply()

    @grpc
    @rpc(roles=ADMIN_ROLES, idempotent=True)
    def AddQuestions(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(item_bank.add_questions(uow, identity, asked["activity_id"],
                                                asked["items"]), pb.QuestionsAdded)

    @grpc
    @rpc(roles=ADMIN_ROLES, idempotent=True)
    def ImportQuestionSheet(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(item_bank.import_question_sheet(uow, identity, asked["activity_id"],
                                                        asked["content"]), pb.QuestionsAdded)

    @grpc
    @rpc(roles=ADMIN_ROLES)
    def ListQuestions(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(item_bank.list_questions(
            uow, identity, asked["activity_id"], *page_bounds(asked["page"], asked["per_page"])),
            pb.QuestionList)

    @grpc
    @rpc(roles=ADMIN_ROLES, idempotent=True)
    def CreateSession(self, request, identity, uow):
        asked = from_proto(request, datetimes=("starts_at", "ends_at"))
        return to_proto(sessions.create_session(
            uow, identity, asked["activity_id"], asked["starts_at"], asked["ends_at"],
            asked["capacity"]), pb.TestSession)

    @grpc
    @rpc(roles=ADMIN_ROLES, idempotent=True)
    def CreateSchedule(self, request, identity, uow):
        asked = from_proto(request, dates=("first_day",))
        return to_proto(sessions.create_schedule(
            uow, identity, asked["activity_id"], asked["first_day"], asked["days"],
            asked["slots_per_day"], asked["first_slot_starts"], asked["slot_minutes"],
            asked["capacity"]), pb.TestSessionList)

    @grpc
    @rpc(roles=ADMINS_AND_MITRA)
    def ListSessions(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(sessions.list_sessions(uow, identity, asked["activity_id"]),
                        pb.TestSessionList)

    @grpc
    @rpc(roles=MITRA, idempotent=True)
    def BookSession(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(bookings.book_session(uow, identity, asked["session_id"]), pb.Booking)

    @grpc
    @rpc(roles=MITRA)
    def MyTests(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(bookings.my_tests(uow, identity, asked["application_ids"]),
                        pb.MyTestList)

    @grpc
    @rpc(roles=ADMIN_ROLES)
    def ItemAnalysis(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(item_analysis.item_analysis(
            uow, identity, asked["activity_id"], asked["session_id"] or None),
            pb.ItemAnalysisReport)

    @grpc
    @rpc(roles=ADMIN_ROLES)
    def ExportItemAnalysis(self, request, identity, uow):
        asked = from_proto(request)
        return to_proto(item_analysis.export_item_analysis(
            uow, identity, asked["activity_id"], asked["session_id"] or None, asked["format"]),
            pb.ExportFile)
