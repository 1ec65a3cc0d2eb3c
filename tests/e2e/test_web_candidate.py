"""The candidate's web pages in headless Chromium on a phone-sized screen, against the running
system: sign-up, activation from the mail's link, profile with the NIK read back, documents,
apply, the status page; and the test day with a network cut in the middle of the attempt.
axe-core checks every page and state on the way (tests/support/accessibility.py: WCAG 2.1 A and
AA, no serious or critical violation). Screenshots are saved as test artefacts (the folder is
printed)."""
from __future__ import annotations

import gzip
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import requests
from playwright.sync_api import expect

from tests.support import api, browser, final_selection
from tests.support.accessibility import assert_accessible
from tests.support.builders import profile_body
from tests.support.infra import wait_until

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def admin(base_url):
    return api.admin_of(base_url, "3528")


def named_activity(admin, name: str) -> dict:
    body = api.activity_body("3528")
    body["name"] = name
    activity = admin.post("/api/v1/activities", json=body).json()
    wait_until(lambda: admin.get(f"/api/v1/activities/{activity['id']}/applications")
               .status_code == 200, message="the activity in selection")
    wait_until(lambda: admin.get(f"/api/v1/activities/{activity['id']}/test-sessions")
               .status_code == 200, message="the activity in assessment")
    return activity


def sign_in(page, email: str, password: str):
    page.locator("#f-email").fill(email)
    page.locator("#f-password").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"#/status$"))


def test_the_pages_are_files_of_the_gateway_under_a_strict_policy(base_url):
    index = requests.get(base_url + "/", timeout=10)
    assert index.status_code == 200
    assert index.headers["Content-Type"].startswith("text/html")
    policy = index.headers["Content-Security-Policy"]
    assert policy.startswith("default-src 'self'") and "unsafe-inline" not in policy
    assert index.headers["X-Content-Type-Options"] == "nosniff"
    assert index.headers["Date"]  # the test page's clock: the server's, from this header
    assert "no-cache" in index.headers["Cache-Control"]
    script = requests.get(base_url + "/app/app.js", timeout=10)
    assert script.status_code == 200
    assert script.headers["Content-Type"].startswith("text/javascript")
    for path in ("/app/../routes/frontend.py", "/app/%2e%2e/service.py", "/app/nope.js",
                 "/app/"):
        assert requests.get(base_url + path, timeout=10).status_code == 404, path
    paths = requests.get(base_url + "/api/v1/openapi.json", timeout=10).json()["paths"]
    assert all(path.startswith("/api/v1/") for path in paths)
    plain = requests.get(base_url + "/app/admin.js", timeout=10,
                         headers={"Accept-Encoding": "identity"})
    zipped = requests.get(base_url + "/app/admin.js", timeout=10, stream=True,
                          headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert zipped.headers["Vary"] == "Accept-Encoding"
    assert zipped.headers["ETag"] != plain.headers["ETag"]  # one tag per representation
    assert int(zipped.headers["Content-Length"]) < len(plain.content) / 2
    assert gzip.decompress(zipped.raw.read()) == plain.content


def transferred(page) -> dict[str, int]:
    """URL -> bytes on the wire (headers and the encoded body) of every request the page made."""
    sizes: dict[str, int] = {}

    def record(request):
        size = request.sizes()
        sizes[request.url] = size["responseHeadersSize"] + size["responseBodySize"]
    page.on("requestfinished", record)
    return sizes


def test_the_first_page_is_small_and_a_candidate_never_loads_the_admin_pages(base_url, phone):
    page = phone.new_page()
    sizes = transferred(page)
    # What was asked for, counted when asked (a size is known only once the answer is read,
    # which may come after the page is drawn on a busy machine).
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base_url + "/")
    page.get_by_role("heading", name="Masuk").wait_for()
    page.wait_for_load_state("networkidle")
    first = sum(sizes.values())
    print(f"first page: {first} bytes in {len(sizes)} requests")
    assert first < 150 * 1024
    page.goto(base_url + "/#/kegiatan")  # a candidate's page, signed out: its area loads
    page.get_by_role("heading", name="Kegiatan yang dibuka").wait_for()
    page.wait_for_load_state("networkidle")
    loaded = {url.rsplit("/", 1)[-1] for url in requested}
    assert "candidate.js" in loaded
    assert not loaded & {"admin.js", "admin_test.js", "admin_final.js", "pembinaan.js",
                         "monitoring.js"}, loaded


def test_a_candidate_signs_up_on_a_phone_and_applies(base_url, mail_sink, admin, phone):
    shots = browser.Screenshots("candidate-journey-" + uuid.uuid4().hex[:6])
    name = f"Sensus Pertanian {uuid.uuid4().hex[:6]}"
    named_activity(admin, name)
    email, password = api.unique_email("web"), "kata-sandi-rahasia"
    page = phone.new_page()

    page.goto(base_url + "/#/daftar")
    page.locator("#f-full_name").fill("Siti Aminah")
    page.locator("#f-email").fill(email)
    page.locator("#f-password").fill(password)
    page.get_by_role("button", name="Daftar").click()
    page.get_by_text("Pendaftaran diterima").wait_for()
    shots(page, "daftar")
    assert_accessible(page, "daftar")

    body = mail_sink.wait_for(email, "Aktivasi").get_content()
    link = re.search(r"(\S+/#/aktivasi\?token=\S+)", body).group(1)
    assert link.startswith(base_url)
    page.goto(link)
    page.get_by_text("Akun Anda aktif").wait_for()
    shots(page, "aktivasi")
    assert_accessible(page, "aktivasi berhasil")
    page.get_by_role("link", name="Masuk").last.click()
    page.get_by_role("heading", name="Masuk").wait_for()
    assert_accessible(page, "masuk")
    sign_in(page, email, password)
    page.get_by_text("Belum ada pendaftaran").wait_for()
    assert_accessible(page, "status tanpa pendaftaran")

    profile = profile_body()
    page.goto(base_url + "/#/profil")
    page.locator("#f-nik").fill(profile["nik"][:10])
    assert "16 angka" in page.locator("#nik-info").text_content()
    page.locator("#f-nik").fill(profile["nik"])
    info = page.locator("#nik-info")
    assert "Perempuan" in info.text_content() and "14 Maret" in info.text_content()
    # the region's names, asked from GET /api/v1/regions/352801 as the NIK is typed
    expect(info).to_contain_text("Kecamatan Tlanakan, Kab. Pamekasan, Jawa Timur")
    page.locator("#f-sex").select_option("L")
    expect(info).to_contain_text("tidak cocok dengan jenis kelamin")
    expect(info).to_contain_text("Kecamatan Tlanakan")
    page.locator("#f-sex").select_option("P")
    for name_ in ("full_name", "birth_date", "phone", "address", "domicile_regency_code",
                  "occupation"):
        page.locator(f"#f-{name_}").fill(profile[name_])
    expect(page.locator("#domicile-info")).to_contain_text(", Jawa Timur")
    page.locator("#f-education").select_option(profile["education"])
    for flag in ("is_asn", "has_other_institution_contract", "has_bps_experience",
                 "has_capi_experience", "owns_smartphone", "can_use_computer",
                 "can_ride_motorbike"):
        page.locator(f"#f-{flag}").set_checked(profile[flag])
    for statement in profile["statements"]:
        page.locator(f"#f-st_{statement}").check()
    shots(page, "profil")
    assert_accessible(page, "profil dengan info NIK")
    page.locator("#f-sex").select_option("L")  # the server decides: refused next to the NIK
    page.get_by_role("button", name="Simpan profil").click()
    page.locator("#f-nik-error").get_by_text("NIK tidak cocok dengan jenis kelamin").wait_for()
    assert_accessible(page, "profil ditolak")
    page.locator("#f-sex").select_option("P")
    page.get_by_role("button", name="Simpan profil").click()
    page.get_by_text("Profil tersimpan").wait_for()

    page.goto(base_url + "/#/dokumen")
    expect(page.locator("main")).to_contain_text("10 MB")
    files = {"photo": ("foto.jpg", "image/jpeg", api.JPEG),
             "ktp": ("ktp.pdf", "application/pdf", api.PDF),
             "ijazah": ("ijazah.pdf", "application/pdf", api.PDF)}
    for kind, (filename, mime, content) in files.items():
        page.locator(f"#doc-{kind}").set_input_files(
            {"name": filename, "mimeType": mime, "buffer": content})
        page.locator(f'#uploaded li[data-kind="{kind}"]').wait_for()
    shots(page, "dokumen")
    assert_accessible(page, "dokumen")

    page.goto(base_url + "/#/kegiatan?satker=3528")
    card = page.locator("article", has_text=name)
    assert "Bukan ASN (wajib)" in card.text_content()
    card.get_by_role("button", name="Daftar kegiatan ini").click()
    card.get_by_text("Nomor pendaftaran").wait_for()
    shots(page, "daftar-kegiatan")
    assert_accessible(page, "kegiatan")
    card.get_by_role("link", name="Lihat status pendaftaran").click()
    page.get_by_text("Status: menunggu").wait_for()
    assert "Seleksi administrasi" in page.locator("main").text_content()
    shots(page, "status")
    assert_accessible(page, "status")

    applications = api.login(base_url, email, password).get("/api/v1/me/applications").json()
    assert [item["administrative"]["status"] for item in applications["items"]] == ["pending"]


def test_the_test_page_keeps_answers_through_a_network_cut(base_url, mail_sink, admin, phone):
    shots = browser.Screenshots("test-day-" + uuid.uuid4().hex[:6])
    activity = api.open_activity(base_url, admin)
    created = admin.post(f"/api/v1/activities/{activity['id']}/questions",
                         json={"items": api.question_items(40)})
    assert created.status_code == 201, created.text
    candidate = api.accepted_candidate(base_url, mail_sink, admin, activity["id"])
    now = datetime.now(UTC)
    session = admin.post(f"/api/v1/activities/{activity['id']}/test-sessions", json={
        "starts_at": (now - timedelta(minutes=5)).isoformat(),
        "ends_at": (now + timedelta(minutes=30)).isoformat(), "capacity": 10}).json()

    page = phone.new_page()
    saved_puts: list[str] = []
    page.on("response", lambda r: saved_puts.append(r.url.rsplit("/", 1)[1])
            if r.request.method == "PUT" and "/answers/" in r.url and r.status == 200 else None)
    page.goto(base_url + "/#/masuk")
    sign_in(page, candidate.email, "kata-sandi-rahasia")
    page.get_by_role("link", name="Pilih sesi ujian").wait_for()
    assert_accessible(page, "status: lolos administrasi")
    page.goto(base_url + f"/#/ujian?kegiatan={activity['id']}")

    def book():  # eligibility reaches assessment by event: a 403 for a moment
        page.goto(base_url + f"/#/ujian?kegiatan={activity['id']}")
        page.reload()
        start = page.get_by_role("button", name="Mulai / lanjutkan ujian")
        choose = page.get_by_role("button", name="Pilih sesi ini")
        start.or_(choose).wait_for()
        if start.is_visible():
            return True
        page.get_by_text("tidak dapat diubah").first.wait_for()
        assert_accessible(page, "pilih sesi")
        choose.click()
        page.get_by_role("button", name="Ya, pilih sesi ini").wait_for()
        assert_accessible(page, "konfirmasi sesi")
        page.get_by_role("button", name="Ya, pilih sesi ini").click()
        page.get_by_role("button", name="Mulai / lanjutkan ujian").or_(
            page.locator(".msg.error")).wait_for()
        return start.is_visible()
    shots(page, "pilih-sesi")
    wait_until(book, message="the booking from the page")
    assert_accessible(page, "mulai ujian")
    page.get_by_role("button", name="Mulai / lanjutkan ujian").click()
    page.get_by_text("Soal 1 dari 30").wait_for()
    assert re.search(r"Sisa waktu \d+:\d\d", page.locator("#timer").text_content())

    def answer(count: int):
        for _ in range(count):
            page.locator(".option label").first.click()
            page.get_by_role("button", name="Berikutnya").click()

    answer(5)
    page.locator('#save-state[data-pending="0"]').wait_for()
    shots(page, "online")
    assert_accessible(page, "soal ujian")
    phone.set_offline(True)
    answer(5)
    page.get_by_text("Sambungan terputus").wait_for()
    page.locator('#save-state[data-pending="5"]').wait_for()
    shots(page, "offline")
    assert_accessible(page, "soal ujian tanpa sambungan")
    attempt = candidate.post(f"/api/v1/test-sessions/{session['id']}/attempt", json={}).json()
    assert len(attempt["answers"]) == 5

    phone.set_offline(False)
    page.locator('#save-state[data-pending="0"]').wait_for()
    assert page.locator("#net").is_hidden()
    resumed = candidate.post(f"/api/v1/test-sessions/{session['id']}/attempt", json={}).json()
    assert len(resumed["answers"]) == 10 and set(resumed["answers"].values()) == {0}
    assert sorted(saved_puts) == sorted(resumed["answers"])  # each answer saved exactly once

    page.reload()  # a reload resumes the same attempt with its answers, at once
    page.get_by_text("Soal 1 dari 30").wait_for()
    assert page.locator(".qmap.answered").count() == 10
    assert page.locator("#save-state").text_content() == "Semua jawaban tersimpan"
    shots(page, "lanjut")
    page.get_by_role("button", name="Selesai dan kirim").click()
    page.get_by_text("20 soal belum dijawab").wait_for()
    assert_accessible(page, "konfirmasi kirim")
    page.get_by_role("button", name="Ya, kirim").click()
    page.get_by_text("Ujian terkirim").wait_for()
    shots(page, "terkirim")
    assert_accessible(page, "ujian terkirim")
    status = candidate.get(f"/api/v1/attempts/{attempt['attempt_id']}").json()
    assert status["status"] == "submitted" and status["answered"] == 10
    assert "answer_index" not in page.content()

    # ... to the announced result: the committee accepts the top one, the announcement comes
    # a few seconds later, and the status page says so in plain Indonesian.
    criteria = admin.put(f"/api/v1/activities/{activity['id']}/final-criteria", json={
        "positions": 1, "weights": {"test_score": 1}, "min_test_score": 0,
        "disclose_scores": True})
    assert criteria.status_code == 200, criteria.text
    final_selection.wait_until_ranked(admin, activity["id"], 1)
    top = admin.post(f"/api/v1/activities/{activity['id']}/final-decisions/accept-top",
                     json={"count": 1})
    assert top.status_code == 200, top.text
    page.goto(base_url + "/#/status")
    page.get_by_text("Menunggu pengumuman").wait_for()
    announcement_at = datetime.now(UTC) + timedelta(seconds=4)
    changed = admin.patch(f"/api/v1/activities/{activity['id']}", json={
        "registration_closes_at": (announcement_at - timedelta(seconds=2)).isoformat(),
        "announcement_at": announcement_at.isoformat()})
    assert changed.status_code == 200, changed.text
    wait_until(lambda: final_selection.final_of(candidate)["status"] == "accepted",
               timeout=60, message="the announcement")
    page.reload()
    stage = page.locator('[data-stage="Hasil akhir"]')
    expect(stage).to_contain_text("Diterima")
    expect(stage).to_contain_text("Selamat")
    disclosed = final_selection.final_of(candidate)["score"]  # the own total, disclosed
    expect(stage).to_contain_text("Nilai akhir: " + f"{disclosed:.2f}".rstrip("0").rstrip(".")
                                  .replace(".", ","))
    shots(page, "diumumkan")
    assert_accessible(page, "status: diumumkan")


def test_a_forgotten_password_is_reset_from_the_mails_link(base_url, mail_sink, phone):
    shots = browser.Screenshots("reset-" + uuid.uuid4().hex[:6])
    candidate = api.registered_candidate(base_url, mail_sink)
    page = phone.new_page()
    page.goto(base_url + "/#/masuk")
    page.get_by_role("link", name="Lupa kata sandi?").click()
    page.locator("#f-email").fill(candidate.email)
    page.get_by_role("button", name="Kirim tautan").click()
    page.get_by_text("Jika alamat ini terdaftar").wait_for()
    assert_accessible(page, "lupa sandi")

    body = mail_sink.wait_for(candidate.email, "Atur ulang").get_content()
    link = re.search(r"(\S+/#/atur-sandi\?token=\S+)", body).group(1)
    assert link.startswith(base_url)
    page.goto(link)
    page.locator("#f-password").fill("sandi-baru-yang-panjang")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Kata sandi diganti").wait_for()
    shots(page, "atur-sandi")
    assert_accessible(page, "atur sandi")
    page.goto(link)  # the link is single-use
    page.locator("#f-password").fill("sandi-lain-yang-panjang")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Tautan tidak berlaku").wait_for()
    assert_accessible(page, "atur sandi dengan tautan terpakai")

    page.goto(base_url + "/#/masuk")
    sign_in(page, candidate.email, "sandi-baru-yang-panjang")


def test_a_page_left_while_it_loads_never_draws_over_the_next(base_url, mail_sink, phone):
    candidate = api.registered_candidate(base_url, mail_sink)
    page = phone.new_page()
    page.goto(base_url + "/#/masuk")
    sign_in(page, candidate.email, "kata-sandi-rahasia")
    page.get_by_text("Belum ada pendaftaran").wait_for()
    page.goto(base_url + "/#/dokumen")
    page.get_by_role("heading", name="Dokumen").wait_for()

    held = []  # the status page's read, answered only after the candidate has moved on
    page.route("**/api/v1/me/applications", lambda route: held.append(route))
    with page.expect_request("**/api/v1/me/applications"):
        page.goto(base_url + "/#/status")
    page.evaluate("1")  # Playwright runs the route handler while it waits on the page
    assert len(held) == 1
    page.goto(base_url + "/#/profil")
    page.get_by_role("heading", name="Profil").wait_for()
    with page.expect_response("**/api/v1/me/applications"):
        held[0].continue_()
    # Let the page finish whatever the answer set off (two rounds of its event loop).
    for _ in range(2):
        page.evaluate("() => new Promise((done) => setTimeout(done, 0))")
    expect(page.get_by_role("heading", level=1)).to_have_text("Profil")
    assert page.locator("#f-nik").is_visible()
