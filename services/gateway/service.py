"""The gateway: the one HTTP entry (API.md). It holds no domain state: it authenticates,
validates with marshmallow, calls the services over gRPC with the caller's token in the
metadata, and maps their answers (and refusals) back to HTTP."""
from __future__ import annotations

import json

import kombu
from grpc_health.v1 import health_pb2, health_pb2_grpc
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from werkzeug.wrappers import Response

import registration_pb2 as reg
import registration_pb2_grpc
import selection_pb2 as sel
import selection_pb2_grpc
from services.gateway import schemas as s
from services.gateway.clients import ServiceClient
from services.gateway.openapi import openapi_document
from services.gateway.web import Call, http, json_response, jsonable, route
from services.shared.platform import config
from services.shared.contracts.errors import NotPermitted
from services.shared.platform.proto import from_dict, to_dict

TIMEOUT = 15  # seconds; a call past it answers 503
MITRA = ("mitra",)
ADMIN = ("admin_satker", "superadmin")


def _activity_json(activity) -> dict:
    data = to_dict(activity)
    data["quota"] = activity.quota if activity.HasField("quota") else None
    return data


def _account_json(account) -> dict:
    data = to_dict(account)
    data["satker_code"] = data["satker_code"] or None
    return data


class Gateway:
    name = "gateway"

    registration = ServiceClient("registration", registration_pb2_grpc.RegistrationStub)
    selection = ServiceClient("selection", selection_pb2_grpc.SelectionStub)
    registration_health = ServiceClient("registration", health_pb2_grpc.HealthStub)
    selection_health = ServiceClient("selection", health_pb2_grpc.HealthStub)
    assessment_health = ServiceClient("assessment", health_pb2_grpc.HealthStub)
    pembinaan_health = ServiceClient("pembinaan", health_pb2_grpc.HealthStub)

    # -- operations ---------------------------------------------------------------------

    @http("GET", "/healthz")
    def healthz(self, request):
        return json_response(200, {"status": "ok"})

    @http("GET", "/readyz")
    def readyz(self, request):
        checks = {"broker": self._broker_ok()}
        for service in config.SERVICES:
            checks[service] = self._service_ok(getattr(self, f"{service}_health"))
        ready = all(checks.values())
        return json_response(200 if ready else 503,
                             {"status": "ready" if ready else "not ready", "checks": checks})

    @staticmethod
    def _broker_ok() -> bool:
        try:
            with kombu.Connection(config.amqp_uri(), connect_timeout=2) as connection:
                connection.ensure_connection(max_retries=1)
            return True
        except Exception:
            return False

    @staticmethod
    def _service_ok(client) -> bool:
        try:
            reply = client.Check(health_pb2.HealthCheckRequest(), timeout=2)
            return reply.status == health_pb2.HealthCheckResponse.SERVING
        except Exception:
            return False

    @http("GET", "/metrics")
    def metrics(self, request):
        return Response(generate_latest(), content_type=CONTENT_TYPE_LATEST)

    @http("GET", "/api/v1/openapi.json")
    def openapi(self, request):
        return Response(json.dumps(openapi_document()), content_type="application/json")

    @route("GET", "/api/v1/ops/ping", summary="One empty gRPC call to registration (the bare "
           "hop every route rides on; used by the benchmark)", tag="operations", public=True,
           responses={200: None})
    def ping(self, call: Call):
        self.registration.Ping(reg.PingRequest(), timeout=TIMEOUT)
        return 200, {"status": "ok"}

    # -- accounts and auth --------------------------------------------------------------

    @route("POST", "/api/v1/accounts", summary="Register an account (activation by e-mail)",
           tag="accounts", public=True, body=s.CreateAccountBody, responses={201: s.AccountOut})
    def create_account(self, call: Call):
        account = self.registration.CreateAccount(
            from_dict(call.body, reg.CreateAccountRequest), metadata=call.metadata,
            timeout=TIMEOUT)
        return 201, {"id": account.id, "email": account.email, "status": account.status}

    @route("POST", "/api/v1/accounts/activate", summary="Activate an account with its token",
           tag="accounts", public=True, body=s.ActivateAccountBody,
           responses={200: s.ActivationOut})
    def activate_account(self, call: Call):
        reply = self.registration.ActivateAccount(
            from_dict(call.body, reg.ActivateAccountRequest), metadata=call.metadata,
            timeout=TIMEOUT)
        return 200, {"status": reply.status}

    @route("POST", "/api/v1/auth/token", summary="Sign in: an access token", tag="accounts",
           public=True, body=s.TokenBody, responses={200: s.TokenOut})
    def issue_token(self, call: Call):
        reply = self.registration.IssueToken(from_dict(call.body, reg.IssueTokenRequest),
                                             timeout=TIMEOUT)
        data = to_dict(reply)
        data["satker_code"] = data["satker_code"] or None
        return 200, data

    @route("GET", "/api/v1/me", summary="Who am I", tag="accounts",
           responses={200: s.AccountOut})
    def me(self, call: Call):
        account = self.registration.GetMe(reg.GetMeRequest(), metadata=call.metadata,
                                          timeout=TIMEOUT)
        data = _account_json(account)
        return 200, {key: data[key] for key in ("id", "email", "full_name", "role",
                                                 "satker_code")}

    @route("POST", "/api/v1/admin/accounts", summary="Create an admin account (superadmin)",
           tag="accounts", roles=("superadmin",), body=s.CreateAdminAccountBody,
           responses={201: s.AccountOut})
    def create_admin_account(self, call: Call):
        body = dict(call.body, satker_code=call.body.get("satker_code") or "")
        account = self.registration.CreateAdminAccount(
            from_dict(body, reg.CreateAdminAccountRequest), metadata=call.metadata,
            timeout=TIMEOUT)
        return 201, _account_json(account)

    # -- profile and documents ----------------------------------------------------------

    @route("PUT", "/api/v1/me/profile", summary="Fill in or update the candidate profile",
           tag="profile", roles=MITRA, body=s.ProfileBody, responses={200: s.ProfileOut})
    def put_profile(self, call: Call):
        profile = self.registration.PutProfile(from_dict(jsonable(call.body), reg.Profile),
                                               metadata=call.metadata, timeout=TIMEOUT)
        return 200, to_dict(profile)

    @route("GET", "/api/v1/me/profile", summary="The candidate profile", tag="profile",
           roles=MITRA, responses={200: s.ProfileOut})
    def get_profile(self, call: Call):
        profile = self.registration.GetProfile(reg.GetProfileRequest(), metadata=call.metadata,
                                               timeout=TIMEOUT)
        return 200, to_dict(profile)

    @route("PUT", "/api/v1/me/documents/<string:kind>", summary="Upload a document (raw body; "
           "type judged from the bytes)", tag="profile", roles=MITRA, upload=True,
           responses={201: s.DocumentOut})
    def put_document(self, call: Call):
        document = self.registration.PutDocument(reg.PutDocumentRequest(
            kind=call.path_args["kind"], content=call.body,
            content_type=call.request.headers.get("Content-Type", "")),
            metadata=call.metadata, timeout=TIMEOUT)
        data = to_dict(document)
        return 201, {key: data[key] for key in ("kind", "sha256", "size", "content_type")}

    @route("GET", "/api/v1/me/documents", summary="The candidate's documents", tag="profile",
           roles=MITRA, responses={200: s.DocumentListOut})
    def list_documents(self, call: Call):
        documents = self.registration.ListDocuments(reg.ListDocumentsRequest(),
                                                    metadata=call.metadata, timeout=TIMEOUT)
        return 200, to_dict(documents)

    # -- activities and applications ----------------------------------------------------

    @route("POST", "/api/v1/activities", summary="Create a recruitment activity (own satker)",
           tag="activities", roles=ADMIN, body=s.ActivityBody, responses={201: s.ActivityOut})
    def create_activity(self, call: Call):
        body = jsonable(call.body)
        if body.get("quota") is None:
            body.pop("quota", None)
        activity = self.registration.CreateActivity(from_dict(body, reg.Activity),
                                                    metadata=call.metadata, timeout=TIMEOUT)
        return 201, _activity_json(activity)

    @route("GET", "/api/v1/activities", summary="Recruitment activities", tag="activities",
           public=True, query=s.ListActivitiesQuery, responses={200: s.ActivityListOut})
    def list_activities(self, call: Call):
        query = call.query
        reply = self.registration.ListActivities(reg.ListActivitiesRequest(
            satker_code=query.get("satker_code", ""), open_only=bool(query.get("open")),
            page=query["page"], per_page=query["per_page"]), metadata=call.metadata,
            timeout=TIMEOUT)
        return 200, {"items": [_activity_json(a) for a in reply.items], "total": reply.total}

    @route("GET", "/api/v1/activities/<string:activity_id>", summary="One activity",
           tag="activities", public=True, responses={200: s.ActivityOut})
    def get_activity(self, call: Call):
        activity = self.registration.GetActivity(
            reg.GetActivityRequest(id=call.path_args["activity_id"]), metadata=call.metadata,
            timeout=TIMEOUT)
        return 200, _activity_json(activity)

    @route("PATCH", "/api/v1/activities/<string:activity_id>", summary="Change an activity "
           "(own satker): name, window, announcement, quota, requirements", tag="activities",
           roles=ADMIN, body=s.ActivityChangesBody, responses={200: s.ActivityOut})
    def update_activity(self, call: Call):
        body = jsonable(call.body)
        changes = {key: value for key, value in body.items() if key != "quota"}
        if "quota" in body:
            if body["quota"] is None:
                changes["quota_unlimited"] = True
            else:
                changes["quota"] = body["quota"]
        changes["id"] = call.path_args["activity_id"]
        activity = self.registration.UpdateActivity(from_dict(changes, reg.ActivityChanges),
                                                    metadata=call.metadata, timeout=TIMEOUT)
        return 200, _activity_json(activity)

    @route("POST", "/api/v1/activities/<string:activity_id>/applications",
           summary="Apply to an activity", tag="activities", roles=MITRA, body=s.EmptyBody,
           responses={201: s.ApplicationOut})
    def submit_application(self, call: Call):
        application = self.registration.SubmitApplication(
            reg.SubmitApplicationRequest(activity_id=call.path_args["activity_id"]),
            metadata=call.metadata, timeout=TIMEOUT)
        return 201, {"id": application.id, "activity_id": application.activity_id,
                     "registration_number": application.registration_number,
                     "status": application.status, "submitted_at": application.submitted_at}

    @route("GET", "/api/v1/me/applications", summary="The candidate's applications and their "
           "status at every stage", tag="activities", roles=MITRA,
           responses={200: s.MyApplicationListOut})
    def my_applications(self, call: Call):
        reply = self.registration.ListMyApplications(reg.ListMyApplicationsRequest(),
                                                     metadata=call.metadata, timeout=TIMEOUT)
        statuses = {status.application_id: status for status in self.selection
                    .MyApplicationStatuses(sel.MyApplicationStatusesRequest(),
                                           metadata=call.metadata, timeout=TIMEOUT).items}
        items = []
        for application in reply.items:
            status = statuses.get(application.id)
            # Until selection has the application (an event in flight) it is pending.
            administrative = {"status": status.status if status else "pending",
                              "reason": status.reason if status and status.HasField("reason")
                              else None}
            items.append({
                "id": application.id, "activity_id": application.activity_id,
                "activity_name": application.activity_name,
                "satker_code": application.satker_code,
                "registration_number": application.registration_number,
                "submitted_at": application.submitted_at,
                "administrative": administrative,
                # Filled by assessment and final selection when those stages are built.
                "test": {"session_id": None, "status": "not_booked", "score": None},
                "final": {"status": "pending"},
            })
        return 200, {"items": items}

    # -- administrative selection -------------------------------------------------------

    def _activity_in_scope(self, call: Call):
        """The activity (404 if unknown), refused with 403 unless it is the admin's satker."""
        activity = self.registration.GetActivity(
            reg.GetActivityRequest(id=call.path_args["activity_id"]), metadata=call.metadata,
            timeout=TIMEOUT)
        if not call.identity.may_act_for_satker(activity.satker_code):
            raise NotPermitted("This activity belongs to another satker.")
        return activity

    @route("GET", "/api/v1/activities/<string:activity_id>/applications",
           summary="The admin's queue: applications with profile snapshot, documents and "
           "automatic checks", tag="administrative selection", roles=ADMIN,
           query=s.ReviewQueueQuery, responses={200: s.ApplicationReviewListOut})
    def review_queue(self, call: Call):
        self._activity_in_scope(call)
        reply = self.selection.ListApplications(sel.ListApplicationsRequest(
            activity_id=call.path_args["activity_id"],
            administrative_status=call.query.get("administrative_status", ""),
            page=call.query["page"], per_page=call.query["per_page"]),
            metadata=call.metadata, timeout=TIMEOUT)
        return 200, {"items": [_review_json(r) for r in reply.items], "total": reply.total}

    @route("POST", "/api/v1/applications/<string:application_id>/administrative-decision",
           summary="Decide: accepted (Diterima), rejected or needs_confirmation, with a reason "
           "unless accepted", tag="administrative selection", roles=ADMIN,
           body=s.DecisionBody, responses={200: s.ApplicationReviewOut})
    def decide(self, call: Call):
        request = sel.DecisionRequest(application_id=call.path_args["application_id"],
                                      decision=call.body["decision"])
        if call.body.get("reason") is not None:
            request.reason = call.body["reason"]
        review = self.selection.Decide(request, metadata=call.metadata, timeout=TIMEOUT)
        return 200, _review_json(review)

    @route("GET", "/api/v1/applications/<string:application_id>/administrative-decisions",
           summary="The audit trail of an application's administrative status",
           tag="administrative selection", roles=ADMIN, responses={200: s.DecisionListOut})
    def decisions(self, call: Call):
        reply = self.selection.ListDecisions(sel.ListDecisionsRequest(
            application_id=call.path_args["application_id"]), metadata=call.metadata,
            timeout=TIMEOUT)
        items = [to_dict(d) | {"reason": d.reason if d.HasField("reason") else None}
                 for d in reply.items]
        return 200, {"items": items}

    @route("GET", "/api/v1/applications/<string:application_id>/documents/<string:kind>",
           summary="Open a candidate's document (own satker)", tag="administrative selection",
           roles=ADMIN, responses={200: None})
    def application_document(self, call: Call):
        document = self.registration.GetApplicationDocument(reg.GetApplicationDocumentRequest(
            application_id=call.path_args["application_id"], kind=call.path_args["kind"]),
            metadata=call.metadata, timeout=TIMEOUT)
        extension = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
        return Response(document.content, content_type=document.content_type, headers={
            "Content-Disposition": f'inline; filename="{document.kind}.'
                                   f'{extension.get(document.content_type, "bin")}"',
            "ETag": f'"{document.sha256}"', "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff"})

    @route("GET", "/api/v1/activities/<string:activity_id>/applications/export",
           summary="The applicants as CSV or XLSX (own satker)", tag="administrative selection",
           roles=ADMIN, query=s.ExportQuery, responses={200: None})
    def export(self, call: Call):
        self._activity_in_scope(call)
        exported = self.selection.ExportApplications(sel.ExportRequest(
            activity_id=call.path_args["activity_id"], format=call.query["format"]),
            metadata=call.metadata, timeout=TIMEOUT)
        return Response(exported.content, content_type=exported.content_type, headers={
            "Content-Disposition": f'attachment; filename="{exported.filename}"',
            "Cache-Control": "private, no-store"})


def _review_json(review) -> dict:
    data = to_dict(review)
    data["administrative"]["reason"] = (review.administrative.reason
                                        if review.administrative.HasField("reason") else None)
    data["administrative"]["decided_at"] = review.administrative.decided_at or None
    return data


def on_start() -> None:
    openapi_document()  # built once at start: a broken schema fails the start, not a request

