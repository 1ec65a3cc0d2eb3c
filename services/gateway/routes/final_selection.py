"""Final selection and announcement: the satker's criteria, interview scores, the ranking, the
committee's decisions, the pakta integritas overview and the final export (own satker), and
the public results from the announcement time. Scope and every rule are selection's."""
from __future__ import annotations

from werkzeug.wrappers import Response

import selection_pb2 as sel
from services.gateway.clients import TIMEOUT, Backends, optional
from services.gateway.schemas import final_selection as s
from services.gateway.web import Call, route
from services.shared.contracts.identity import ADMIN_ROLES
from services.shared.platform.proto import to_dict

TAG = "final selection"


def _ranked(entry, names: list[str]) -> dict:
    return {"application_id": entry.application_id,
            "registration_number": entry.registration_number, "full_name": entry.full_name,
            "rank": entry.rank if entry.HasField("rank") else None, "total": entry.total,
            "components": dict(zip(names, entry.components, strict=True)),
            "test_score": entry.test_score, "final_status": entry.final_status,
            "interview_score": (entry.interview_score if entry.HasField("interview_score")
                                else None),
            "mitra_elsewhere": list(entry.mitra_elsewhere)}


def _decision(decision) -> dict:
    return to_dict(decision) | {"reason": optional(decision, "reason")}


class FinalSelectionRoutes(Backends):
    @route("PUT", "/api/v1/activities/<string:activity_id>/final-criteria",
           summary="Set the final criteria: positions, weights, minimum test score, "
           "disclosure (refused once a final decision exists)", tag=TAG, roles=ADMIN_ROLES,
           body=s.FinalCriteriaBody, responses={200: s.FinalCriteriaOut})
    def set_final_criteria(self, call: Call):
        body = call.body
        criteria = self.selection.SetFinalCriteria(sel.FinalCriteriaRequest(
            activity_id=call.path_args["activity_id"], positions=body["positions"],
            weights=body["weights"], min_test_score=body["min_test_score"],
            disclose_scores=body["disclose_scores"]), metadata=call.metadata, timeout=TIMEOUT)
        return 200, to_dict(criteria)

    @route("GET", "/api/v1/activities/<string:activity_id>/final-criteria",
           summary="The final criteria (404 while none are set)", tag=TAG, roles=ADMIN_ROLES,
           responses={200: s.FinalCriteriaOut})
    def get_final_criteria(self, call: Call):
        criteria = self.selection.GetFinalCriteria(sel.ActivityRef(
            activity_id=call.path_args["activity_id"]), metadata=call.metadata,
            timeout=TIMEOUT)
        return 200, to_dict(criteria)

    @route("PUT", "/api/v1/applications/<string:application_id>/interview-score",
           summary="Enter an application's interview score (0-100)", tag=TAG,
           roles=ADMIN_ROLES, body=s.InterviewScoreBody, responses={200: s.InterviewScoreOut})
    def set_interview_score(self, call: Call):
        score = self.selection.SetInterviewScore(sel.InterviewScoreRequest(
            application_id=call.path_args["application_id"], score=call.body["score"]),
            metadata=call.metadata, timeout=TIMEOUT)
        return 200, {"application_id": score.application_id, "score": score.score}

    @route("GET", "/api/v1/activities/<string:activity_id>/ranking",
           summary="The ranking under the final criteria: components, total, rank; those "
           "under the minimum apart; the page applies to both lists", tag=TAG,
           roles=ADMIN_ROLES, query=s.RankingQuery, responses={200: s.RankingOut})
    def ranking(self, call: Call):
        reply = self.selection.GetRanking(sel.RankingRequest(
            activity_id=call.path_args["activity_id"], page=call.query["page"],
            per_page=call.query["per_page"]), metadata=call.metadata, timeout=TIMEOUT)
        names = list(reply.components)
        return 200, {"items": [_ranked(entry, names) for entry in reply.items],
                     "below_minimum": [_ranked(entry, names) for entry in reply.below_minimum],
                     "total": reply.total, "below_minimum_total": reply.below_minimum_total}

    # No derived Idempotency-Key: a decision is final, so a repeat is refused (409) anyway; a
    # client that wants the first answer again sends its own key.
    @route("POST", "/api/v1/applications/<string:application_id>/final-decision",
           summary="The committee's final decision: accepted (ranked only, within the "
           "positions) or rejected with a reason; final once made", tag=TAG,
           roles=ADMIN_ROLES, body=s.FinalDecisionBody, responses={200: s.FinalDecisionOut})
    def decide_final(self, call: Call):
        request = sel.FinalDecisionRequest(application_id=call.path_args["application_id"],
                                           decision=call.body["decision"])
        if call.body.get("reason") is not None:
            request.reason = call.body["reason"]
        decision = self.selection.DecideFinal(request, metadata=call.metadata,
                                              timeout=TIMEOUT)
        return 200, _decision(decision)

    @route("POST", "/api/v1/activities/<string:activity_id>/final-decisions/accept-top",
           summary="Accept the first `count` undecided ranked candidates (never past the "
           "positions: 409, nothing accepted)", tag=TAG, roles=ADMIN_ROLES,
           body=s.AcceptTopBody, responses={200: s.AcceptedOut})
    def accept_top(self, call: Call):
        reply = self.selection.AcceptTop(sel.AcceptTopRequest(
            activity_id=call.path_args["activity_id"], count=call.body["count"]),
            metadata=call.metadata, timeout=TIMEOUT)
        return 200, {"accepted": list(reply.accepted)}

    @route("GET", "/api/v1/activities/<string:activity_id>/final-decisions",
           summary="The audit trail of the activity's final decisions", tag=TAG,
           roles=ADMIN_ROLES, responses={200: s.FinalDecisionListOut})
    def final_decisions(self, call: Call):
        reply = self.selection.ListFinalDecisions(sel.ActivityRef(
            activity_id=call.path_args["activity_id"]), metadata=call.metadata,
            timeout=TIMEOUT)
        return 200, {"items": [_decision(d) for d in reply.items]}

    @route("GET", "/api/v1/activities/<string:activity_id>/pakta-integritas",
           summary="The finally accepted and whether each has uploaded the pakta integritas",
           tag=TAG, roles=ADMIN_ROLES, responses={200: s.PaktaIntegritasOut})
    def pakta_integritas(self, call: Call):
        reply = self.selection.PaktaIntegritas(sel.ActivityRef(
            activity_id=call.path_args["activity_id"]), metadata=call.metadata,
            timeout=TIMEOUT)
        return 200, {"items": [to_dict(entry) for entry in reply.items],
                     "total": reply.total, "uploaded": reply.uploaded}

    @route("GET", "/api/v1/activities/<string:activity_id>/final-export",
           summary="The final selection as CSV or XLSX: rank, components, total, status, "
           "pakta integritas", tag=TAG, roles=ADMIN_ROLES, query=s.FinalExportQuery,
           responses={200: None})
    def final_export(self, call: Call):
        exported = self.selection.ExportFinal(sel.ExportRequest(
            activity_id=call.path_args["activity_id"], format=call.query["format"]),
            metadata=call.metadata, timeout=TIMEOUT)
        return Response(exported.content, content_type=exported.content_type, headers={
            "Content-Disposition": f'attachment; filename="{exported.filename}"',
            "Cache-Control": "private, no-store"})

    @route("GET", "/api/v1/activities/<string:activity_id>/results",
           summary="The public list of the finally accepted (registration number, name, "
           "kecamatan), from the announcement time; 404 before", tag=TAG, public=True,
           responses={200: s.ResultsOut})
    def results(self, call: Call):
        reply = self.selection.GetResults(sel.ActivityRef(
            activity_id=call.path_args["activity_id"]), metadata=call.metadata,
            timeout=TIMEOUT)
        return 200, {"items": [to_dict(entry) for entry in reply.items],
                     "total": reply.total}
