"""Routes against fake service clients: what each sends over gRPC and the JSON it answers."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

import assessment_pb2 as asm
import pembinaan_pb2 as pem
import registration_pb2 as reg
import selection_pb2 as sel
from services.gateway.service import Gateway
from services.shared.contracts.identity import Identity
from services.shared.platform.identity import issue_token


class Fake:
    """A service client: records each call's request and answers from ``replies``."""

    def __init__(self, **replies):
        self.replies, self.calls = replies, []

    def __getattr__(self, method):
        if method not in self.replies:
            raise AssertionError(f"unexpected call {method}")

        def call(request, metadata=None, timeout=None):
            self.calls.append((method, request))
            return self.replies[method]
        return call


@pytest.fixture(autouse=True)
def secret(monkeypatch):
    monkeypatch.setenv("JWT_SECRET", "a-secret-for-the-gateway-unit-tests-only")


def token(role="superadmin", satker_code=None) -> str:
    return issue_token(Identity("account-1", role, satker_code))[0]


def call(route, role="superadmin", method="GET", body=None, query=None, signed_in=True,
         path_args=None, **backends):
    headers = {"Authorization": f"Bearer {token(role)}"} if signed_in else {}
    req = Request(EnvironBuilder(method=method, path="/x", headers=headers, json=body,
                                 query_string=query).get_environ())
    response = route(SimpleNamespace(**backends), req, **(path_args or {}))
    return response.status_code, json.loads(response.get_data())


@pytest.mark.parametrize("sent, answered", [({}, None), ({"satker_code": ""}, None),
                                            ({"satker_code": "3528"}, "3528")])
def test_satker_code_is_null_when_unset_or_empty(sent, answered):
    account = reg.Account(id="a", email="a@example.com", full_name="A", role="pembina",
                          status="active", **sent)
    status, me = call(Gateway.me, registration=Fake(GetMe=account))
    assert status == 200 and me == {"id": "a", "email": "a@example.com", "full_name": "A",
                                    "role": "pembina", "satker_code": answered}
    reply = reg.TokenReply(access_token="t", token_type="Bearer", expires_in=60,
                           role="pembina", **sent)
    status, issued = call(Gateway.issue_token, method="POST", signed_in=False,
                          body={"email": "a@example.com", "password": "p"},
                          registration=Fake(IssueToken=reply))
    assert issued == {"access_token": "t", "token_type": "Bearer", "expires_in": 60,
                      "role": "pembina", "satker_code": answered}


def test_an_admin_account_without_satker_is_sent_with_the_field_unset():
    registration = Fake(CreateAdminAccount=reg.Account(id="a", role="pembina",
                                                       status="active"))
    body = {"email": "p@example.com", "password": "admin-password-1", "full_name": "P",
            "role": "pembina"}
    status, created = call(Gateway.create_admin_account, method="POST", body=body,
                           registration=registration)
    assert status == 201 and created["satker_code"] is None
    (_, request), = registration.calls
    assert not request.HasField("satker_code")
    call(Gateway.create_admin_account, method="POST", body=body | {"satker_code": "3528"},
         registration=registration)
    assert registration.calls[-1][1].satker_code == "3528"


def test_dates_reach_the_service_as_the_client_wrote_them():
    registration = Fake(CreateActivity=reg.Activity(id="x", satker_code="3528"))
    body = {"satker_code": "3528", "name": "Sensus", "year": 2026, "quota": None,
            "registration_opens_at": "2026-11-01T00:00:00+07:00",
            "registration_closes_at": "2026-11-14T23:59:59Z",
            "announcement_at": "2026-11-20T08:00:00.250+07:00"}
    status, activity = call(Gateway.create_activity, "admin_satker", "POST", body=body,
                            registration=registration)
    assert status == 201 and activity["quota"] is None
    (_, sent), = registration.calls
    assert (sent.registration_opens_at, sent.registration_closes_at, sent.announcement_at) == (
        "2026-11-01T00:00:00+07:00", "2026-11-14T23:59:59Z", "2026-11-20T08:00:00.250+07:00")
    assert not sent.HasField("quota")


def test_my_applications_merge_registration_selection_and_assessment():
    registration = Fake(ListMyApplications=reg.ApplicationList(items=[
        reg.Application(id="app-1", activity_id="act-1", registration_number="3528-2026-0001",
                        status="submitted", submitted_at="2026-11-02T01:00:00+00:00",
                        activity_name="Sensus", satker_code="3528"),
        reg.Application(id="app-2", activity_id="act-2", registration_number="3528-2026-0002",
                        status="submitted", submitted_at="2026-11-03T01:00:00+00:00",
                        activity_name="Survei", satker_code="3528")]))
    selection = Fake(MyApplicationStatuses=sel.ApplicationStatusList(items=[
        sel.ApplicationStatus(application_id="app-2", status="accepted",
                              test_status="missed", final_status="withdrawn"),
        sel.ApplicationStatus(application_id="app-1", status="needs_confirmation",
                              reason="Foto buram")]))
    assessment = Fake(MyTests=asm.MyTestList(items=[
        asm.MyTest(application_id="app-2", session_id="ses-9", status="missed"),
        asm.MyTest(application_id="app-1", status="not_booked")]))
    status, mine = call(Gateway.my_applications, "mitra", registration=registration,
                        selection=selection, assessment=assessment)
    assert status == 200
    (_, asked), = selection.calls
    assert list(asked.application_ids) == ["app-1", "app-2"]
    (_, asked), = assessment.calls
    assert list(asked.application_ids) == ["app-1", "app-2"]
    assert mine == {"items": [
        {"id": "app-1", "activity_id": "act-1", "activity_name": "Sensus",
         "satker_code": "3528", "registration_number": "3528-2026-0001",
         "submitted_at": "2026-11-02T01:00:00+00:00",
         "administrative": {"status": "needs_confirmation", "reason": "Foto buram"},
         "test": {"session_id": None, "status": "not_booked", "score": None},
         "final": {"status": "pending", "score": None}},
        {"id": "app-2", "activity_id": "act-2", "activity_name": "Survei",
         "satker_code": "3528", "registration_number": "3528-2026-0002",
         "submitted_at": "2026-11-03T01:00:00+00:00",
         "administrative": {"status": "accepted", "reason": None},
         "test": {"session_id": "ses-9", "status": "missed", "score": None},
         "final": {"status": "withdrawn", "score": None}}]}


def test_the_admin_queue_and_export_leave_scope_to_selection():
    # No registration client: the gateway makes no call of its own to decide scope.
    selection = Fake(ListApplications=sel.ApplicationReviewList(total=0),
                     ExportApplications=sel.ExportFile(content=b"a,b\n",
                                                       content_type="text/csv",
                                                       filename="x.csv"))
    status, queue = call(Gateway.review_queue, "admin_satker", selection=selection,
                         path_args={"activity_id": "act-1"})
    assert (status, queue) == (200, {"items": [], "total": 0})
    req = Request(EnvironBuilder(path="/x", headers={
        "Authorization": f"Bearer {token('admin_satker')}"}).get_environ())
    exported = Gateway.export(SimpleNamespace(selection=selection), req, activity_id="act-1")
    assert exported.status_code == 200 and exported.get_data() == b"a,b\n"
    assert [method for method, _ in selection.calls] == ["ListApplications",
                                                         "ExportApplications"]


def test_the_budget_calculators_answer_any_signed_in_role():
    breakdown = pem.FulldayBreakdown(walidata=5, produsen_data=50, tim_pembina=10,
                                     pimpinan_bps=6, narasumber=10, pendukung=10)
    pembinaan = Fake(FulldayBudget=pem.FulldayBudgetReply(participants=91,
                                                          breakdown=breakdown),
                     TransportBudget=pem.TransportBudgetReply(trips=105))
    for role in ("mitra", "admin_satker", "pembina", "sekretariat", "superadmin"):
        status, fullday = call(Gateway.fullday_budget, role, query={"kl_count": "5"},
                               pembinaan=pembinaan)
        assert status == 200 and fullday == {"participants": 91, "breakdown": {
            "walidata": 5, "produsen_data": 50, "tim_pembina": 10, "pimpinan_bps": 6,
            "narasumber": 10, "pendukung": 10}}
        assert call(Gateway.transport_budget, role, query={"kl_count": "5"},
                    pembinaan=pembinaan) == (200, {"trips": 105})
    assert pembinaan.calls[0][1].kl_count == 5
    asked = len(pembinaan.calls)
    assert call(Gateway.fullday_budget, query={"kl_count": "5"}, signed_in=False,
                pembinaan=pembinaan)[0] == 401
    for bad in ("0", "1001", "99999999999", "lima"):
        status, problem = call(Gateway.transport_budget, query={"kl_count": bad},
                               pembinaan=pembinaan)
        assert status == 422 and list(problem["errors"]) == ["kl_count"]
    assert len(pembinaan.calls) == asked
