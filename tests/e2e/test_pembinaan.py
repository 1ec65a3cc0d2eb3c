"""Pembinaan statistik sektoral over HTTP, the proofs of issue 10: the whole journey (the
sekretariat sets up a team and its lokus; a member documents contacts, inventory, EPSS
candidates, a 5-item plan and 3 activities with evidence; the check shows exactly the
expected problems; monitoring shows the figures and its XLSX holds them), a non-BPS request
kabkot -> escalated to provinsi -> confirmed -> in progress -> documented with the team
mailed, isolation between teams and of every other role over the route table, and bad input
on every write route answered 4xx, never 500.

Teams are of next year (semester 1), so that every record made now counts and every plan date
of that year is still to come; each test uses its own unit codes (one team per unit and
year)."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from services.gateway import service as _gateway  # noqa: F401 (its import registers the routes)
from services.gateway.web import ROUTES
from tests.support import api
from tests.support import pembinaan as p
from tests.support.pembinaan import P, created

YEAR = date.today().year + 1
PAST = date(YEAR - 1, 1, 15)  # a plan date already passed
PEMBINAAN_ROUTES = [r for r in ROUTES if r.path.startswith(P + "/")]
CALCULATORS = {f"{P}/budget/fullday", f"{P}/budget/transport"}  # any signed-in account
REQUEST_ROUTES = {r.path for r in PEMBINAAN_ROUTES if r.path.startswith(f"{P}/requests")}


@pytest.fixture(scope="module")
def sekretariat(base_url):
    return p.account(base_url, "sekretariat")


@pytest.fixture(scope="module")
def people(base_url):
    return {name: p.account(base_url, "pembina") for name in (
        "ketua", "anggota", "prov", "outsider")}


# -- the whole journey ------------------------------------------------------------------------

def test_the_whole_journey(base_url, mail_sink, sekretariat, people):
    ketua, anggota = people["ketua"], people["anggota"]
    # The sekretariat: a team, its members (pembina accounts only, one ketua), a lokus.
    team = p.team(sekretariat, YEAR, "kabkot", "3528", "Tim Pembina BPS Kabupaten Pamekasan",
                  members=((ketua, "ketua"), (anggota, "anggota")))
    again = sekretariat.post(f"{P}/teams", json={"year": YEAR, "level": "kabkot",
                                                  "unit_code": "3528", "name": "x"})
    assert again.status_code == 409, again.text
    candidate = p.account(base_url, "admin_satker", "3528")
    not_pembina = sekretariat.post(f"{P}/teams/{team['id']}/members", json={
        "account_id": candidate.account_id, "position": "anggota"})
    assert not_pembina.status_code == 422 and "account_id" in not_pembina.json()["errors"]
    nobody = sekretariat.post(f"{P}/teams/{team['id']}/members", json={
        "account_id": "00000000-0000-0000-0000-000000000000", "position": "anggota"})
    assert nobody.status_code == 422 and "account_id" in nobody.json()["errors"]
    second_ketua = sekretariat.post(f"{P}/teams/{team['id']}/members", json={
        "account_id": people["prov"].account_id, "position": "ketua"})
    assert second_ketua.status_code == 409, second_ketua.text
    lokus = p.lokus(sekretariat, team["id"], "pemda_kabkot", "3528",
                    "Pemerintah Kabupaten Pamekasan")
    created(sekretariat.put(f"{P}/deadlines/{YEAR}", json={
        "establishment": f"{YEAR}-01-31", "contacts": f"{YEAR - 1}-01-31",  # passed: late
        "statistical_activities": f"{YEAR}-03-31", "epss_candidates": f"{YEAR}-03-31",
        "work_plan": f"{YEAR}-03-31"}), 200)
    deadlines = ketua.get(f"{P}/deadlines/{YEAR}")  # a team reads what it works to
    assert deadlines.status_code == 200, deadlines.text
    assert (deadlines.json()["contacts"], deadlines.json()["work_plan"]) == (
        f"{YEAR - 1}-01-31", f"{YEAR}-03-31")
    assert ketua.get(f"{P}/deadlines/{YEAR + 1}").status_code == 404  # none set
    created(sekretariat.put(f"{P}/budgets/{YEAR}/{team['id']}", json={"fullday_meetings": 2}),
            200)
    created(sekretariat.post(f"{P}/trainings", json={
        "account_id": ketua.account_id, "title": "Pelatihan Pembina PSS",
        "date": f"{YEAR}-01-05"}))
    ips = created(sekretariat.put(f"{P}/ips/{lokus['id']}/{YEAR}", json={"value": 3.6}), 200)
    assert ips["grade"] == "sangat_baik"

    # A member: establishment, contacts, inventory, EPSS candidates.
    kept = created(p.establishment(ketua, team["id"]), 200)
    assert kept["kind"] == "sk" and len(kept["sha256"]) == 64
    assert p.establishment(ketua, team["id"], content=api.PNG).status_code == 415
    bad = anggota.put(f"{P}/lokus/{lokus['id']}/contacts",
                      json=p.contacts(epss_whatsapp="021-3841198"))
    assert bad.status_code == 422 and "epss_whatsapp" in bad.json()["errors"]
    contacts = created(anggota.put(f"{P}/lokus/{lokus['id']}/contacts", json=p.contacts()), 200)
    assert contacts["epss_whatsapp"] == "6281234567890"
    assert contacts["walidata_narahubung_email"] is None
    inventory = created(anggota.post(f"{P}/lokus/{lokus['id']}/statistical-activities",
                                     json=p.inventory()))
    patched = created(anggota.patch(f"{P}/statistical-activities/{inventory['id']}",
                                    json={"periode": "bulanan"}), 200)
    assert (patched["periode"], patched["judul"]) == ("bulanan", inventory["judul"])
    created(anggota.post(f"{P}/lokus/{lokus['id']}/epss-candidates", json=p.epss()))

    # A 5-item plan: one date passed, one BPS-funded fullday meeting (the budget says 2).
    overdue = created(ketua.post(f"{P}/lokus/{lokus['id']}/work-plan", json=p.plan_item(PAST)))
    fullday = created(ketua.post(f"{P}/lokus/{lokus['id']}/work-plan", json=p.plan_item(
        date(YEAR, 2, 1), penyelenggara="bps", jenis="fullday")))
    others = [created(ketua.post(f"{P}/lokus/{lokus['id']}/work-plan",
                                 json=p.plan_item(date(YEAR, month, 1))))
              for month in (3, 4, 5)]
    # Three activities with evidence: two realise plan items, one BPS activity is unplanned.
    activities = [
        created(anggota.post(f"{P}/lokus/{lokus['id']}/activities", json=p.activity(
            date.today(), work_plan_id=fullday["id"]))),
        created(anggota.post(f"{P}/lokus/{lokus['id']}/activities", json=p.activity(
            date.today(), inisiatif="non_bps", work_plan_id=others[0]["id"]))),
        created(anggota.post(f"{P}/lokus/{lokus['id']}/activities", json=p.activity(
            date.today()))),
    ]
    for number, (content, media) in enumerate(((p.PDF, "application/pdf"),
                                               (p.PNG, "image/png"), (p.JPEG, "image/jpeg"))):
        evidence = created(anggota.put(f"{P}/activities/{activities[number]['id']}/evidence/1",
                                       data=content, headers={"Content-Type": media}))
        assert evidence["content_type"] == media
    mismatch = anggota.put(f"{P}/activities/{activities[0]['id']}/evidence/2", data=p.PDF,
                           headers={"Content-Type": "image/png"})
    assert mismatch.status_code == 415, mismatch.text
    listed = created(ketua.get(f"{P}/lokus/{lokus['id']}/activities"), 200)
    assert listed["total"] == 3 and [len(a["evidence"]) for a in listed["items"]] == [1, 1, 1]
    # The notifier followed pembinaan_activity_documented: the ketua is told, in Indonesian.
    told = mail_sink.wait_for(ketua.email, "Aktivitas pembinaan terdokumentasi")
    assert "Pemerintah Kabupaten Pamekasan" in told.get_content()

    # The check: exactly the expected problems.
    check = created(sekretariat.get(f"{P}/lokus/{lokus['id']}/work-plan/check"), 200)
    assert check["ok"] is False
    assert [(x["code"], x.get("work_plan_id"), x.get("activity_id"))
            for x in check["problems"]] == [
        ("fullday_budget_mismatch", None, None),
        ("overdue_unrealised", overdue["id"], None),
        ("unplanned_activity", None, activities[2]["id"])]
    assert (check["problems"][0]["count"], check["problems"][0]["budget"]) == (1, 2)

    # Monitoring: the figures, for the sekretariat and for the team's member alike.
    for client in (sekretariat, anggota):
        report = created(client.get(f"{P}/monitoring", params={"year": YEAR, "semester": 1}),
                         200)
        [item] = [i for i in report["items"] if i["team_id"] == team["id"]]
        assert {k: v["status"] for k, v in item["documentation"].items()} == {
            "establishment": "on_time", "contacts": "late", "statistical_activities": "on_time",
            "epss_candidates": "on_time", "work_plan": "on_time"}
        assert item["completeness"] == 0.875  # 14 of the 16 fields
        assert item["plan"] == {"planned": 5, "realised": 2, "realisation_rate": 0.4}
        assert (item["members_trained"], item["members_total"]) == (1, 2)
        assert item["lokus"] == [{"id": lokus["id"], "name": lokus["name"],
                                  "kind": "pemda_kabkot", "ips": 3.6, "grade": "sangat_baik"}]
        assert item["internalisation"]["status"] == "missing"
        assert "internalisation_missing" in item["flags"]
    assert [i["team_id"] for i in report["items"]] == [team["id"]]  # the member: its own

    exported = sekretariat.get(f"{P}/monitoring", params={"year": YEAR, "semester": 1,
                                                           "format": "xlsx"})
    assert exported.status_code == 200, exported.text
    assert "attachment" in exported.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(exported.content))
    rows = {row[0]: row for row in workbook["Monitoring"].iter_rows(values_only=True)}
    row = rows[team["name"]]
    header = next(workbook["Monitoring"].iter_rows(values_only=True))
    cells = dict(zip(header, row, strict=True))
    assert (cells["Narahubung"], cells["Rencana kerja"]) == ("terlambat", "tepat waktu")
    assert (cells["Kelengkapan narahubung"], cells["Rencana"], cells["Realisasi"],
            cells["Tingkat realisasi"], cells["Anggota terlatih"], cells["Anggota"]) == (
        0.875, 5, 2, 0.4, 1, 2)
    lokus_rows = list(workbook["Lokus"].iter_rows(values_only=True))
    assert (team["name"], lokus["name"], 3.6, "Sangat Baik") in lokus_rows


# -- a request from outside BPS -------------------------------------------------------------

def test_a_non_bps_request_is_escalated_confirmed_and_documented(base_url, mail_sink,
                                                                  sekretariat, people):
    head = p.account(base_url, "admin_satker", "3529")
    other_head = p.account(base_url, "admin_satker", "3320")
    member = p.account(base_url, "pembina")
    kabkot = p.team(sekretariat, YEAR, "kabkot", "3529", "Tim Pembina BPS Kabupaten Sumenep",
                    members=((member, "ketua"),))
    provinsi = p.team(sekretariat, YEAR, "provinsi", "3500", "Tim Pembina BPS Jawa Timur",
                      members=((people["prov"], "koordinator"),))
    asked = created(head.post(f"{P}/requests", json=p.request_body(satker_code="3529")))
    assert (asked["status"], asked["history"]) == ("submitted", [])
    assert other_head.post(f"{P}/requests", json=p.request_body(satker_code="3529")) \
        .status_code == 403
    path = f"{P}/requests/{asked['id']}/transitions"

    assert head.post(path, json={"to": "in_progress"}).status_code == 409
    assert other_head.post(path, json={"to": "disposed", "team_id": kabkot["id"]}) \
        .status_code == 403
    assert head.post(path, json={"to": "closed"}).status_code == 422
    created(head.post(path, json={"to": "disposed", "team_id": kabkot["id"],
                                  "note": "mohon ditindaklanjuti"}), 200)
    mail_sink.wait_for(member.email, "Permintaan pembinaan statistik sektoral")
    assert head.post(path, json={"to": "capacity_confirmed"}).status_code == 403
    targets = created(member.get(f"{P}/requests/{asked['id']}/escalation-targets"), 200)
    assert [team["id"] for team in targets["items"]] == [provinsi["id"]]  # one level up
    assert head.get(f"{P}/requests/{asked['id']}/escalation-targets").status_code == 403
    created(member.post(path, json={"to": "escalated", "team_id": provinsi["id"],
                                    "note": "lintas satuan kerja"}), 200)
    mail = mail_sink.wait_for(people["prov"].email, "Permintaan pembinaan statistik sektoral")
    assert "dieskalasi" in mail.get_content()
    assert member.post(path, json={"to": "capacity_confirmed"}).status_code == 403
    created(people["prov"].post(path, json={"to": "capacity_confirmed"}), 200)
    created(people["prov"].post(path, json={"to": "in_progress"}), 200)
    lokus = p.lokus(sekretariat, provinsi["id"], "pemda_provinsi", "3500",
                    "Pemerintah Provinsi Jawa Timur")
    bps = created(people["prov"].post(f"{P}/lokus/{lokus['id']}/activities",
                                      json=p.activity(date.today())))
    assert people["prov"].post(path, json={"to": "documented", "activity_id": bps["id"]}) \
        .status_code == 422
    done = created(people["prov"].post(f"{P}/lokus/{lokus['id']}/activities",
                                       json=p.activity(date.today(), inisiatif="non_bps")))
    final = created(people["prov"].post(path, json={"to": "documented",
                                                    "activity_id": done["id"]}), 200)
    assert final["status"] == "documented" and final["activity_id"] == done["id"]
    assert [(h["from"], h["to"], h["by"]) for h in final["history"]] == [
        ("submitted", "disposed", head.account_id),
        ("disposed", "escalated", member.account_id),
        ("escalated", "capacity_confirmed", people["prov"].account_id),
        ("capacity_confirmed", "in_progress", people["prov"].account_id),
        ("in_progress", "documented", people["prov"].account_id)]
    assert final["history"][0]["note"] == "mohon ditindaklanjuti"
    assert created(head.get(f"{P}/requests/{asked['id']}"), 200)["status"] == "documented"
    assert other_head.get(f"{P}/requests/{asked['id']}").status_code == 404
    listed = created(sekretariat.get(f"{P}/requests", params={"status": "documented"}), 200)
    assert asked["id"] in [r["id"] for r in listed["items"]]


# -- isolation --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def two_teams(base_url, sekretariat):
    mine, theirs = p.account(base_url, "pembina"), p.account(base_url, "pembina")
    team = p.team(sekretariat, YEAR, "kabkot", "3527", "Tim Sampang", members=((mine, "ketua"),))
    other = p.team(sekretariat, YEAR, "kabkot", "3526", "Tim Bangkalan",
                   members=((theirs, "ketua"),))
    lokus = p.lokus(sekretariat, team["id"], "pemda_kabkot", "3527", "Pemkab Sampang")
    item = created(mine.post(f"{P}/lokus/{lokus['id']}/work-plan",
                             json=p.plan_item(date(YEAR, 3, 1))))
    done = created(mine.post(f"{P}/lokus/{lokus['id']}/activities",
                             json=p.activity(date.today())))
    created(mine.put(f"{P}/lokus/{lokus['id']}/contacts", json=p.contacts()), 200)
    return {"mine": mine, "theirs": theirs, "team": team, "other": other, "lokus": lokus,
            "item": item, "activity": done}


def test_another_teams_member_cannot_read_or_write_this_teams_records(two_teams):
    theirs, team, lokus = two_teams["theirs"], two_teams["team"], two_teams["lokus"]
    forbidden = [theirs.get(f"{P}/teams/{team['id']}"),
                 theirs.get(f"{P}/teams/{team['id']}/members"),
                 theirs.get(f"{P}/lokus", params={"team_id": team["id"]}),
                 p.establishment(theirs, team["id"])]
    assert [r.status_code for r in forbidden] == [403] * 4
    unknown = [
        theirs.get(f"{P}/lokus/{lokus['id']}"),
        theirs.get(f"{P}/lokus/{lokus['id']}/contacts"),
        theirs.put(f"{P}/lokus/{lokus['id']}/contacts", json=p.contacts()),
        theirs.get(f"{P}/lokus/{lokus['id']}/work-plan"),
        theirs.post(f"{P}/lokus/{lokus['id']}/work-plan", json=p.plan_item(date(YEAR, 4, 1))),
        theirs.patch(f"{P}/work-plan/{two_teams['item']['id']}", json={"jenis": "fullday"}),
        theirs.get(f"{P}/lokus/{lokus['id']}/work-plan/check"),
        theirs.post(f"{P}/lokus/{lokus['id']}/activities", json=p.activity(date.today())),
        theirs.get(f"{P}/lokus/{lokus['id']}/activities"),
        theirs.put(f"{P}/activities/{two_teams['activity']['id']}/evidence/1", data=p.PDF,
                   headers={"Content-Type": "application/pdf"}),
        theirs.get(f"{P}/lokus/{lokus['id']}/epss-candidates"),
        theirs.get(f"{P}/lokus/{lokus['id']}/statistical-activities"),
    ]
    assert [r.status_code for r in unknown] == [404] * len(unknown)
    assert all(r.headers["Content-Type"] == "application/problem+json" for r in unknown)
    own = created(theirs.get(f"{P}/teams", params={"year": YEAR}), 200)
    assert [t["id"] for t in own["items"]] == [two_teams["other"]["id"]]
    report = created(theirs.get(f"{P}/monitoring", params={"year": YEAR, "semester": 1}), 200)
    assert [i["team_id"] for i in report["items"]] == [two_teams["other"]["id"]]
    # Members do not place lokus: the sekretariat does.
    assert two_teams["mine"].post(f"{P}/lokus", json={
        "team_id": team["id"], "kind": "kl", "code": "X", "name": "X"}).status_code == 403


def _concrete(path: str, ids: dict) -> str:
    def value(match):
        name = match.group(1).split(":")[-1]
        return str(ids.get(name, "00000000-0000-0000-0000-000000000000"))
    return re.sub(r"<([^>]+)>", value, path)


@pytest.fixture(scope="module")
def ids(two_teams):
    return {"team_id": two_teams["team"]["id"], "lokus_id": two_teams["lokus"]["id"],
            "record_id": two_teams["item"]["id"], "activity_id": two_teams["activity"]["id"],
            "request_id": "00000000-0000-0000-0000-000000000000", "year": YEAR, "n": 1}


def test_a_mitra_gets_403_on_every_pembinaan_route(base_url, mail_sink, ids):
    mitra = api.registered_candidate(base_url, mail_sink)
    routes = [r for r in PEMBINAAN_ROUTES if r.path not in CALCULATORS]
    assert len(routes) >= 30
    for route in routes:
        response = mitra.request(route.method, _concrete(route.path, ids), json={})
        assert response.status_code == 403, (route.method, route.path, response.text)


def test_an_admin_satker_only_disposes_requests(base_url, ids):
    admin = p.account(base_url, "admin_satker", "3527")
    for route in PEMBINAAN_ROUTES:
        if route.path in CALCULATORS or route.path in REQUEST_ROUTES:
            continue
        response = admin.request(route.method, _concrete(route.path, ids), json={})
        assert response.status_code == 403, (route.method, route.path, response.text)


# -- bad input: never a 500 -------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**63)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12)
WRITE_ROUTES = [r for r in PEMBINAAN_ROUTES if r.body is not None]
DOCUMENTED = {200, 201, 400, 403, 404, 409, 413, 415, 422}


def _bodies(route):
    names = sorted(route.body().fields)
    with_names = st.fixed_dictionaries({}, optional=dict.fromkeys(names, json_values)) \
        if names else st.just({})
    return with_names | json_values


@pytest.mark.parametrize("route", WRITE_ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_bad_bodies_on_every_write_route_are_4xx(route, sekretariat, two_teams, ids):
    caller = sekretariat if route.roles == ("superadmin", "sekretariat") else two_teams["mine"]
    path = _concrete(route.path, ids)
    session = requests.Session()

    @settings(max_examples=30, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(body=_bodies(route))
    def check(body):
        response = session.request(route.method, caller.base_url + path, json=body, timeout=30,
                                   headers={"Authorization": f"Bearer {caller.token}"})
        assert response.status_code in DOCUMENTED, (body, response.status_code, response.text)
        if response.status_code >= 400:
            assert response.headers["Content-Type"] == "application/problem+json"

    check()


def test_bad_uploads_are_4xx(two_teams):
    mine, team = two_teams["mine"], two_teams["team"]
    evidence = f"{P}/activities/{two_teams['activity']['id']}/evidence"
    answers = [
        mine.put(f"{evidence}/1", data=b"", headers={"Content-Type": "application/pdf"}),
        mine.put(f"{evidence}/1", data=b"GIF89a", headers={"Content-Type": "image/gif"}),
        mine.put(f"{evidence}/11", data=p.PDF, headers={"Content-Type": "application/pdf"}),
        mine.put(f"{P}/teams/{team['id']}/establishment", data=p.PDF,
                 headers={"Content-Type": "application/pdf"}),
        mine.put(f"{P}/teams/{team['id']}/establishment", files={"other": ("a", b"x")},
                 data={"kind": "sk", "number": "1", "date": "2026-01-01"}),
        mine.put(f"{P}/teams/{team['id']}/establishment", files={
            "file": ("sk.pdf", p.PDF, "application/pdf")}, data={
            "kind": "perpres", "number": "1", "date": "2026-13-01"}),
        mine.put(f"{P}/teams/{team['id']}/establishment",
                 data=b"--x\r\nbroken", headers={"Content-Type": "multipart/form-data; "
                                                                "boundary=x"}),
    ]
    assert [r.status_code for r in answers] == [422, 415, 422, 415, 422, 422, 422], [
        r.text for r in answers]
