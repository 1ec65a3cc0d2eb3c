"""Final selection and the announcement end to end over HTTP: criteria -> ranking -> accept
the top N -> the announcement a few seconds later, switched by the service itself -> each
candidate's result, the public list with its three fields, the mails sent after (not before)
the time; nothing visible before it; the pakta integritas and the final export. Scope
(another satker 403/404, mitra 403) and bad bodies (4xx problems, never 500) on the same
activity. The mitra roster (MitraDirectory) over gRPC with a service token.
"""
from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from types import SimpleNamespace

import grpc
import pytest
import requests

import selection_pb2 as sel
import selection_pb2_grpc
from tests.support import api
from tests.support import final_selection as fs
from tests.support.infra import wait_until

WEIGHTS = {"test_score": 1}
# Right answers out of 30: scores 90, 80, 70 and 40 (under the minimum of 50).
CANDIDATES = (("Ahmad Fauzi", 27), ("Budi Santoso", 24), ("Citra Lestari", 21),
              ("Dewi Anggraini", 12))


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["Content-Type"] == "application/problem+json"
    return response.json()


@pytest.fixture(scope="module")
def admin(base_url):
    return api.admin_of(base_url, "3528")


@pytest.fixture(scope="module")
def tested(base_url, mail_sink, admin):
    """An activity whose four candidates took the test; criteria with 2 positions."""
    activity, session = fs.activity_with_test(base_url, admin)
    candidates = [fs.tested_candidate(base_url, mail_sink, admin, activity["id"], session["id"],
                                      right, name) for name, right in CANDIDATES]
    criteria = admin.put(f"/api/v1/activities/{activity['id']}/final-criteria", json={
        "positions": 2, "weights": WEIGHTS, "min_test_score": 50, "disclose_scores": True})
    assert criteria.status_code == 200, criteria.text
    fs.wait_until_ranked(admin, activity["id"], len(CANDIDATES))
    return SimpleNamespace(activity=activity, candidates=candidates,
                           criteria=criteria.json())


def test_criteria_ranking_top_n_and_the_announcement_on_time(base_url, mail_sink, admin,
                                                             tested):
    activity_id = tested.activity["id"]
    ahmad, budi, citra, dewi = tested.candidates
    ids = [c.application["id"] for c in tested.candidates]
    assert tested.criteria == {"positions": 2, "min_test_score": 50.0,
                               "disclose_scores": True, "weights": {
                                   "test_score": 1.0, "preferred_score": 0.0,
                                   "experience": 0.0, "education": 0.0, "domicile": 0.0,
                                   "interview": 0.0, "performance": 0.0}}
    assert admin.get(f"/api/v1/activities/{activity_id}/final-criteria").json() == \
        tested.criteria

    ranking = admin.get(f"/api/v1/activities/{activity_id}/ranking").json()
    assert [(i["application_id"], i["rank"], i["total"], i["test_score"], i["final_status"])
            for i in ranking["items"]] == [
        (ids[0], 1, 90.0, 90.0, "pending"), (ids[1], 2, 80.0, 80.0, "pending"),
        (ids[2], 3, 70.0, 70.0, "pending")]
    assert ranking["total"] == 3
    assert {i["interview_score"] for i in ranking["items"]} == {None}  # none entered
    assert [(i["application_id"], i["rank"], i["total"]) for i in ranking["below_minimum"]] \
        == [(ids[3], None, 40.0)]
    first = ranking["items"][0]
    assert (first["full_name"], first["registration_number"]) == (
        "Ahmad Fauzi", ahmad.application["registration_number"])
    assert set(first["components"]) == set(tested.criteria["weights"])
    assert all(0 <= value <= 100 for value in first["components"].values())

    top = admin.post(f"/api/v1/activities/{activity_id}/final-decisions/accept-top",
                     json={"count": 2})
    assert top.status_code == 200 and top.json() == {"accepted": ids[:2]}, top.text
    assert_problem(admin.post(f"/api/v1/applications/{ids[2]}/final-decision",
                              json={"decision": "accepted"}), 409)  # positions filled
    rejected = admin.post(f"/api/v1/applications/{ids[2]}/final-decision",
                          json={"decision": "rejected", "reason": "Kuota terpenuhi"})
    assert rejected.status_code == 200 and rejected.json()["decision"] == "rejected"
    assert_problem(admin.post(f"/api/v1/applications/{ids[2]}/final-decision",
                              json={"decision": "rejected", "reason": "Lagi"}), 409)  # final
    assert_problem(admin.put(f"/api/v1/activities/{activity_id}/final-criteria", json={
        "positions": 3, "weights": WEIGHTS}), 409)  # locked by the first decision
    trail = admin.get(f"/api/v1/activities/{activity_id}/final-decisions").json()["items"]
    assert [(d["application_id"], d["decision"]) for d in trail] == [
        (ids[0], "accepted"), (ids[1], "accepted"), (ids[2], "rejected")]

    # Before the announcement: nothing visible, nothing mailed.
    results = f"{base_url}/api/v1/activities/{activity_id}/results"
    assert_problem(requests.get(results, timeout=30), 404)
    for candidate in tested.candidates:
        assert fs.final_of(candidate) == {"status": "pending", "score": None}
    recipients = [c.email for c in tested.candidates]

    # The announcement a few seconds from now.
    announcement_at = datetime.now(UTC) + timedelta(seconds=6)
    changed = admin.patch(f"/api/v1/activities/{activity_id}", json={
        "registration_closes_at": (announcement_at - timedelta(seconds=3)).isoformat(),
        "announcement_at": announcement_at.isoformat()})
    assert changed.status_code == 200, changed.text
    # A second before the time: still nothing (the change has long reached selection).
    wait_until(lambda: datetime.now(UTC) >= announcement_at - timedelta(seconds=1),
               message="a second before the announcement")
    assert_problem(requests.get(results, timeout=30), 404)
    assert fs.final_of(ahmad) == {"status": "pending", "score": None}
    assert fs.announcement_mails(mail_sink, recipients) == []

    published = wait_until(lambda: (r := requests.get(results, timeout=30)).status_code == 200
                           and r, timeout=60, message="the results at the announcement")
    assert datetime.now(UTC) >= announcement_at
    body = published.json()
    expected = sorted([ahmad.application["registration_number"],
                       budi.application["registration_number"]])
    assert body["total"] == 2
    assert [item["registration_number"] for item in body["items"]] == expected
    assert all(set(item) == {"registration_number", "full_name", "kecamatan"}
               for item in body["items"])
    assert {item["full_name"] for item in body["items"]} == {"Ahmad Fauzi", "Budi Santoso"}
    assert {item["kecamatan"] for item in body["items"]} == {"Tlanakan"}

    assert fs.final_of(ahmad) == {"status": "accepted", "score": 90.0}
    assert fs.final_of(budi) == {"status": "accepted", "score": 80.0}
    assert fs.final_of(citra) == {"status": "rejected", "score": 70.0}
    assert fs.final_of(dewi) == {"status": "rejected", "score": 40.0}

    mails = fs.wait_for_mails(mail_sink, recipients, 4)
    # Sent after the time, not before (the Date header is the relay's clock at sending, in
    # UTC written as -0000, which Python reads as a naive time).
    assert all(parsedate_to_datetime(m["Date"]).replace(tzinfo=UTC)
               >= announcement_at.replace(microsecond=0) for m in mails)
    subjects = {message["To"]: message["Subject"] for message in mails}
    assert all("Diterima" in subjects[c.email] for c in (ahmad, budi))
    assert all("Tidak diterima" in subjects[c.email] for c in (citra, dewi))
    assert "Pakta Integritas" in next(m for m in mails if ahmad.email in m["To"]).get_content()

    # After the announcement nothing of the final selection changes.
    assert_problem(admin.post(f"/api/v1/applications/{ids[3]}/final-decision",
                              json={"decision": "rejected", "reason": "Terlambat"}), 409)

    # The accepted candidate uploads the pakta integritas, once registration has learnt the
    # announcement (eventually); a rejected candidate may not. The admin sees it and exports.
    def upload_pakta(candidate):
        return candidate.put("/api/v1/me/documents/pakta_integritas", data=api.PDF,
                             headers={"Content-Type": "application/pdf"})

    [uploaded] = wait_until(lambda: (r := upload_pakta(ahmad)).status_code != 409 and [r],
                            interval=0.2,
                            message="the pakta integritas open to the accepted candidate")
    assert uploaded.status_code == 201, uploaded.text
    refused = assert_problem(upload_pakta(citra), 409)
    assert refused["code"] == "pakta_integritas_not_open", refused
    pakta = f"/api/v1/activities/{activity_id}/pakta-integritas"
    overview = wait_until(lambda: (r := admin.get(pakta).json())["uploaded"] == 1 and r,
                          message="the pakta integritas in selection")
    assert {(i["application_id"], i["uploaded"]) for i in overview["items"]} == {
        (ids[0], True), (ids[1], False)}
    exported = admin.get(f"/api/v1/activities/{activity_id}/final-export?format=csv")
    assert exported.status_code == 200
    assert exported.headers["Content-Type"].startswith("text/csv")
    lines = exported.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith('"Peringkat","No. Pendaftaran","Nama Lengkap"')
    assert lines[1].startswith(f'1,"{ahmad.application["registration_number"]}","Ahmad Fauzi"')
    assert lines[1].endswith('"Diterima","Ya"') and lines[2].endswith('"Diterima","Tidak"')
    xlsx = admin.get(f"/api/v1/activities/{activity_id}/final-export?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_another_satker_a_mitra_and_bad_bodies_are_refused(base_url, admin, tested):
    activity_id = tested.activity["id"]
    application_id = tested.candidates[3].application["id"]
    jepara = api.admin_of(base_url, "3320")
    assert_problem(jepara.get(f"/api/v1/activities/{activity_id}/ranking"), 403)
    assert_problem(jepara.get(f"/api/v1/activities/{activity_id}/final-criteria"), 403)
    assert_problem(jepara.put(f"/api/v1/activities/{activity_id}/final-criteria", json={
        "positions": 1, "weights": WEIGHTS}), 403)
    assert_problem(jepara.post(f"/api/v1/activities/{activity_id}/final-decisions/accept-top",
                               json={"count": 1}), 403)
    assert_problem(jepara.get(f"/api/v1/activities/{activity_id}/final-export"), 403)
    assert_problem(jepara.get(f"/api/v1/activities/{activity_id}/pakta-integritas"), 403)
    assert_problem(jepara.post(f"/api/v1/applications/{application_id}/final-decision",
                               json={"decision": "rejected", "reason": "x"}), 404)
    assert_problem(jepara.put(f"/api/v1/applications/{application_id}/interview-score",
                              json={"score": 50}), 404)

    mitra = tested.candidates[0]
    for method, path, body in (
            ("GET", f"/api/v1/activities/{activity_id}/ranking", None),
            ("PUT", f"/api/v1/activities/{activity_id}/final-criteria",
             {"positions": 1, "weights": WEIGHTS}),
            ("POST", f"/api/v1/applications/{application_id}/final-decision",
             {"decision": "accepted"}),
            ("POST", f"/api/v1/activities/{activity_id}/final-decisions/accept-top",
             {"count": 1}),
            ("PUT", f"/api/v1/applications/{application_id}/interview-score", {"score": 1})):
        assert_problem(mitra.request(method, path, json=body), 403)

    criteria = f"/api/v1/activities/{activity_id}/final-criteria"
    for body in ({"positions": 1, "weights": {"luck": 1}},
                 {"positions": 1, "weights": {"test_score": -1}},
                 {"positions": 1, "weights": {"test_score": 0, "interview": 0}},
                 {"positions": 1, "weights": {}},
                 {"positions": "2", "weights": WEIGHTS},
                 {"positions": 0, "weights": WEIGHTS},
                 {"positions": 1, "weights": WEIGHTS, "min_test_score": 101},
                 {"positions": 1, "weights": WEIGHTS, "disclose_scores": "yes"},
                 {"positions": 1, "weights": [1, 2]},
                 {"weights": WEIGHTS},
                 {"positions": 1, "weights": {"test_score": "1"}},
                 {"positions": 1, "weights": WEIGHTS, "extra": True}):
        assert_problem(admin.put(criteria, json=body), 422)
    assert_problem(admin.put(criteria, data="{not json",
                             headers={"Content-Type": "application/json"}), 400)
    decision = f"/api/v1/applications/{application_id}/final-decision"
    for body in ({"decision": "maybe"}, {"decision": "rejected"},
                 {"decision": "rejected", "reason": "   "}, {}, {"decision": 1}):
        assert admin.post(decision, json=body).status_code == 422, body
    top = f"/api/v1/activities/{activity_id}/final-decisions/accept-top"
    for body in ({"count": 0}, {"count": "1"}, {"count": 1.5}, {}, {"count": 2**40}):
        assert_problem(admin.post(top, json=body), 422)
    interview = f"/api/v1/applications/{application_id}/interview-score"
    for body in ({"score": 101}, {"score": -1}, {"score": "90"}, {"score": None}, {}):
        assert_problem(admin.put(interview, json=body), 422)
    assert_problem(admin.get(f"/api/v1/activities/{activity_id}/final-export?format=pdf"),
                   422)
    assert_problem(admin.get("/api/v1/activities/no-such-activity/ranking"), 404)
    assert_problem(requests.get(f"{base_url}/api/v1/activities/no-such-activity/results",
                                timeout=30), 404)


@pytest.fixture(scope="module")
def announced(base_url, admin, tested):
    """The activity of ``tested`` announced (by the journey above, or here in a second)."""
    activity_id = tested.activity["id"]
    results = f"{base_url}/api/v1/activities/{activity_id}/results"
    if requests.get(results, timeout=30).status_code == 404:
        ids = [c.application["id"] for c in tested.candidates]
        admin.post(f"/api/v1/activities/{activity_id}/final-decisions/accept-top",
                   json={"count": 2})
        assert ids  # the top two are Ahmad and Budi either way
        at = datetime.now(UTC) + timedelta(seconds=2)
        assert admin.patch(f"/api/v1/activities/{activity_id}", json={
            "registration_closes_at": (at - timedelta(seconds=1)).isoformat(),
            "announcement_at": at.isoformat()}).status_code == 200
    wait_until(lambda: requests.get(results, timeout=30).status_code == 200, timeout=60,
               message="the announcement")
    # The roster is the announced acceptances the announcer recorded.
    wait_until(lambda: fs.final_of(tested.candidates[0])["status"] == "accepted",
               message="the final status")
    return tested


def test_the_mitra_roster_over_grpc_answers_service_tokens_only(base_url, system, announced):
    ahmad, citra = announced.candidates[0], announced.candidates[2]
    year = announced.activity["year"]
    root = api.superadmin(base_url)
    issued = root.post("/api/v1/admin/service-tokens",
                       json={"name": "Sistem BPS Kabupaten Sampang", "satker_code": "3527"})
    assert issued.status_code == 201, issued.text
    token = issued.json()["token"]
    target = system.env["SELECTION_GRPC_TARGET"].removeprefix("http://")
    with grpc.insecure_channel(target) as channel:
        directory = selection_pb2_grpc.MitraDirectoryStub(channel)

        def ask(nik, bearer=None):
            metadata = [("authorization", f"Bearer {bearer}")] if bearer else None
            return directory.FindMitra(sel.MitraQuery(nik=nik, year=year), timeout=10,
                                       metadata=metadata)

        nik = ahmad.get("/api/v1/me/profile").json()["nik"]
        with pytest.raises(grpc.RpcError) as anonymous:
            ask(nik)
        assert anonymous.value.code() == grpc.StatusCode.UNAUTHENTICATED
        with pytest.raises(grpc.RpcError) as mitra:
            ask(nik, ahmad.token)
        assert mitra.value.code() == grpc.StatusCode.PERMISSION_DENIED

        (entry,) = wait_until(lambda: ask(nik, token).items, timeout=30,
                              message="the roster (the announcer's run)")
        assert (entry.satker_code, entry.activity_id) == ("3528", announced.activity["id"])
        digest = hashlib.sha256(nik.encode()).hexdigest()
        assert list(directory.FindMitra(sel.MitraQuery(nik_sha256=digest, year=year),
                                        metadata=[("authorization", f"Bearer {token}")],
                                        timeout=10).items) == [entry]
        rejected_nik = citra.get("/api/v1/me/profile").json()["nik"]
        assert list(ask(rejected_nik, token).items) == []
        with pytest.raises(grpc.RpcError) as bad:
            ask("123", token)
        assert bad.value.code() == grpc.StatusCode.INVALID_ARGUMENT

        deleted = root.request("DELETE", f"/api/v1/admin/service-tokens/{issued.json()['id']}")
        assert deleted.status_code == 204, deleted.text

        def refused():
            try:
                ask(nik, token)
            except grpc.RpcError as error:
                return error.code() == grpc.StatusCode.UNAUTHENTICATED
            return False
        wait_until(refused, timeout=30, message="the revoked token refused")
