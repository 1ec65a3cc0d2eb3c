"""Recruitment activities and the candidate's applications."""
from __future__ import annotations

import assessment_pb2 as asm
import registration_pb2 as reg
import selection_pb2 as sel
from services.gateway.clients import TIMEOUT, Backends, optional
from services.gateway.schemas import activities as s
from services.gateway.schemas.base import EmptyBody
from services.gateway.web import Call, route
from services.shared.contracts.identity import ADMIN_ROLES, MITRA
from services.shared.platform.proto import from_dict, to_dict


def activity_json(activity) -> dict:
    return to_dict(activity) | {"quota": optional(activity, "quota")}


class ActivityRoutes(Backends):
    @route("POST", "/api/v1/activities", summary="Create a recruitment activity (own satker)",
           tag="activities", roles=ADMIN_ROLES, body=s.ActivityBody,
           responses={201: s.ActivityOut})
    def create_activity(self, call: Call):
        # No quota is the field left unset.
        body = {key: value for key, value in call.body.items()
                if not (key == "quota" and value is None)}
        activity = self.registration.CreateActivity(from_dict(body, reg.Activity),
                                                    metadata=call.metadata, timeout=TIMEOUT)
        return 201, activity_json(activity)

    @route("GET", "/api/v1/activities", summary="Recruitment activities", tag="activities",
           public=True, query=s.ListActivitiesQuery, responses={200: s.ActivityListOut})
    def list_activities(self, call: Call):
        query = call.query
        reply = self.registration.ListActivities(reg.ListActivitiesRequest(
            satker_code=query.get("satker_code", ""), open_only=bool(query.get("open")),
            page=query["page"], per_page=query["per_page"]), metadata=call.metadata,
            timeout=TIMEOUT)
        return 200, {"items": [activity_json(a) for a in reply.items], "total": reply.total}

    @route("GET", "/api/v1/activities/<string:activity_id>", summary="One activity",
           tag="activities", public=True, responses={200: s.ActivityOut})
    def get_activity(self, call: Call):
        activity = self.registration.GetActivity(
            reg.GetActivityRequest(id=call.path_args["activity_id"]), metadata=call.metadata,
            timeout=TIMEOUT)
        return 200, activity_json(activity)

    @route("PATCH", "/api/v1/activities/<string:activity_id>", summary="Change an activity "
           "(own satker): name, window, announcement, quota, requirements", tag="activities",
           roles=ADMIN_ROLES, body=s.ActivityChangesBody, responses={200: s.ActivityOut})
    def update_activity(self, call: Call):
        changes = {key: value for key, value in call.body.items() if key != "quota"}
        if "quota" in call.body:
            if call.body["quota"] is None:
                changes["quota_unlimited"] = True
            else:
                changes["quota"] = call.body["quota"]
        changes["id"] = call.path_args["activity_id"]
        activity = self.registration.UpdateActivity(from_dict(changes, reg.ActivityChanges),
                                                    metadata=call.metadata, timeout=TIMEOUT)
        return 200, activity_json(activity)

    # No derived key: the contract answers a second application 409 (already applied), and
    # the database allows one per candidate and activity, so a retry never acts twice; a
    # client that wants the first answer again sends its own Idempotency-Key.
    @route("POST", "/api/v1/activities/<string:activity_id>/applications",
           summary="Apply to an activity", tag="activities", roles=MITRA, body=EmptyBody,
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
        # Selection answers for every id it is given, also one it has not heard of yet.
        answered = self.selection.MyApplicationStatuses(sel.MyApplicationStatusesRequest(
            application_ids=[application.id for application in reply.items]),
            metadata=call.metadata, timeout=TIMEOUT)
        statuses = {status.application_id: status for status in answered.items}
        # Assessment answers what the candidate is doing (booked, in progress ...); selection
        # what it has decided on (a missed test is a withdrawal; a score only if disclosed).
        tests = {test.application_id: test for test in self.assessment.MyTests(
            asm.MyTestsRequest(application_ids=[application.id for application in reply.items]),
            metadata=call.metadata, timeout=TIMEOUT).items}
        items = []
        for application in reply.items:
            status = statuses[application.id]
            items.append({
                "id": application.id, "activity_id": application.activity_id,
                "activity_name": application.activity_name,
                "satker_code": application.satker_code,
                "registration_number": application.registration_number,
                "submitted_at": application.submitted_at,
                "administrative": {"status": status.status,
                                   "reason": optional(status, "reason")},
                "test": {"session_id": optional(tests[application.id], "session_id"),
                         "status": tests[application.id].status,
                         "score": optional(status, "test_score")},
                "final": {"status": status.final_status or "pending",
                          "score": optional(status, "final_score")},
            })
        return 200, {"items": items}
