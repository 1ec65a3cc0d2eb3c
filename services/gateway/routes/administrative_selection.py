"""Administrative selection: the admin's queue, decisions, documents and export. Satker scope
is selection's and registration's to decide (404 unknown, 403 another satker's)."""
from __future__ import annotations

from werkzeug.wrappers import Response

import registration_pb2 as reg
import selection_pb2 as sel
from services.gateway.clients import TIMEOUT, Backends, optional
from services.gateway.schemas import administrative_selection as s
from services.gateway.web import Call, route
from services.shared.contracts.identity import ADMIN_ROLES
from services.shared.platform.proto import to_dict

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}


def review_json(review) -> dict:
    data = to_dict(review)
    data["administrative"]["reason"] = optional(review.administrative, "reason")
    data["administrative"]["decided_at"] = review.administrative.decided_at or None
    for document, message in zip(data["documents"], review.documents, strict=True):
        document["newer_version"] = (to_dict(message.newer_version)
                                     if message.HasField("newer_version") else None)
    return data


class AdministrativeSelectionRoutes(Backends):
    @route("GET", "/api/v1/activities/<string:activity_id>/applications",
           summary="The admin's queue: applications with profile snapshot, documents and "
           "automatic checks", tag="administrative selection", roles=ADMIN_ROLES,
           query=s.ReviewQueueQuery, responses={200: s.ApplicationReviewListOut})
    def review_queue(self, call: Call):
        reply = self.selection.ListApplications(sel.ListApplicationsRequest(
            activity_id=call.path_args["activity_id"],
            administrative_status=call.query.get("administrative_status", ""),
            page=call.query["page"], per_page=call.query["per_page"],
            needs_rereview=call.query.get("needs_rereview")),
            metadata=call.metadata, timeout=TIMEOUT)
        return 200, {"items": [review_json(r) for r in reply.items], "total": reply.total}

    # No derived Idempotency-Key: the same decision may rightly be given again later (after
    # the candidate answered a "needs confirmation"); a client retrying sends its own key.
    @route("POST", "/api/v1/applications/<string:application_id>/administrative-decision",
           summary="Decide: accepted (Diterima), rejected or needs_confirmation, with a reason "
           "unless accepted", tag="administrative selection", roles=ADMIN_ROLES,
           body=s.DecisionBody, responses={200: s.ApplicationReviewOut})
    def decide(self, call: Call):
        request = sel.DecisionRequest(application_id=call.path_args["application_id"],
                                      decision=call.body["decision"])
        if call.body.get("reason") is not None:
            request.reason = call.body["reason"]
        review = self.selection.Decide(request, metadata=call.metadata, timeout=TIMEOUT)
        return 200, review_json(review)

    @route("GET", "/api/v1/applications/<string:application_id>/administrative-decisions",
           summary="The audit trail of an application's administrative status",
           tag="administrative selection", roles=ADMIN_ROLES,
           responses={200: s.DecisionListOut})
    def decisions(self, call: Call):
        reply = self.selection.ListDecisions(sel.ListDecisionsRequest(
            application_id=call.path_args["application_id"]), metadata=call.metadata,
            timeout=TIMEOUT)
        items = [to_dict(d) | {"reason": optional(d, "reason")} for d in reply.items]
        return 200, {"items": items}

    @route("GET", "/api/v1/applications/<string:application_id>/documents/<string:kind>",
           summary="Open a candidate's document (own satker)", tag="administrative selection",
           roles=ADMIN_ROLES, responses={200: None})
    def application_document(self, call: Call):
        document = self.registration.GetApplicationDocument(reg.GetApplicationDocumentRequest(
            application_id=call.path_args["application_id"], kind=call.path_args["kind"]),
            metadata=call.metadata, timeout=TIMEOUT)
        return Response(document.content, content_type=document.content_type, headers={
            "Content-Disposition": f'inline; filename="{document.kind}.'
                                   f'{EXTENSIONS.get(document.content_type, "bin")}"',
            "ETag": f'"{document.sha256}"', "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff"})

    @route("GET", "/api/v1/activities/<string:activity_id>/applications/export",
           summary="The applicants as CSV or XLSX (own satker)", tag="administrative selection",
           roles=ADMIN_ROLES, query=s.ExportQuery, responses={200: None})
    def export(self, call: Call):
        exported = self.selection.ExportApplications(sel.ExportRequest(
            activity_id=call.path_args["activity_id"], format=call.query["format"]),
            metadata=call.metadata, timeout=TIMEOUT)
        return Response(exported.content, content_type=exported.content_type, headers={
            "Content-Disposition": f'attachment; filename="{exported.filename}"',
            "Cache-Control": "private, no-store"})
