"""The competency test's rules over HTTP, on the shared system: a no-show is withdrawn, bad
input gets its 4xx (never a 500), no answer a candidate can get carries a correct answer (nor
does any schema of the candidate's routes in the OpenAPI document), the admins' XLSX item bank,
the national-style schedule and the item analysis after a submitted attempt."""
from __future__ import annotations

import io
import re
import uuid
from datetime import UTC, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import requests

import services.gateway.service  # noqa: F401  (registers every route in ROUTES)
from services.gateway.web import ROUTES
from services.shared.contracts.identity import MITRA
from tests.support import api
from tests.support.infra import wait_until

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIB = ZoneInfo("Asia/Jakarta")
# What would give a correct answer away, wherever it appears in what a candidate receives.
ANSWER_KEYS = {"answer_index", "answer", "correct"}


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["Content-Type"] == "application/problem+json"
    assert "Traceback" not in response.text
    return response.json()


def with_bank(base_url, admin, count: int = 40) -> dict:
    activity = api.open_activity(base_url, admin)
    created = admin.post(f"/api/v1/activities/{activity['id']}/questions",
                         json={"items": api.question_items(count)})
    assert created.status_code == 201, created.text
    return activity


def running_session(admin, activity_id: str, ends_in=timedelta(hours=3), capacity=10) -> dict:
    now = datetime.now(UTC)
    created = admin.post(f"/api/v1/activities/{activity_id}/test-sessions", json={
        "starts_at": (now - timedelta(minutes=5)).isoformat(),
        "ends_at": (now + ends_in).isoformat(), "capacity": capacity})
    assert created.status_code == 201, created.text
    return created.json()


def correct_choice(question: dict) -> int:
    """The index, as shown to this candidate, of the right option: api.question_items makes
    question i's answer option i % 4, and each option's text names its place in the bank."""
    number = int(re.match(r"Soal nomor (\d+):", question["text"]).group(1))
    return next(shown for shown, text in enumerate(question["options"])
                if text.endswith(f"(pilihan {number % 4})"))


def keys_anywhere(value) -> set[str]:
    if isinstance(value, dict):
        return set(value).union(*map(keys_anywhere, value.values()))
    if isinstance(value, list):
        return set().union(*map(keys_anywhere, value))
    return set()


@pytest.fixture(scope="module")
def admin(base_url):
    return api.admin_of(base_url, "3528")


@pytest.fixture(scope="module")
def open_attempt(base_url, mail_sink, admin):
    return started_attempt(base_url, mail_sink, admin)


def started_attempt(base_url, mail_sink, admin) -> SimpleNamespace:
    """A candidate in the middle of an attempt of a session running for hours."""
    activity = with_bank(base_url, admin)
    candidate = api.accepted_candidate(base_url, mail_sink, admin, activity["id"])
    session = running_session(admin, activity["id"])
    assert api.wait_until_eligible(candidate, session["id"]).status_code == 201
    started = candidate.post(f"/api/v1/test-sessions/{session['id']}/attempt", json={})
    assert started.status_code == 201, started.text
    return SimpleNamespace(activity=activity, session=session, candidate=candidate,
                           attempt=started.json())


@pytest.fixture(scope="module")
def journey(base_url, mail_sink, admin):
    """Every candidate route of the test walked once, answering every question right; each
    response kept (refusals too)."""
    activity = with_bank(base_url, admin)
    candidate = api.accepted_candidate(base_url, mail_sink, admin, activity["id"])
    session = running_session(admin, activity["id"])
    responses = [candidate.get(f"/api/v1/activities/{activity['id']}/test-sessions")]
    responses.append(api.wait_until_eligible(candidate, session["id"]))
    responses.append(candidate.post(f"/api/v1/test-sessions/{session['id']}/booking", json={}))
    start = f"/api/v1/test-sessions/{session['id']}/attempt"
    responses.append(candidate.post(start, json={}))
    attempt = responses[-1].json()
    attempt_path = f"/api/v1/attempts/{attempt['attempt_id']}"
    for question in attempt["questions"]:
        responses.append(candidate.put(f"{attempt_path}/answers/{question['id']}",
                                       json={"option_index": correct_choice(question)}))
    responses.append(candidate.put(f"{attempt_path}/answers/{question['id']}",
                                   json={"option_index": 4}))  # a refusal: 4 options
    responses += [candidate.post(start, json={}), candidate.get(attempt_path),
                  candidate.post(f"{attempt_path}/submit", json={}),
                  candidate.post(f"{attempt_path}/submit", json={})]
    after_submit = candidate.get(attempt_path)
    responses += [after_submit, candidate.post(start, json={}),
                  candidate.put(f"{attempt_path}/answers/{question['id']}",
                                json={"option_index": 0})]

    def completed():
        response = candidate.get("/api/v1/me/applications")
        mine = next(item for item in response.json()["items"]
                    if item["id"] == candidate.application["id"])
        return response if mine["test"]["status"] == "completed" else None
    responses.append(wait_until(completed, message="the submitted attempt on the status page"))
    return SimpleNamespace(activity=activity, session=session, candidate=candidate,
                           attempt=attempt, after_submit=after_submit.json(),
                           responses=responses)


# -- the no-show -----------------------------------------------------------------------------

def test_a_candidate_who_never_starts_is_withdrawn_when_the_session_ends(base_url, mail_sink,
                                                                          admin, open_attempt):
    activity_id = open_attempt.activity["id"]
    candidate = api.accepted_candidate(base_url, mail_sink, admin, activity_id)
    # Eligibility travels by event: a session that has ended answers 403 until assessment has
    # the acceptance, then 409 (ended). Only then is the short session booked.
    probe = running_session(admin, activity_id, ends_in=timedelta(seconds=2))
    probe_ends = datetime.fromisoformat(probe["ends_at"])
    wait_until(lambda: datetime.now(UTC) > probe_ends, message="the probe session's end")

    probe_booking = f"/api/v1/test-sessions/{probe['id']}/booking"
    wait_until(lambda: candidate.post(probe_booking, json={}).status_code != 403,
               message="the acceptance in assessment")
    assert assert_problem(candidate.post(probe_booking, json={}), 409)["code"] == \
        "session_ended"

    session = running_session(admin, activity_id, ends_in=timedelta(seconds=6))
    booked = candidate.post(f"/api/v1/test-sessions/{session['id']}/booking", json={})
    assert booked.status_code == 201, booked.text

    def mine():
        items = candidate.get("/api/v1/me/applications").json()["items"]
        return next(item for item in items if item["id"] == candidate.application["id"])
    assert mine()["test"] == {"session_id": session["id"], "status": "booked", "score": None}
    withdrawn = wait_until(lambda: (item := mine())["final"]["status"] == "withdrawn" and item,
                           timeout=60, message="selection to withdraw the no-show")
    assert withdrawn["test"] == {"session_id": session["id"], "status": "missed",
                                 "score": None}
    assert withdrawn["administrative"]["status"] == "accepted"
    late = candidate.post(f"/api/v1/test-sessions/{session['id']}/attempt", json={})
    assert_problem(late, 409)


# -- bad input: a 4xx, never a 500 ---------------------------------------------------------

def test_bad_answers_are_refused_with_4xx(admin, open_attempt):
    candidate, attempt = open_attempt.candidate, open_attempt.attempt
    answers = f"/api/v1/attempts/{attempt['attempt_id']}/answers/"
    drawn = {question["id"] for question in attempt["questions"]}
    bank = admin.get(f"/api/v1/activities/{open_attempt.activity['id']}/questions",
                     params={"per_page": 200}).json()["items"]
    not_drawn = next(question["id"] for question in bank if question["id"] not in drawn)
    first = attempt["questions"][0]["id"]

    assert_problem(candidate.put(answers + not_drawn, json={"option_index": 0}), 404)
    assert_problem(candidate.put(answers + str(uuid.uuid4()), json={"option_index": 0}), 404)
    assert_problem(candidate.put(answers + "x" * 300, json={"option_index": 0}), 404)
    for bad in (7, 4, -1, "1", 1.5, None, True, 2**31, 2**63, [1]):
        problem = assert_problem(candidate.put(answers + first, json={"option_index": bad}),
                                 422)
        assert "option_index" in problem["errors"], (bad, problem)
    assert_problem(candidate.put(answers + first, json={}), 422)
    resumed = candidate.post(f"/api/v1/test-sessions/{open_attempt.session['id']}/attempt",
                             json={})
    assert resumed.status_code == 200 and resumed.json()["answers"] == {}  # nothing saved


def test_unknown_ids_and_other_candidates_attempts_are_404(base_url, mail_sink, open_attempt):
    owner, attempt = open_attempt.candidate, open_attempt.attempt
    other = api.registered_candidate(base_url, mail_sink, "Budi Santoso")
    question = attempt["questions"][0]["id"]
    for attempt_id in (attempt["attempt_id"], str(uuid.uuid4()), "not-an-id", "9" * 300):
        path = f"/api/v1/attempts/{attempt_id}"
        who = other if attempt_id == attempt["attempt_id"] else owner
        assert_problem(who.put(f"{path}/answers/{question}", json={"option_index": 0}), 404)
        assert_problem(who.get(path), 404)
        assert_problem(who.post(f"{path}/submit", json={}), 404)
    for session_id in (str(uuid.uuid4()), "x" * 300):
        assert_problem(owner.post(f"/api/v1/test-sessions/{session_id}/booking", json={}), 404)
        assert_problem(owner.post(f"/api/v1/test-sessions/{session_id}/attempt", json={}), 404)
    # Starting without a booking of this session.
    assert_problem(other.post(f"/api/v1/test-sessions/{open_attempt.session['id']}/attempt",
                              json={}), 403)
    state = owner.get(f"/api/v1/attempts/{attempt['attempt_id']}").json()
    assert (state["status"], state["answered"]) == ("open", 0)


def test_only_accepted_candidates_book(base_url, mail_sink, open_attempt):
    session = f"/api/v1/test-sessions/{open_attempt.session['id']}/booking"
    stranger = api.registered_candidate(base_url, mail_sink)
    assert_problem(stranger.post(session, json={}), 403)
    waiting = api.complete_candidate(base_url, mail_sink)  # applied, not decided yet
    applied = waiting.post(f"/api/v1/activities/{open_attempt.activity['id']}/applications",
                           json={})
    assert applied.status_code == 201, applied.text
    assert assert_problem(waiting.post(session, json={}), 403)["code"] == "not_accepted"


def admin_routes(activity_id: str) -> list[tuple[str, str, dict]]:
    """Each admin route of the test with a body it would accept."""
    tomorrow = (datetime.now(WIB) + timedelta(days=1)).date().isoformat()
    now = datetime.now(UTC)
    base = f"/api/v1/activities/{activity_id}"
    return [
        ("POST", f"{base}/questions", {"json": {"items": api.question_items(1)}}),
        ("POST", f"{base}/questions/sheet", {"data": question_sheet(question_rows(1)),
                                             "headers": {"Content-Type": XLSX}}),
        ("GET", f"{base}/questions", {}),
        ("POST", f"{base}/test-sessions", {"json": {
            "starts_at": now.isoformat(), "ends_at": (now + timedelta(hours=2)).isoformat(),
            "capacity": 5}}),
        ("POST", f"{base}/test-sessions/schedule", {"json": {
            "first_day": tomorrow, "days": 1, "slots_per_day": 1, "capacity": 5}}),
        ("GET", f"{base}/item-analysis", {}),
        ("GET", f"{base}/item-analysis/export", {}),
    ]


def test_a_candidate_and_another_satkers_admin_are_refused_the_admin_routes(base_url,
                                                                            open_attempt):
    activity_id = open_attempt.activity["id"]
    sumenep = api.admin_of(base_url, "3529")
    for method, path, kwargs in admin_routes(activity_id):
        assert_problem(open_attempt.candidate.request(method, path, **kwargs), 403)
        assert_problem(sumenep.request(method, path, **kwargs), 403)
    assert_problem(sumenep.get(f"/api/v1/activities/{activity_id}/test-sessions"), 403)


def test_impossible_sessions_and_out_of_range_integers_are_422(admin, open_attempt):
    base = f"/api/v1/activities/{open_attempt.activity['id']}"
    now = datetime.now(UTC)
    window = {"starts_at": (now + timedelta(hours=3)).isoformat(),
              "ends_at": (now + timedelta(hours=1)).isoformat(), "capacity": 5}
    assert "ends_at" in assert_problem(admin.post(f"{base}/test-sessions", json=window),
                                       422)["errors"]
    later = {"starts_at": now.isoformat(), "ends_at": (now + timedelta(hours=1)).isoformat()}
    for capacity in (2147483648, 2**63, 0, -1, "5"):
        problem = assert_problem(admin.post(f"{base}/test-sessions",
                                            json=later | {"capacity": capacity}), 422)
        assert "capacity" in problem["errors"]
    tomorrow = (datetime.now(WIB) + timedelta(days=1)).date().isoformat()
    schedule = {"first_day": tomorrow, "days": 1, "slots_per_day": 1, "capacity": 5}
    for field in ("days", "slots_per_day", "capacity", "slot_minutes"):
        problem = assert_problem(admin.post(f"{base}/test-sessions/schedule",
                                            json=schedule | {field: 2147483648}), 422)
        assert field in problem["errors"]
    for query in ({"page": 2147483648}, {"per_page": 10**20}, {"page": 0}):
        assert_problem(admin.get(f"{base}/questions", params=query), 422)
    for session in admin.get(f"{base}/test-sessions").json()["items"]:  # none was created
        assert 1 <= session["capacity"] <= 10
        assert session["ends_at"] > session["starts_at"]


# -- no correct answer leaves the service for a candidate ----------------------------------

def test_no_response_a_candidate_gets_has_a_correct_answer(admin, journey):
    statuses = [response.status_code for response in journey.responses]
    assert {201, 200, 409, 422} <= set(statuses), statuses  # refusals walked too
    assert max(statuses) < 500, statuses
    for response in journey.responses:
        found = keys_anywhere(response.json()) & ANSWER_KEYS
        assert not found, (response.request.method, response.request.url, found)
    attempt = journey.attempt
    assert all(set(question) == {"id", "text", "options"} for question in attempt["questions"])
    assert (journey.after_submit["status"], journey.after_submit["answered"]) == (
        "submitted", 30)
    # The search does find an answer key where there is one: the admin's item bank.
    bank = admin.get(f"/api/v1/activities/{journey.activity['id']}/questions")
    assert "answer_index" in keys_anywhere(bank.json())


def schema_properties(document: dict, schema: dict, seen: set[str]) -> set[str]:
    """Every property name reachable from ``schema`` ($refs followed once each)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return set()
        seen.add(name)
        schema = document["components"]["schemas"][name]
    names = set(schema.get("properties", {}))
    children = list(schema.get("properties", {}).values())
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            children.append(schema[key])
    for key in ("allOf", "anyOf", "oneOf"):
        children += schema.get(key, [])
    for child in children:
        names |= schema_properties(document, child, seen)
    return names


def response_properties(document: dict, method: str, path: str) -> set[str]:
    operation = document["paths"][path][method.lower()]
    names: set[str] = set()
    for response in operation["responses"].values():
        for content in response.get("content", {}).values():
            names |= schema_properties(document, content["schema"], set())
    return names


def test_no_response_schema_of_a_candidates_route_has_an_answer_field(base_url):
    document = requests.get(base_url + "/api/v1/openapi.json", timeout=30).json()
    # The document lists no roles (only security and tags): the gateway's own route table
    # says which routes a candidate may call: public, any signed-in user, or mitra.
    candidates = [route for route in ROUTES
                  if route.public or route.roles is None or set(MITRA) & set(route.roles)]
    walked = set()
    for route in candidates:
        names = response_properties(document, route.method, route.openapi_path)
        assert not names & ANSWER_KEYS, (route.method, route.path, names & ANSWER_KEYS)
        walked |= names
    paths = {(route.method, route.openapi_path) for route in candidates}
    assert {("POST", "/api/v1/test-sessions/{session_id}/attempt"),
            ("PUT", "/api/v1/attempts/{attempt_id}/answers/{question_id}"),
            ("GET", "/api/v1/me/applications")} <= paths
    assert {"questions", "options", "seconds_left", "booked_at", "test"} <= walked
    # The walk does find an answer key where there is one: the admin's item bank.
    assert "answer_index" in response_properties(
        document, "GET", "/api/v1/activities/{activity_id}/questions")


# -- the admins' XLSX item bank ------------------------------------------------------------

HEADER = ["pertanyaan", "opsi_a", "opsi_b", "opsi_c", "opsi_d", "jawaban", "kategori"]


def question_rows(count: int) -> list[list]:
    return [[f"Ibu kota provinsi nomor {i}?", f"Kota {i}A", f"Kota {i}B", f"Kota {i}C",
             f"Kota {i}D", "ABCD"[i % 4], ("wawasan", "numerik")[i % 2]] for i in range(count)]


def question_sheet(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_sheet_is_imported_whole_or_not_at_all(base_url, admin):
    activity = api.open_activity(base_url, admin)
    base = f"/api/v1/activities/{activity['id']}"
    upload = {"Content-Type": XLSX}
    created = admin.post(f"{base}/questions/sheet", data=question_sheet(question_rows(12)),
                         headers=upload)
    assert created.status_code == 201, created.text
    assert created.json() == {"created": 12}
    listed = admin.get(f"{base}/questions", params={"per_page": 200}).json()
    assert listed["total"] == 12
    first = next(q for q in listed["items"] if q["text"] == "Ibu kota provinsi nomor 1?")
    assert (first["options"], first["answer_index"], first["category"]) == (
        ["Kota 1A", "Kota 1B", "Kota 1C", "Kota 1D"], 1, "numerik")

    rows = question_rows(8)
    rows[3][5] = "Z"  # sheet row 5 (the header is row 1): no such option
    refused = assert_problem(admin.post(f"{base}/questions/sheet", data=question_sheet(rows),
                                        headers=upload), 422)
    assert "row 5" in str(refused["errors"]), refused
    assert "row 4" not in str(refused["errors"]) and "row 6" not in str(refused["errors"])
    assert admin.get(f"{base}/questions").json()["total"] == 12  # nothing of it imported


# -- the national-style schedule ------------------------------------------------------------

def test_a_week_of_five_two_hour_slots_from_seven_wib(base_url, admin):
    activity = api.open_activity(base_url, admin)
    first_day = (datetime.now(WIB) + timedelta(days=1)).date()
    created = admin.post(f"/api/v1/activities/{activity['id']}/test-sessions/schedule", json={
        "first_day": first_day.isoformat(), "days": 7, "slots_per_day": 5, "capacity": 30})
    assert created.status_code == 201, created.text
    sessions = created.json()["items"]
    assert len(sessions) == 35
    starts = sorted(datetime.fromisoformat(session["starts_at"]) for session in sessions)
    assert starts[0] == datetime.combine(first_day, time(7), WIB)
    assert starts[0].astimezone(WIB).isoformat().endswith("07:00:00+07:00")
    for day in range(7):
        for slot in range(5):
            assert starts[day * 5 + slot] == datetime.combine(
                first_day + timedelta(days=day), time(7 + 2 * slot), WIB)
    assert all(datetime.fromisoformat(session["ends_at"])
               - datetime.fromisoformat(session["starts_at"]) == timedelta(hours=2)
               and (session["capacity"], session["booked"]) == (30, 0) for session in sessions)
    listed = admin.get(f"/api/v1/activities/{activity['id']}/test-sessions").json()["items"]
    assert len(listed) == 35


# -- item analysis --------------------------------------------------------------------------

def test_item_analysis_after_a_submitted_attempt(admin, journey):
    base = f"/api/v1/activities/{journey.activity['id']}"
    report = admin.get(f"{base}/item-analysis")
    assert report.status_code == 200, report.text
    report = report.json()
    assert (report["attempts"], len(report["items"])) == (1, 40)
    drawn = {question["id"] for question in journey.attempt["questions"]}
    for item in report["items"]:
        presented = item["question_id"] in drawn
        assert (item["presented"], item["answered"]) == ((1, 1) if presented else (0, 0))
        if presented:  # every answer was right
            assert item["facility"] == 1.0
            assert [option["chosen"] for option in item["options"] if option["correct"]] == [1]
    exported = admin.get(f"{base}/item-analysis/export")
    assert exported.status_code == 200, exported.text
    assert exported.headers["Content-Type"] == XLSX
    workbook = openpyxl.load_workbook(io.BytesIO(exported.content))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 41  # the header and one row per question of the bank
