"""The satker admin's competency-test and final-selection pages in headless Chromium on a desk
screen, against the running system: the question bank (an XLSX sheet refused with its row
numbers, then one taken), sessions made with the schedule helper and its preview, the item
analysis, the final criteria, the ranking with each component, accept-top-N with its
confirmation, a rejection that needs a reason, the criteria locked after, and the export.
The candidates (accepted, tested) are seeded over HTTP. Each state shown is checked by axe-core
(tests/support/accessibility.py) and saved as a screenshot (the folder is printed)."""
from __future__ import annotations

import io
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.support import api, browser
from tests.support import final_selection as fs
from tests.support.accessibility import assert_accessible
from tests.support.infra import wait_until

pytestmark = pytest.mark.timeout(300)
HEADER = ["pertanyaan", "opsi_a", "opsi_b", "opsi_c", "opsi_d", "opsi_e", "jawaban", "kategori"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Right answers out of 30: test scores 90, 80 and 40 (under the minimum of 50).
CANDIDATES = (("Ahmad Fauzi", 27), ("Budi Santoso", 24), ("Dewi Anggraini", 12))


def sheet(rows) -> bytes:
    workbook = Workbook()
    workbook.active.append(HEADER)
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def signed_in_page(context, base_url: str, admin: api.Client):
    """A page holding the admin's token as the sign-in page stores it (signing in is the
    accounts pages' test, not this one's)."""
    page = context.new_page()
    page.goto(base_url + "/#/masuk")
    page.evaluate("([token, who]) => { localStorage.setItem('sobat.token', token);"
                  " localStorage.setItem('sobat.who', who); }",
                  [admin.token, json.dumps({"role": "admin_satker", "satker_code": "3528"})])
    return page


def question_total(admin: api.Client, activity_id: str) -> int:
    response = admin.get(f"/api/v1/activities/{activity_id}/questions")
    assert response.status_code == 200, response.text
    return response.json()["total"]


def test_the_admin_runs_the_test_and_the_final_selection_in_the_browser(
        base_url, mail_sink, chromium, desk):
    shots = browser.Screenshots("admin-final-" + uuid.uuid4().hex[:6])
    admin = api.admin_of(base_url, "3528")
    activity, session = fs.activity_with_test(base_url, admin)
    activity_id = activity["id"]
    candidates = [fs.tested_candidate(base_url, mail_sink, admin, activity_id, session["id"],
                                      right, name) for name, right in CANDIDATES]
    ids = {name: c.application["id"] for (name, _), c in zip(CANDIDATES, candidates,
                                                              strict=True)}
    page = signed_in_page(desk, base_url, admin)

    def shot(label: str):
        """A screenshot of the state, checked by axe-core first. Nothing stays focused: a
        full-page screenshot taken with an input focused makes Chromium jump the scroll at the
        next click, and the click misses its button."""
        assert_accessible(page, label)
        page.evaluate("document.activeElement && document.activeElement.blur()")
        shots(page, label)

    # The question bank: 40 questions in three categories.
    page.goto(base_url + f"/#/admin/ujian?kegiatan={activity_id}")
    page.locator('#bank-total[data-total="40"]').wait_for()
    categories = page.locator("#bank-categories").text_content()
    assert "numerik" in categories and "verbal" in categories and "wawasan" in categories
    shot("bank-soal")

    # A sheet with two bad rows is refused whole, each bad row named by its number.
    bad = sheet([["Berapa 1 + 1?", "1", "2", "3", "4", None, "B", "numerik"],
                 ["Berapa 2 + 2?", "3", "4", "5", None, None, "B", "numerik"],
                 ["Ibu kota Jawa Timur?", "Surabaya", "Malang", "Kediri", "Blitar", None, "Z",
                  "wawasan"]])
    page.locator("#f-sheet").set_input_files({"name": "soal.xlsx", "mimeType": XLSX,
                                              "buffer": bad})
    page.get_by_role("button", name="Unggah lembar soal").click()
    errors = page.locator("#sheet-errors")
    errors.wait_for()
    assert "Baris 3" in errors.text_content() and "Baris 4" in errors.text_content()
    assert "Baris 2" not in errors.text_content()
    assert "Jawaban 'Z' bukan huruf A–E" in errors.text_content()
    page.get_by_text("Lembar soal ditolak: tidak ada soal yang diimpor").wait_for()
    assert question_total(admin, activity_id) == 40
    shot("lembar-ditolak")

    good = sheet([["Berapa 1 + 1?", "1", "2", "3", "4", None, "B", "numerik"],
                  ["Ibu kota Jawa Timur?", "Surabaya", "Malang", "Kediri", "Blitar", "Madiun",
                   "A", "wawasan"]])
    page.locator("#f-sheet").set_input_files({"name": "soal.xlsx", "mimeType": XLSX,
                                              "buffer": good})
    page.get_by_role("button", name="Unggah lembar soal").click()
    page.get_by_text("2 soal diimpor").wait_for()
    page.locator('#bank-total[data-total="42"]').wait_for()
    assert page.locator("#sheet-errors").count() == 0
    assert question_total(admin, activity_id) == 42
    shot("lembar-diterima")

    # One question by the form: three options are refused next to the options, four taken.
    form = page.locator("#question-form")
    form.locator("#f-q_text").fill("Lanjutkan deret 2, 4, 8, ...")
    for letter, option in zip("ABC", ("10", "12", "16"), strict=True):
        form.locator(f"#f-q_option_{letter}").fill(option)
    form.get_by_role("button", name="Tambah soal").click()
    form.locator('[data-error-for="items.0.options"]').get_by_text("4–5").wait_for()
    form.locator("#f-q_option_D").fill("32")
    form.locator("#f-q_answer").select_option(label="Opsi C")
    form.locator("#f-q_category").fill("logika")
    form.get_by_role("button", name="Tambah soal").click()
    form.get_by_text("Soal ditambahkan").wait_for()
    page.locator('#bank-total[data-total="43"]').wait_for()
    assert "logika" in page.locator("#bank-categories").text_content()
    added = admin.get(f"/api/v1/activities/{activity_id}/questions?per_page=200").json()
    assert [(q["options"], q["answer_index"]) for q in added["items"]
            if q["category"] == "logika"] == [(["10", "12", "16", "32"], 2)]

    # The schedule helper: 2 days x 3 two-hour slots from 07:00 WIB, previewed, then made.
    page.locator('#session-count[data-count="1"]').wait_for()
    tomorrow = (datetime.now(UTC) + timedelta(hours=7)).date() + timedelta(days=1)
    page.locator("#f-first_day").fill(tomorrow.isoformat())
    page.locator("#f-days").fill("2")
    page.locator("#f-slots_per_day").fill("3")
    page.locator("#f-first_slot_starts").fill("07:00")
    page.locator("#f-slot_minutes").fill("120")
    page.locator("#f-sch_capacity").fill("10")
    page.locator('#schedule-summary[data-count="6"]').wait_for()
    preview = page.locator("#schedule-table").text_content()
    assert "07.00–09.00" in preview and "11.00–13.00" in preview
    assert "13.00" not in preview.replace("11.00–13.00", "")
    shot("jadwal-pratinjau")
    page.get_by_role("button", name="Buat 6 sesi").click()
    page.get_by_text("6 sesi dibuat").wait_for()
    page.locator('#session-count[data-count="7"]').wait_for()
    sessions = admin.get(f"/api/v1/activities/{activity_id}/test-sessions").json()["items"]
    made = sorted(s["starts_at"] for s in sessions if s["id"] != session["id"])
    assert len(made) == 6 and all(s["capacity"] == 10 for s in sessions if s["id"] !=
                                  session["id"])
    first = datetime.fromisoformat(made[0])
    assert first == datetime(tomorrow.year, tomorrow.month, tomorrow.day, 0, tzinfo=UTC)
    assert "07.00 WIB" in page.locator("#sessions").text_content()
    shot("sesi")

    # One session by the form, its times typed on the satker's clock (WIB).
    page.locator("#f-starts_at").fill(f"{tomorrow.isoformat()}T15:00")
    page.locator("#f-ends_at").fill(f"{tomorrow.isoformat()}T16:30")
    page.locator("#f-capacity").fill("5")
    page.get_by_role("button", name="Buat sesi", exact=True).click()
    page.get_by_text("Sesi dibuat.", exact=True).wait_for()
    page.locator('#session-count[data-count="8"]').wait_for()
    sessions = admin.get(f"/api/v1/activities/{activity_id}/test-sessions").json()["items"]
    one = [s for s in sessions if s["capacity"] == 5]
    assert len(one) == 1
    assert datetime.fromisoformat(one[0]["starts_at"]) == datetime(
        tomorrow.year, tomorrow.month, tomorrow.day, 8, tzinfo=UTC)
    assert datetime.fromisoformat(one[0]["ends_at"]) == datetime(
        tomorrow.year, tomorrow.month, tomorrow.day, 9, 30, tzinfo=UTC)

    # The item analysis over the three finished attempts.
    page.get_by_role("button", name="Tampilkan analisis butir").click()
    page.get_by_text("3 peserta selesai").wait_for()
    analysis = page.locator("#analysis-table")
    assert analysis.locator("tbody tr").count() > 0
    assert "Kesukaran" in analysis.text_content() and "Daya beda" in analysis.text_content()
    shot("analisis-butir")

    # The final criteria, set in the form.
    page.goto(base_url + f"/#/admin/seleksi-akhir?kegiatan={activity_id}")
    page.get_by_text("Kriteria belum ditetapkan").wait_for()
    page.locator("#f-positions").fill("2")
    page.locator("#f-w_test_score").fill("1")
    page.locator("#f-min_test_score").fill("50")
    page.locator("#f-disclose_scores").check()
    shot("kriteria")
    page.get_by_role("button", name="Simpan kriteria").click()
    page.get_by_text("Kriteria tersimpan").wait_for()
    criteria = admin.get(f"/api/v1/activities/{activity_id}/final-criteria").json()
    assert criteria["positions"] == 2 and criteria["min_test_score"] == 50
    assert criteria["disclose_scores"] is True and criteria["weights"]["test_score"] == 1

    # The ranking with every component; the one under the minimum listed apart.
    ranked = page.locator("#ranking tbody tr")
    below = page.locator("#below-minimum tbody tr")

    def complete_ranking():  # the test results reach selection by event
        if ranked.count() == 2 and below.count() == 1:
            return True
        page.get_by_role("button", name="Muat ulang peringkat").click()
        page.locator("#ranking-refresh").wait_for()
        return False
    wait_until(complete_ranking, timeout=60, message="the ranking in the page")
    headers = page.locator("#ranking thead").text_content()
    for label in ("Nilai tes", "Syarat diutamakan", "Pengalaman BPS", "Pendidikan", "Domisili",
                  "Wawancara", "Kinerja sebelumnya", "Total"):
        assert label in headers
    assert "Ahmad Fauzi" in ranked.nth(0).text_content()
    assert "90,00" in ranked.nth(0).text_content()
    assert ranked.nth(0).locator("th").text_content() == "1"
    assert "Budi Santoso" in ranked.nth(1).text_content()
    assert "Dewi Anggraini" in below.nth(0).text_content()
    assert "40,00" in below.nth(0).text_content()
    assert "Formasi 2 · diterima 0 · sisa 2" in page.locator("#positions-state").text_content()

    # An interview score, entered in the row (none entered is empty, not a 0).
    assert page.locator(f"#iv-{ids['Budi Santoso']}").input_value() == ""
    page.locator(f"#iv-{ids['Budi Santoso']}").fill("75")
    page.get_by_role("button", name="Simpan nilai wawancara Budi Santoso").click()
    page.get_by_text("Nilai wawancara Budi Santoso tersimpan").wait_for()
    assert page.locator(f"#iv-{ids['Budi Santoso']}").input_value() == "75"
    shot("peringkat")

    # Accept the top 2: the confirmation says it is final and how many positions are left.
    page.locator("#f-top_count").fill("2")
    page.get_by_role("button", name="Terima kandidat teratas…").click()
    dialog = page.get_by_role("alertdialog")
    assert "final" in dialog.text_content()
    assert "Sisa formasi: 2 dari 2; setelah ini tersisa 0" in dialog.text_content()
    shot("terima-teratas-konfirmasi")
    dialog.get_by_role("button", name="Ya, terima 2 kandidat").click()
    page.get_by_text("2 kandidat teratas diterima").wait_for()
    assert "Formasi 2 · diterima 2 · sisa 0" in page.locator("#positions-state").text_content()
    assert page.locator("#ranking").get_by_text("Diterima panitia").count() == 2

    # The criteria are locked from the first decision on, and the page says so.
    page.locator("#criteria-locked").wait_for()
    assert "sudah ada keputusan akhir" in page.locator("#criteria-locked").text_content()
    assert page.locator("#f-positions").is_disabled()
    assert page.get_by_role("button", name="Simpan kriteria").is_disabled()
    refused = admin.put(f"/api/v1/activities/{activity_id}/final-criteria", json={
        "positions": 3, "weights": {"test_score": 1}, "min_test_score": 0,
        "disclose_scores": False})
    assert refused.status_code == 409
    shot("diterima-kriteria-terkunci")

    # A rejection needs a reason.
    page.get_by_role("button", name="Tolak Dewi Anggraini").click()
    page.get_by_role("button", name="Ya, tolak").click()
    page.get_by_text("Tulis alasan penolakan").wait_for()
    page.locator("#f-reason").fill("Nilai tes di bawah minimum.")
    page.get_by_role("button", name="Ya, tolak").click()
    page.get_by_text("Dewi Anggraini: ditolak").wait_for()
    assert "Ditolak: Nilai tes di bawah minimum." in below.nth(0).text_content()
    decisions = admin.get(f"/api/v1/activities/{activity_id}/final-decisions").json()["items"]
    assert sorted((d["application_id"], d["decision"]) for d in decisions) == sorted([
        (ids["Ahmad Fauzi"], "accepted"), (ids["Budi Santoso"], "accepted"),
        (ids["Dewi Anggraini"], "rejected")])
    assert "Hasil belum diumumkan" in page.locator("#announce-state").text_content()
    shot("ditolak")

    # The final export, fetched with the token and saved as a file.
    with page.expect_download() as download:
        page.get_by_role("button", name="Unduh CSV").click()
    exported = download.value
    assert exported.suggested_filename.endswith(".csv")
    content = Path(exported.path()).read_text(encoding="utf-8-sig")
    assert "Ahmad Fauzi" in content and "Budi Santoso" in content

    # The same pages on a phone: nothing wider than the screen but the tables, which scroll
    # inside their own frame.
    with browser.watched_context(chromium, browser.PHONE) as phone:
        small = signed_in_page(phone, base_url, admin)
        for hash_, ready, label in (
                (f"#/admin/seleksi-akhir?kegiatan={activity_id}", "#ranking", "ponsel-seleksi"),
                (f"#/admin/ujian?kegiatan={activity_id}", '#session-count[data-count="8"]',
                 "ponsel-ujian")):
            small.goto(base_url + "/" + hash_)
            small.locator(ready).wait_for()
            assert small.evaluate("document.documentElement.scrollWidth <= innerWidth")
            assert_accessible(small, label)
            shots(small, label)
