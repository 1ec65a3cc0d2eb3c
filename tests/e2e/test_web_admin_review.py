"""The satker admin's recruitment pages in headless Chromium on a desk-sized screen, against the
running system: an activity made through the form (requirements included, a bad time order
refused next to its field first), a candidate's application reviewed with the checks and the
documents side by side, a decision refused without a reason and then made, and the applicants
exported as CSV through the page. Screenshots are saved as test artefacts (the folder is
printed)."""
from __future__ import annotations

import re
import struct
import uuid
import zlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.support import api, browser
from tests.support.accessibility import assert_accessible
from tests.support.infra import wait_until

pytestmark = pytest.mark.timeout(300)
ZONE = "Asia/Jakarta"
DESK = {**browser.DESK, "timezone_id": ZONE}  # the times typed are read on this clock


def png(width: int, height: int, rgb=(40, 110, 170)) -> bytes:
    """A real PNG image of one colour (a KTP scan stand-in the browser can draw)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.fixture
def desk(chromium):
    with browser.watched_context(chromium, DESK) as context:
        yield context


def local(moment: datetime) -> str:
    """A datetime-local input's value on the browser's clock (the context's time zone)."""
    return moment.astimezone(ZoneInfo(ZONE)).strftime("%Y-%m-%dT%H:%M")


def test_an_admin_makes_an_activity_reviews_an_application_and_exports(
        base_url, mail_sink, desk, tmp_path):
    shots = browser.Screenshots("admin-review-" + uuid.uuid4().hex[:6])
    admin = api.admin_of(base_url, "3528")
    email = admin.get("/api/v1/me").json()["email"]
    page = desk.new_page()
    decisions: list[str] = []
    page.on("request", lambda r: decisions.append(r.post_data or "")
            if r.method == "POST" and r.url.endswith("/administrative-decision") else None)

    page.goto(base_url + "/#/masuk")
    page.locator("#f-email").fill(email)
    page.locator("#f-password").fill("admin-password-1")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"#/admin/kegiatan$"))
    page.get_by_role("heading", name="Kegiatan rekrutmen satker 3528").wait_for()
    assert_accessible(page, "daftar kegiatan")

    # The activity through the form, requirements included; a bad time order first.
    name = f"Survei Sosial Ekonomi {uuid.uuid4().hex[:6]}"
    page.get_by_role("link", name="Buat kegiatan baru").first.click()
    page.locator("#f-name").fill(name)
    now = datetime.now(ZoneInfo(ZONE))
    page.locator("#f-registration_opens_at").fill(local(now - timedelta(hours=1)))
    page.locator("#f-registration_closes_at").fill(local(now - timedelta(hours=2)))
    page.locator("#f-announcement_at").fill(local(now + timedelta(days=40)))
    page.locator("#f-quota").fill("50")
    page.locator("#f-age_min").fill("18")
    page.locator("#f-age_max").fill("58")
    page.locator("#f-age_rule").select_option("preferred")
    page.locator("#f-education_min").select_option("S1")
    page.locator("#f-education_rule").select_option("mandatory")
    page.locator("#f-rule_domicile").select_option("preferred")
    page.locator("#f-rule_not_asn").select_option("mandatory")
    page.locator("#f-doc_cv").check()
    page.get_by_role("button", name="Buat kegiatan").click()
    closes_error = page.locator('[data-error-for="registration_closes_at"]')
    closes_error.get_by_text("Harus sesudah waktu pendaftaran dibuka").wait_for()
    assert "perlu diperbaiki" in page.locator("form .msg").text_content()
    shots(page, "urutan-waktu-salah")
    assert_accessible(page, "formulir kegiatan dengan kesalahan")
    listed = admin.get("/api/v1/activities", params={"satker_code": "3528", "per_page": 200})
    assert name not in [a["name"] for a in listed.json()["items"]]

    page.locator("#f-registration_closes_at").fill(local(now + timedelta(days=20)))
    shots(page, "formulir-kegiatan")
    page.get_by_role("button", name="Buat kegiatan").click()
    page.wait_for_url(re.compile(r"#/admin/kegiatan\?dibuat="))
    card = page.locator("article.ad-activity", has_text=name)
    card.get_by_text("Pendidikan minimal S1 (wajib)").wait_for()
    assert "Daftar riwayat hidup" in card.text_content()
    shots(page, "kegiatan-dibuat")
    activity_id = card.get_attribute("data-activity")
    activity = admin.get(f"/api/v1/activities/{activity_id}").json()
    assert activity["quota"] == 50
    assert activity["requirements"] == {
        "age": {"min": 18, "max": 58, "rule": "preferred"},
        "education": {"min": "S1", "rule": "mandatory"},
        "domicile": {"rule": "preferred"}, "not_asn": {"rule": "mandatory"},
        "extra_documents": ["cv"]}
    wait_until(lambda: admin.get(f"/api/v1/activities/{activity_id}/applications")
               .status_code == 200, message="the activity in selection")

    # Editing: the form comes back filled in; a change of the quota is saved.
    card.get_by_role("link", name="Ubah kegiatan " + name).click()
    page.get_by_role("heading", name="Ubah kegiatan").wait_for()
    expect(page.locator("#f-quota")).to_have_value("50")
    assert_accessible(page, "ubah kegiatan")
    page.locator("#f-quota").fill("60")
    page.get_by_role("button", name="Simpan perubahan").click()
    wait_until(lambda: admin.get(f"/api/v1/activities/{activity_id}").json()["quota"] == 60,
               message="the quota changed")
    page.goto(base_url + "/#/admin/kegiatan")
    card = page.locator("article.ad-activity", has_text=name)
    card.wait_for()

    # A candidate applies (through the API: the candidate's pages are tested elsewhere).
    candidate = api.complete_candidate(base_url, mail_sink, kinds=("photo", "ijazah", "cv"))
    scan = candidate.put("/api/v1/me/documents/ktp", data=png(320, 200),
                         headers={"Content-Type": "image/png"})
    assert scan.status_code == 201, scan.text
    applied = candidate.post(f"/api/v1/activities/{activity_id}/applications", json={})
    assert applied.status_code == 201, applied.text
    number = applied.json()["registration_number"]
    application_id = applied.json()["id"]
    queue = f"/api/v1/activities/{activity_id}/applications"
    wait_until(lambda: admin.get(queue).json()["total"] == 1, message="the application queued")

    # The queue: the checks and the documents side by side.
    card.get_by_role("link", name="Seleksi administrasi").click()
    review = page.locator(f'article.ad-review[data-registration="{number}"]')
    review.wait_for()
    checks = review.locator(".ad-checks")
    assert "Pendidikan SMA, di bawah minimal S1" in checks.text_content()
    assert "Skor diutamakan: 2 dari 2" in checks.text_content()
    ktp = review.locator('figure[data-kind="ktp"] img')
    ktp.wait_for()
    assert ktp.get_attribute("src").startswith("blob:")
    page.wait_for_function("image => image.complete && image.naturalWidth === 320",
                           arg=ktp.element_handle())
    data_box = review.locator(".ad-data").bounding_box()  # the data and the checks
    ktp_box = ktp.bounding_box()
    assert ktp_box["x"] > data_box["x"] + data_box["width"]  # beside them, not below
    assert data_box["y"] <= ktp_box["y"] < data_box["y"] + data_box["height"]
    cv = review.locator('figure[data-kind="cv"]')
    cv.get_by_role("button", name="Tampilkan PDF").click()  # a PDF in a frame of its blob
    assert cv.locator("iframe").get_attribute("src").startswith("blob:")
    shots(page, "antrean-pemeriksaan")
    assert_accessible(page, "antrean seleksi administrasi")

    # Rejected without a reason: refused before sending, and the admin is told why.
    review.get_by_label("Tidak diterima").check()
    review.get_by_role("button", name="Simpan keputusan").click()
    review.locator('[data-error-for="reason"]').get_by_text("Alasan wajib diisi").wait_for()
    assert "belum dikirim" in review.locator(".ad-decision .msg").text_content()
    shots(page, "alasan-wajib")
    assert_accessible(page, "keputusan tanpa alasan")
    assert decisions == []
    status = admin.get(queue).json()["items"][0]["administrative"]["status"]
    assert status == "pending"

    review.get_by_label("Alasan").fill("Pendidikan minimal S1 tidak terpenuhi.")
    review.get_by_role("button", name="Simpan keputusan").click()
    review.get_by_text("Keputusan tersimpan: Tidak diterima").wait_for()
    assert review.locator(".badge").get_attribute("data-status") == "rejected"
    shots(page, "ditolak")
    assert len(decisions) == 1
    decided = admin.get(queue).json()["items"][0]
    assert decided["id"] == application_id
    assert decided["administrative"] == {
        "status": "rejected", "reason": "Pendidikan minimal S1 tidak terpenuhi.",
        "decided_at": decided["administrative"]["decided_at"]}

    # The export: a file downloaded through the page with the token, not a bare link.
    with page.expect_download() as download:
        page.locator(".ad-toolbar").get_by_role("button", name="Unduh CSV").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".csv"
    assert number in saved.read_text(encoding="utf-8-sig")
    page.locator(".ad-toolbar").get_by_text("diunduh").wait_for()
    shots(page, "ekspor")

    # Still usable on a phone: one column, the documents under the data.
    page.set_viewport_size({"width": 360, "height": 740})
    data_box = review.locator(".ad-data").bounding_box()
    docs_box = review.locator(".ad-docs").bounding_box()
    assert docs_box["y"] >= data_box["y"] + data_box["height"]
    assert docs_box["x"] + docs_box["width"] <= 360
    shots(page, "ponsel")
    assert_accessible(page, "antrean di ponsel")
