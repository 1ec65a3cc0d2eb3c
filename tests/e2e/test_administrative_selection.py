"""Administrative selection end to end: the event builds selection's read model with the
automatic checks, the admin of the satker reviews, opens documents, decides (audit trail,
e-mail, event), exports; other satkers and candidates are kept out."""
from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest
import sqlalchemy as sa

from services.shared.platform.database import normalise_url
from tests.support import api
from tests.support.builders import PAMEKASAN_2024
from tests.support.infra import wait_until


def queue_of(admin, activity_id, **params):
    return admin.get(f"/api/v1/activities/{activity_id}/applications", params=params)


def created_activity(admin, body):
    """A new activity, once selection has heard of it: its queue answers 404 until the
    activity_published event arrives (eventually consistent, like every read model)."""
    response = admin.post("/api/v1/activities", json=body)
    assert response.status_code == 201, response.text
    activity = response.json()
    wait_until(lambda: queue_of(admin, activity["id"]).status_code == 200,
               message="the new activity at selection")
    return activity


def wait_for_review(admin, activity_id, application_id):
    def find():
        for item in queue_of(admin, activity_id, per_page=200).json()["items"]:
            if item["id"] == application_id:
                return item
        return None
    return wait_until(find, message="the application in the admin's queue")


def apply(base_url, mail_sink, activity, profile=None, kinds=("photo", "ktp", "ijazah")):
    candidate = api.registered_candidate(base_url, mail_sink)
    assert candidate.put("/api/v1/me/profile", json=profile or api.profile_body()).ok
    for kind in kinds:
        content, media = (api.JPEG, "image/jpeg") if kind == "photo" else (
            api.PDF, "application/pdf")
        assert candidate.put(f"/api/v1/me/documents/{kind}", data=content,
                             headers={"Content-Type": media}).status_code == 201
    response = candidate.post(f"/api/v1/activities/{activity['id']}/applications", json={})
    assert response.status_code == 201, response.text
    return candidate, response.json()


@pytest.fixture(scope="module")
def pamekasan(base_url):
    admin = api.admin_of(base_url, "3528")
    activity = created_activity(admin, api.activity_body("3528", requirements=PAMEKASAN_2024))
    return admin, activity


def test_apply_review_accept_and_the_candidate_is_told(base_url, mail_sink, pamekasan):
    admin, activity = pamekasan
    candidate, application = apply(base_url, mail_sink, activity)
    review = wait_for_review(admin, activity["id"], application["id"])
    assert review["registration_number"] == application["registration_number"]
    assert review["administrative"] == {"status": "pending", "reason": None, "decided_at": None}
    assert review["checks"] == {
        "mandatory_failures": [], "preferred_score": 6, "preferred_total": 6,
        "preferred_met": ["age", "education", "domicile", "bps_experience", "devices",
                          "motorbike"]}
    assert review["profile"]["email"] == candidate.email
    assert sorted(d["kind"] for d in review["documents"]) == ["ijazah", "ktp", "photo"]

    photo = admin.get(f"/api/v1/applications/{application['id']}/documents/photo")
    assert photo.status_code == 200
    assert photo.content == api.JPEG and photo.headers["Content-Type"] == "image/jpeg"

    decided = admin.post(f"/api/v1/applications/{application['id']}/administrative-decision",
                         json={"decision": "accepted"})
    assert decided.status_code == 200, decided.text
    assert decided.json()["administrative"]["status"] == "accepted"

    mine = candidate.get("/api/v1/me/applications").json()["items"][0]
    assert mine["administrative"] == {"status": "accepted", "reason": None}
    mail = mail_sink.wait_for(candidate.email, "Diterima")
    assert application["registration_number"] in mail.get_content()
    assert queue_of(admin, activity["id"], administrative_status="accepted").json()["total"] >= 1
    assert application["id"] not in [
        i["id"] for i in queue_of(admin, activity["id"], administrative_status="pending").json()[
            "items"]]


def ijazah_of(review):
    [ijazah] = [d for d in review["documents"] if d["kind"] == "ijazah"]
    return ijazah


def replace_ijazah(candidate, scan: bytes) -> dict:
    replaced = candidate.put("/api/v1/me/documents/ijazah", data=api.PDF + scan,
                             headers={"Content-Type": "application/pdf"})
    assert replaced.status_code == 201, replaced.text
    return replaced.json()


def test_the_document_opened_is_the_one_reviewed(base_url, mail_sink, pamekasan):
    """After an accepted decision the candidate uploads another ijazah: the admin still opens
    the bytes the queue lists (the application's snapshot), not the new file; the queue shows
    the new file as a newer version, without reopening the decided application. An undecided
    application whose candidate uploads another ijazah is marked for re-review."""
    admin, activity = pamekasan
    candidate, application = apply(base_url, mail_sink, activity)
    review = wait_for_review(admin, activity["id"], application["id"])
    listed = ijazah_of(review)
    assert listed["submitted"] is True and listed["newer_version"] is None
    assert review["needs_rereview"] is False
    assert admin.post(f"/api/v1/applications/{application['id']}/administrative-decision",
                      json={"decision": "accepted"}).status_code == 200
    newer = replace_ijazah(candidate, b"\n% another scan\n")
    opened = admin.get(f"/api/v1/applications/{application['id']}/documents/ijazah")
    assert opened.status_code == 200
    assert opened.content == api.PDF
    assert opened.headers["ETag"] == f'"{listed["sha256"]}"'

    # The queue, once selection has heard of the upload: the submitted ijazah, the new one
    # beside it; accepted stays accepted and is not marked.
    def with_newer_version():
        item = wait_for_review(admin, activity["id"], application["id"])
        return item if ijazah_of(item)["newer_version"] else None
    shown = wait_until(with_newer_version, message="the newer version in the admin's queue")
    assert ijazah_of(shown)["sha256"] == listed["sha256"]
    assert ijazah_of(shown)["newer_version"] == {
        "sha256": newer["sha256"], "size": newer["size"], "content_type": "application/pdf"}
    assert newer["sha256"] != listed["sha256"]
    assert shown["administrative"]["status"] == "accepted" and shown["needs_rereview"] is False

    # A second application, still pending, whose candidate replaces the ijazah: marked.
    other, pending = apply(base_url, mail_sink, activity)
    assert wait_for_review(admin, activity["id"], pending["id"])["needs_rereview"] is False
    replace_ijazah(other, b"\n% a sharper scan\n")

    def marked():
        items = queue_of(admin, activity["id"], needs_rereview="true", per_page=200).json()[
            "items"]
        return next((item for item in items if item["id"] == pending["id"]), None)
    item = wait_until(marked, message="the re-review mark in the admin's queue")
    assert item["needs_rereview"] is True and item["administrative"]["status"] == "pending"
    assert ijazah_of(item)["newer_version"] is not None
    marked_ids = [i["id"] for i in queue_of(admin, activity["id"], needs_rereview="true",
                                            per_page=200).json()["items"]]
    assert application["id"] not in marked_ids  # decided: never reopened
    assert pending["id"] not in [i["id"] for i in queue_of(
        admin, activity["id"], needs_rereview="false", per_page=200).json()["items"]]
    assert admin.get(f"/api/v1/applications/{pending['id']}/documents/ijazah"
                     ).content == api.PDF  # still the submitted one
    assert queue_of(admin, activity["id"], needs_rereview="maybe").status_code == 422


def test_needs_confirmation_then_the_profile_update_sends_it_back(base_url, mail_sink,
                                                                   pamekasan):
    admin, activity = pamekasan
    candidate, application = apply(base_url, mail_sink, activity)
    wait_for_review(admin, activity["id"], application["id"])
    url = f"/api/v1/applications/{application['id']}/administrative-decision"
    asked = admin.post(url, json={"decision": "needs_confirmation",
                                  "reason": "Foto KTP buram, unggah ulang"})
    assert asked.json()["administrative"]["status"] == "needs_confirmation"
    assert candidate.get("/api/v1/me/applications").json()["items"][0]["administrative"] == {
        "status": "needs_confirmation", "reason": "Foto KTP buram, unggah ulang"}
    assert "Foto KTP buram" in mail_sink.wait_for(candidate.email,
                                                  "Perlu konfirmasi").get_content()

    profile = candidate.get("/api/v1/me/profile").json()
    body = {key: profile[key] for key in api.profile_body()}
    body["address"] = "Jl. Raya Tlanakan No. 7, Pamekasan"
    assert candidate.put("/api/v1/me/profile", json=body).status_code == 200
    wait_until(lambda: candidate.get("/api/v1/me/applications").json()["items"][0][
        "administrative"]["status"] == "pending", message="back to pending")
    review = wait_for_review(admin, activity["id"], application["id"])
    assert review["profile"]["address"] == "Jl. Raya Tlanakan No. 7, Pamekasan"

    trail = admin.get(f"/api/v1/applications/{application['id']}/administrative-decisions")
    assert [(d["from_status"], d["to_status"], d["decided_by_role"])
            for d in trail.json()["items"]] == [
        ("pending", "needs_confirmation", "admin_satker"),
        ("needs_confirmation", "pending", "mitra")]
    assert trail.json()["items"][0]["reason"] == "Foto KTP buram, unggah ulang"

    rejected = admin.post(url, json={"decision": "rejected", "reason": "Berstatus ASN"})
    assert rejected.json()["administrative"] == {
        "status": "rejected", "reason": "Berstatus ASN",
        "decided_at": rejected.json()["administrative"]["decided_at"]}
    again = admin.post(url, json={"decision": "rejected", "reason": "Berstatus ASN"})
    assert again.status_code == 200  # a repeat is not a new decision
    trail = admin.get(f"/api/v1/applications/{application['id']}/administrative-decisions")
    assert len(trail.json()["items"]) == 3


def test_bad_decisions(base_url, mail_sink, pamekasan):
    admin, activity = pamekasan
    candidate, application = apply(base_url, mail_sink, activity)
    wait_for_review(admin, activity["id"], application["id"])
    url = f"/api/v1/applications/{application['id']}/administrative-decision"
    assert admin.post("/api/v1/applications/no-such-id/administrative-decision",
                      json={"decision": "accepted"}).status_code == 404
    invalid = admin.post(url, json={"decision": "maybe"})
    assert invalid.status_code == 422 and "decision" in invalid.json()["errors"]
    no_reason = admin.post(url, json={"decision": "rejected"})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["errors"]
    blank = admin.post(url, json={"decision": "needs_confirmation", "reason": "   "})
    assert blank.status_code == 422
    assert candidate.post(url, json={"decision": "accepted"}).status_code == 403
    review = wait_for_review(admin, activity["id"], application["id"])
    assert review["administrative"]["status"] == "pending"  # nothing changed


def test_another_satker_is_kept_out(base_url, mail_sink, pamekasan):
    admin, activity = pamekasan
    _, application = apply(base_url, mail_sink, activity)
    wait_for_review(admin, activity["id"], application["id"])
    jepara = api.admin_of(base_url, "3320")
    assert queue_of(jepara, activity["id"]).status_code == 403
    assert jepara.get(f"/api/v1/applications/{application['id']}/documents/ktp"
                      ).status_code == 404
    assert jepara.post(f"/api/v1/applications/{application['id']}/administrative-decision",
                       json={"decision": "accepted"}).status_code == 404
    assert jepara.get(f"/api/v1/applications/{application['id']}/administrative-decisions"
                      ).status_code == 404
    assert jepara.get(f"/api/v1/activities/{activity['id']}/applications/export"
                      ).status_code == 403
    assert wait_for_review(admin, activity["id"], application["id"])[
        "administrative"]["status"] == "pending"


def test_mandatory_failures_are_flagged_not_refused(base_url, mail_sink):
    admin = api.admin_of(base_url, "3279")
    banjar = created_activity(admin, api.activity_body("3279", requirements={
        "not_asn": {"rule": "mandatory"}, "education": {"min": "SMA", "rule": "mandatory"},
        "age": {"min": 18, "max": 50, "rule": "preferred"},
        "extra_documents": ["cv", "phone_spec", "application_letter"]}))
    kinds = ("photo", "ktp", "ijazah", "cv", "phone_spec", "application_letter")
    profile = api.profile_body(kecamatan="327901", birth=date(1970, 1, 1), sex="L",
                               education="SMP", is_asn=True)
    _, application = apply(base_url, mail_sink, banjar, profile=profile, kinds=kinds)
    review = wait_for_review(admin, banjar["id"], application["id"])
    assert review["checks"]["mandatory_failures"] == ["not_asn", "education"]
    assert "age" not in review["checks"]["preferred_met"]
    assert review["age"] >= 55


def test_export_csv_and_xlsx(base_url, mail_sink, pamekasan):
    admin, activity = pamekasan
    _, application = apply(base_url, mail_sink, activity)
    review = wait_for_review(admin, activity["id"], application["id"])
    url = f"/api/v1/activities/{activity['id']}/applications/export"

    exported = admin.get(url, params={"format": "csv"})
    assert exported.status_code == 200
    assert exported.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in exported.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    header, data = rows[0], rows[1:]
    assert header[:3] == ["No. Pendaftaran", "Nama Lengkap", "NIK"]
    ours = next(r for r in data if r[0] == application["registration_number"])
    assert ours[2] == review["profile"]["nik"]  # the full NIK: the admin's own satker view

    workbook = openpyxl.load_workbook(io.BytesIO(admin.get(url, params={"format": "xlsx"})
                                                 .content))
    sheet = workbook.active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "No. Pendaftaran"
    ours = next(r for r in values[1:] if r[0] == application["registration_number"])
    assert ours[2] == review["profile"]["nik"]
    assert admin.get(url, params={"format": "pdf"}).status_code == 422


def test_the_audit_trail_is_append_only(base_url, mail_sink, pamekasan, database_urls):
    admin, activity = pamekasan
    _, application = apply(base_url, mail_sink, activity)
    wait_for_review(admin, activity["id"], application["id"])
    admin.post(f"/api/v1/applications/{application['id']}/administrative-decision",
               json={"decision": "accepted"})
    trail = f"/api/v1/applications/{application['id']}/administrative-decisions"
    assert admin.request("DELETE", trail).status_code in (404, 405)
    assert admin.put(trail, json={}).status_code in (404, 405)
    engine = sa.create_engine(normalise_url(database_urls["selection"]))
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as connection:
        connection.execute(sa.text("UPDATE administrative_decisions SET reason = 'x'"))
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM administrative_decisions"))
    engine.dispose()
