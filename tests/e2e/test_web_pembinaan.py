"""The pembina's and the sekretariat's web pages in headless Chromium on a desk screen,
against the running system: a pembina enters a work plan and sees the check's problems next
to the offending items, fixes them, records an activity linked to the plan and uploads an
evidence PDF, uploads the team's SK, enters the narahubung (invalid e-mail and WhatsApp refused
next to their fields), the inventory and an EPSS candidate; the sekretariat opens the
monitoring dashboard (a table row and an SVG chart per team) and downloads the XLSX; a request
from outside BPS goes submitted -> documented through the buttons of its flow, a step not the
caller's (403) and a step from a stale tab (409) explained; the sekretariat sets up a team
(members, one ketua, lokus, budget, IPS) and uses the budget calculators. Where the UI is not
what is tested, teams, members and lokus are seeded through the API; every page visited passes
axe-core (tests/support/accessibility.py); screenshots are saved as test artefacts."""
from __future__ import annotations

import io
import re
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.support import browser
from tests.support import pembinaan as p
from tests.support.accessibility import assert_accessible
from tests.support.pembinaan import P, created

pytestmark = pytest.mark.timeout(240)
PASSWORD = "pembina-password-1"  # what tests.support.pembinaan.account signs up with
# Years no other test uses (one team per unit and year; the monitoring test's teams alone in
# theirs, so that its charts can be counted against them).
PLAN_YEAR = 2090
MONITORING_YEAR = 2091
REQUEST_YEAR = 2092
SETUP_YEAR = 2093


@pytest.fixture(scope="module")
def sekretariat(base_url):
    return p.account(base_url, "sekretariat")


def sign_in(page, base_url: str, email: str):
    page.goto(base_url + "/#/masuk")
    page.locator("#f-email").fill(email)
    page.locator("#f-password").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"#/pembinaan$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Tim (saya|pembina)$"))


def add_plan_item(page, name: str, on: date, penyelenggara: str = "BPS"):
    form = page.locator("#plan-add")
    form.get_by_label("Nama kegiatan").fill(name)
    form.get_by_label("Tanggal rencana").fill(on.isoformat())
    form.get_by_label("Penyelenggara").select_option(label=penyelenggara)
    form.get_by_label("Output yang diharapkan").fill("Notulen")
    form.get_by_role("button", name="Tambah ke rencana").click()
    expect(page.locator("#plan-table tbody tr", has_text=name)).to_have_count(1)


def test_a_pembina_enters_a_work_plan_sees_its_problems_and_documents_an_activity(
        base_url, sekretariat, desk):
    shots = browser.Screenshots("pembina-work-plan-" + uuid.uuid4().hex[:6])
    ketua = p.account(base_url, "pembina")
    team = p.team(sekretariat, PLAN_YEAR, "kabkot", "3528", "Tim Pembina Kabupaten Uji",
                  members=((ketua, "ketua"),))
    lokus = p.lokus(sekretariat, team["id"], "pemda_kabkot", "3528", "Pemkab Pamekasan Uji")
    today = date.today()
    page = desk.new_page()

    sign_in(page, base_url, ketua.email)
    assert_accessible(page, "tim saya")
    page.get_by_role("link", name=team["name"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(team["name"])
    assert_accessible(page, "tim")
    # The team's SK, a PDF sent as the multipart form the route takes.
    upload = page.locator("form", has=page.get_by_role("button", name="Unggah dokumen"))
    upload.get_by_label("Jenis dokumen").select_option("sk")
    upload.get_by_label("Nomor").fill("B-012/35280/KP.650/2090")
    upload.get_by_label("Tanggal").fill("2090-01-10")
    upload.get_by_label("Berkas PDF").set_input_files(
        {"name": "sk.pdf", "mimeType": "application/pdf", "buffer": p.PDF})
    upload.get_by_role("button", name="Unggah dokumen").click()
    expect(page.locator("#pb-establishment")).to_contain_text(
        "Surat Keputusan (SK) nomor B-012/35280/KP.650/2090, tanggal 10 Januari 2090")
    establishment = created(ketua.get(f"{P}/teams/{team['id']}"), 200)["establishment"]
    assert (establishment["kind"], establishment["number"]) == ("sk", "B-012/35280/KP.650/2090")
    page.get_by_role("link", name=lokus["name"]).click()
    page.get_by_role("link", name="Rencana kerja dan pemeriksaannya").wait_for()
    assert_accessible(page, "lokus")
    page.get_by_role("link", name="Rencana kerja dan pemeriksaannya").click()
    check = page.locator("#plan-check")
    expect(check.locator("[data-code=too_few_items]")).to_contain_text("baru berisi 0 kegiatan")
    shots(page, "rencana-kosong")

    add_plan_item(page, "Rapat identifikasi yang terlewat", today - timedelta(days=10))
    for n, days in enumerate((20, 40, 60), start=1):
        add_plan_item(page, f"Asistensi ke-{n}", today + timedelta(days=days))
    # The check's problems next to the items: the plan as a whole (4 of at least 5) above the
    # table, the overdue item in its own row, the others "Sesuai".
    expect(check.locator("[data-code=too_few_items]")).to_contain_text(
        "baru berisi 4 kegiatan; minimal 5")
    overdue = page.locator("#plan-table tbody tr", has_text="Rapat identifikasi yang terlewat")
    expect(overdue.locator("[data-code=overdue_unrealised]")).to_contain_text(
        "Tanggal rencana sudah lewat")
    expect(page.locator("#plan-table [data-code]")).to_have_count(1)
    expect(page.locator("#plan-table tbody tr", has_text="Sesuai")).to_have_count(3)
    shots(page, "rencana-dengan-masalah")
    assert_accessible(page, "rencana kerja")
    api_check = created(ketua.get(f"{P}/lokus/{lokus['id']}/work-plan/check"), 200)
    assert sorted(problem["code"] for problem in api_check["problems"]) == [
        "overdue_unrealised", "too_few_items"]

    # Fix the overdue item: a new date (PATCH); its problem goes, the plan's stays.
    page.get_by_role("button", name="Ubah Rapat identifikasi yang terlewat").click()
    edit = page.locator("#plan-edit")
    edit.get_by_label("Tanggal rencana").fill((today + timedelta(days=5)).isoformat())
    edit.get_by_role("button", name="Simpan perubahan").click()
    expect(page.locator("[data-code=overdue_unrealised]")).to_have_count(0)
    expect(check.locator("[data-code=too_few_items]")).to_have_count(1)
    shots(page, "rencana-diperbaiki")
    add_plan_item(page, "Evaluasi akhir tahun", today + timedelta(days=80), "Non-BPS")
    expect(check).to_contain_text("Rencana kerja memenuhi ketentuan juknis")
    expect(page.locator("#plan-check [data-code]")).to_have_count(0)
    assert created(ketua.get(f"{P}/lokus/{lokus['id']}/work-plan/check"), 200)["ok"] is True
    shots(page, "rencana-lengkap")

    # An activity linked to a plan item, then its evidence PDF.
    page.get_by_role("link", name=lokus["name"]).click()
    page.get_by_role("link", name="Aktivitas pembinaan dan bukti").click()
    form = page.locator("#activity-add")
    form.get_by_label("Tanggal").fill(today.isoformat())
    form.get_by_label("Bentuk kegiatan").select_option(label="Asistensi")
    form.get_by_label("Kualitas data").check()
    form.get_by_label("Satu Data Indonesia").check()
    planned = form.locator("option", has_text="Asistensi ke-1").get_attribute("value")
    form.get_by_label("Kegiatan rencana kerja").select_option(planned)
    form.get_by_label("Jumlah peserta").fill("18")
    form.get_by_label("Ringkasan").fill("Asistensi penyusunan metadata")
    form.get_by_role("button", name="Simpan aktivitas").click()
    card = page.locator("#activities .pb-activity")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Kualitas data")
    expect(card).to_contain_text("Satu Data Indonesia")
    expect(card).to_contain_text("Asistensi ke-1")
    card.get_by_label(re.compile("Unggah bukti ke-1")).set_input_files(
        {"name": "daftar-hadir.pdf", "mimeType": "application/pdf", "buffer": p.PDF})
    expect(card.locator(".pb-evidence li")).to_contain_text("Bukti 1: PDF")
    expect(card.get_by_label(re.compile("Unggah bukti ke-2"))).to_be_attached()
    shots(page, "aktivitas-dengan-bukti")
    assert_accessible(page, "aktivitas")

    activities = created(ketua.get(f"{P}/lokus/{lokus['id']}/activities"), 200)["items"]
    assert len(activities) == 1
    activity = activities[0]
    plan = created(ketua.get(f"{P}/lokus/{lokus['id']}/work-plan"), 200)["items"]
    assert activity["work_plan_id"] == next(item["id"] for item in plan
                                            if item["nama_kegiatan"] == "Asistensi ke-1")
    assert (activity["bentuk"], activity["peserta"], sorted(activity["materi"])) == (
        "asistensi", 18, ["kualitas_data", "satu_data_indonesia"])
    assert [(e["n"], e["content_type"]) for e in activity["evidence"]] == [
        (1, "application/pdf")]


def test_a_pembina_enters_contacts_inventory_and_epss_candidates(base_url, sekretariat, desk):
    shots = browser.Screenshots("pembina-catatan-" + uuid.uuid4().hex[:6])
    ketua = p.account(base_url, "pembina")
    team = p.team(sekretariat, PLAN_YEAR, "kabkot", "3529", "Tim Pembina Kabupaten Catatan",
                  members=((ketua, "ketua"),))
    lokus = p.lokus(sekretariat, team["id"], "pemda_kabkot", "3529", "Pemkab Sumenep Uji")
    page = desk.new_page()
    sign_in(page, base_url, ketua.email)
    page.get_by_role("link", name=team["name"]).click()

    # The narahubung: an invalid e-mail and WhatsApp number refused next to their fields.
    page.get_by_role("link", name=lokus["name"]).click()
    page.get_by_role("link", name="Informasi narahubung").click()
    contacts = page.locator("#contacts-form")
    error_of = lambda label: contacts.locator(  # noqa: E731
        ".field", has=page.get_by_label(label, exact=True)).locator(".error")
    contacts.get_by_label("Nama pimpinan", exact=True).fill("Drs. Bupati")
    contacts.get_by_label("E-mail instansi", exact=True).fill("setda-pamekasan")
    contacts.get_by_label("WhatsApp narahubung EPSS", exact=True).fill("12345")
    contacts.get_by_role("button", name="Simpan narahubung").click()
    expect(error_of("E-mail instansi")).to_contain_text("alamat e-mail tidak valid")
    expect(error_of("WhatsApp narahubung EPSS")).to_contain_text("nomor ponsel Indonesia")
    expect(error_of("Nama pimpinan")).to_have_text("")
    shots(page, "narahubung-salah")
    assert_accessible(page, "narahubung")
    contacts.get_by_label("E-mail instansi", exact=True).fill("setda@pamekasankab.go.id")
    contacts.get_by_label("WhatsApp narahubung EPSS", exact=True).fill("0812-3456-7890")
    contacts.get_by_role("button", name="Simpan narahubung").click()
    expect(contacts.locator(".msg")).to_have_text("Narahubung tersimpan (3 dari 16 isian terisi).")
    expect(error_of("E-mail instansi")).to_have_text("")
    kept = created(ketua.get(f"{P}/lokus/{lokus['id']}/contacts"), 200)
    assert (kept["instansi_email"], kept["pimpinan_nama"]) == (
        "setda@pamekasankab.go.id", "Drs. Bupati")
    assert kept["epss_whatsapp"].startswith("628") and kept["walidata_unit"] is None

    # The inventory of kegiatan statistik and an EPSS candidate.
    page.get_by_role("link", name=lokus["name"]).click()
    page.get_by_role("link", name="Inventaris kegiatan statistik").click()
    inventory_form = page.locator("#inventory-add")
    inventory_form.get_by_label("Judul kegiatan").fill("Kompilasi Data Kepegawaian")
    inventory_form.get_by_label("Unit produsen").fill("BKPSDM")
    inventory_form.get_by_label("Cara pengumpulan data").select_option("3")
    inventory_form.get_by_label("Data/indikator utama").fill("Jumlah ASN")
    inventory_form.get_by_label("Data prioritas").select_option("true")
    inventory_form.get_by_role("button", name="Tambah").click()
    expect(page.locator("table tbody tr", has_text="Kompilasi Data Kepegawaian")).to_contain_text(
        "3 Kompilasi produk administrasi")
    page.get_by_role("button", name="Ubah Kompilasi Data Kepegawaian").click()
    page.locator("#inventory-edit").get_by_label("Pemanfaatan").select_option("terbuka")
    page.locator("#inventory-edit").get_by_role("button", name="Simpan perubahan").click()
    expect(page.locator("table tbody tr", has_text="Kompilasi Data Kepegawaian")).to_contain_text(
        "Terbuka")
    assert_accessible(page, "inventaris")
    page.get_by_role("link", name=lokus["name"]).click()
    page.get_by_role("link", name="Kandidat kegiatan EPSS").click()
    page.get_by_label("Nama kegiatan").fill("Survei Kepuasan Masyarakat")
    page.get_by_label("Produsen data").fill("Bagian Organisasi")
    page.get_by_label("Alasan pemilihan").fill("Data prioritas daerah")
    page.get_by_role("button", name="Tambah").click()
    expect(page.locator("table tbody tr", has_text="Survei Kepuasan Masyarakat")).to_contain_text(
        "Bagian Organisasi")
    assert_accessible(page, "kandidat EPSS")
    inventory = created(ketua.get(f"{P}/lokus/{lokus['id']}/statistical-activities"), 200)
    assert [(i["cara_pengumpulan"], i["data_prioritas"], i["pemanfaatan"])
            for i in inventory["items"]] == [(3, True, "terbuka")]


def test_the_sekretariat_sees_a_chart_per_team_and_downloads_the_xlsx(
        base_url, sekretariat, desk):
    shots = browser.Screenshots("sekretariat-monitoring-" + uuid.uuid4().hex[:6])
    codes = ("3528", "3529", "3571")
    members = [p.account(base_url, "pembina") for _ in codes]
    teams = []
    for n, (member, code) in enumerate(zip(members, codes, strict=True), start=1):
        team = p.team(sekretariat, MONITORING_YEAR, "kabkot", code, f"Tim Monitoring {n}",
                      members=((member, "ketua"),))
        lokus = p.lokus(sekretariat, team["id"], "pemda_kabkot", code,
                        f"Pemkab Monitoring {n}")
        teams.append(team)
        if n == 1:  # one team with contacts, a plan item, its IPS and a trained member
            created(member.put(f"{P}/lokus/{lokus['id']}/contacts", json=p.contacts()), 200)
            created(member.post(f"{P}/lokus/{lokus['id']}/work-plan", json=p.plan_item(
                date(MONITORING_YEAR, 3, 1))))
            created(sekretariat.put(f"{P}/ips/{lokus['id']}/{MONITORING_YEAR}",
                                    json={"value": 4.3}), 200)
            created(sekretariat.post(f"{P}/trainings", json={
                "account_id": member.account_id, "title": "Pelatihan Pembina",
                "date": f"{MONITORING_YEAR}-01-05"}))
    page = desk.new_page()

    sign_in(page, base_url, sekretariat.email)
    page.locator("#nav").get_by_role("link", name="Monitoring").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Monitoring pembinaan")
    page.get_by_label("Tahun").fill(str(MONITORING_YEAR))
    page.get_by_label("Semester").select_option("1")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Monitoring pembinaan {MONITORING_YEAR} semester 1")

    # One table row and one chart per team, each chart read out by its title.
    ids = {team["id"] for team in teams}
    expect(page.locator("#monitoring-table tbody tr")).to_have_count(len(teams))
    charts = page.locator("#monitoring-charts svg.pb-chart")
    expect(charts).to_have_count(len(teams))
    assert {charts.nth(i).get_attribute("data-team") for i in range(len(teams))} == ids
    first = page.locator(f"svg.pb-chart[data-team='{teams[0]['id']}']")
    assert first.get_attribute("role") == "img"
    title = first.locator("title").text_content()
    assert "Tim Monitoring 1" in title and "Kelengkapan narahubung 88%" in title
    assert "Anggota terlatih 1 dari 1" in title and "Rata-rata IPS lokus 4,30 dari 5" in title
    assert first.locator("rect.pb-chart-bar").count() == 5
    row = page.locator(f"#monitoring-table tr[data-team='{teams[0]['id']}']")
    expect(row).to_contain_text("Pemkab Monitoring 1: 4,30 (Memuaskan)")
    expect(row.locator("[data-status=missing]").first).to_have_text("Belum ada")
    shots(page, "monitoring")
    assert_accessible(page, "monitoring")

    with page.expect_download() as waiting:
        page.get_by_role("button", name="Unduh XLSX").click()
    download = waiting.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    assert "Monitoring" in workbook.sheetnames
    cells = {str(cell.value) for sheet in workbook for row in sheet.iter_rows()
             for cell in row if cell.value is not None}
    assert {team["name"] for team in teams} <= cells
    expect(page.get_by_text("Berkas XLSX diunduh.")).to_be_visible()
    shots(page, "monitoring-unduh")


def take_step(page, step: str, **choices):
    form = page.locator(f"form[data-step={step}]")
    for label, value in choices.items():
        form.get_by_label(label).select_option(value)
    form.get_by_label("Catatan").fill(f"catatan {step}")
    form.get_by_role("button").click()


def test_a_request_moves_through_its_flow_and_refusals_are_explained(
        base_url, sekretariat, desk):
    shots = browser.Screenshots("permintaan-" + uuid.uuid4().hex[:6])
    member = p.account(base_url, "pembina")
    team = p.team(sekretariat, REQUEST_YEAR, "kabkot", "3528", "Tim Pembina Permintaan",
                  members=((member, "ketua"),))
    provinsi = p.team(sekretariat, REQUEST_YEAR, "provinsi", "3500", "Tim Pembina Jatim Permintaan")
    lokus = p.lokus(sekretariat, team["id"], "pemda_kabkot", "3528", "Pemkab Permintaan")
    done = created(member.post(f"{P}/lokus/{lokus['id']}/activities", json=p.activity(
        date.today(), inisiatif="non_bps", bentuk="audiensi")))
    subject = f"Pendampingan Satu Data {uuid.uuid4().hex[:6]}"
    request = created(sekretariat.post(f"{P}/requests", json=p.request_body(subject=subject)))
    page = desk.new_page()
    status = page.locator("#request-status")

    # The sekretariat disposes it to the team, then cannot take the team's step (403).
    sign_in(page, base_url, sekretariat.email)
    page.locator("#nav").get_by_role("link", name="Permintaan").click()
    page.get_by_role("link", name=subject).wait_for()
    assert_accessible(page, "daftar permintaan")
    page.get_by_role("link", name=subject).click()
    expect(status).to_have_text("Diajukan")
    take_step(page, "disposed", **{"Tim tujuan": team["id"]})
    expect(status).to_have_text("Didisposisikan ke tim")
    take_step(page, "capacity_confirmed")
    expect(page.locator("form[data-step=capacity_confirmed] .msg.error")).to_contain_text(
        "bukan wewenang Anda")
    expect(status).to_have_text("Didisposisikan ke tim")
    shots(page, "sekretariat-ditolak-403")
    assert_accessible(page, "permintaan")

    # The team's member confirms; a second tab still showing "disposed" is refused (409).
    page.goto(base_url + "/#/keluar")
    sign_in(page, base_url, member.email)
    page.locator("#nav").get_by_role("link", name="Permintaan").click()
    page.get_by_role("link", name=subject).click()
    # An escalation offers the team one level up (the service says which), not an id to type.
    escalation = page.locator("form[data-step=escalated]")
    expect(escalation.get_by_label("Tim satu tingkat di atas")).to_contain_text(provinsi["name"])
    stale = desk.new_page()
    stale.goto(page.url)
    expect(stale.locator("#request-status")).to_have_text("Didisposisikan ke tim")
    take_step(page, "capacity_confirmed")
    expect(status).to_have_text("Kapasitas dikonfirmasi")
    take_step(stale, "capacity_confirmed")
    expect(stale.locator("form[data-step=capacity_confirmed] .msg.error")).to_contain_text(
        "tidak bisa dari status permintaan sekarang")
    shots(stale, "tab-lama-ditolak-409")
    stale.close()

    take_step(page, "in_progress")
    expect(status).to_have_text("Sedang berjalan")
    take_step(page, "documented", **{"Aktivitas non-BPS yang mendokumentasikan": done["id"]})
    expect(status).to_have_text("Terdokumentasi")
    expect(page.get_by_text("tidak ada langkah lagi")).to_be_visible()
    history = page.locator("#request-history tbody tr")
    expect(history).to_have_count(4)
    expect(history.nth(0)).to_contain_text("catatan disposed")
    expect(history.nth(3)).to_contain_text("Sedang berjalan")
    shots(page, "terdokumentasi")

    kept = created(member.get(f"{P}/requests/{request['id']}"), 200)
    assert (kept["status"], kept["team_id"], kept["activity_id"]) == (
        "documented", team["id"], done["id"])
    assert [(e["from"], e["to"], e["note"]) for e in kept["history"]] == [
        ("submitted", "disposed", "catatan disposed"),
        ("disposed", "capacity_confirmed", "catatan capacity_confirmed"),
        ("capacity_confirmed", "in_progress", "catatan in_progress"),
        ("in_progress", "documented", "catatan documented")]


def test_the_sekretariat_sets_up_a_team_and_uses_the_calculators(
        base_url, sekretariat, desk):
    shots = browser.Screenshots("sekretariat-tim-" + uuid.uuid4().hex[:6])
    ketua, other = p.account(base_url, "pembina"), p.account(base_url, "pembina")
    page = desk.new_page()
    sign_in(page, base_url, sekretariat.email)

    create = page.locator("form", has=page.get_by_role("button", name="Buat tim"))
    create.get_by_label("Tahun").fill(str(SETUP_YEAR))
    create.get_by_label("Tingkat").select_option("provinsi")
    create.get_by_label("Kode unit").fill("3500")
    create.get_by_label("Nama tim").fill("Tim Pembina Provinsi Jawa Timur")
    create.get_by_role("button", name="Buat tim").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tim Pembina Provinsi Jawa Timur")
    team_id = re.search(r"id=([\w-]+)", page.url).group(1)

    def submit(button: str, **values):
        form = page.locator("form", has=page.get_by_role("button", name=button))
        for label, value in values.items():
            target = form.get_by_label(label)
            if target.evaluate("el => el.tagName") == "SELECT":
                target.select_option(value)
            else:
                target.fill(value)
        form.get_by_role("button", name=button).click()
        return form.locator(".msg")

    submit("Tambah anggota", **{"ID akun": ketua.account_id, "Jabatan": "ketua"})
    expect(page.locator("table", has_text=ketua.email)).to_contain_text("Ketua")
    refused = submit("Tambah anggota", **{"ID akun": other.account_id, "Jabatan": "ketua"})
    expect(refused).to_contain_text("sudah punya ketua")
    submit("Tambah lokus", **{"Jenis lokus": "pemda_provinsi", "Kode": "35",
                              "Nama": "Pemprov Jawa Timur"})
    expect(page.get_by_role("link", name="Pemprov Jawa Timur")).to_be_visible()
    expect(submit("Simpan anggaran", **{"Fullday meeting": "2"})).to_have_text(
        "Anggaran tersimpan.")
    expect(submit("Simpan IPS", **{"Nilai IPS": "4.25"})).to_have_text(
        "IPS tersimpan: 4.25 (Memuaskan).")
    shots(page, "tim-disiapkan")
    assert_accessible(page, "tim (sekretariat)")
    members = created(sekretariat.get(f"{P}/teams/{team_id}/members"), 200)["items"]
    assert [(m["account_id"], m["position"]) for m in members] == [(ketua.account_id, "ketua")]

    # The year's reporting deadlines: none yet, set, and shown as set when the page reopens.
    page.goto(f"{base_url}/#/pembinaan/tenggat?year={SETUP_YEAR}")
    expect(page.locator("#deadlines-state")).to_have_text(
        f"Belum ada tenggat untuk tahun {SETUP_YEAR}.")
    dates = {"Dokumen penetapan tim": "01-31", "Informasi narahubung": "02-28",
             "Inventaris kegiatan statistik": "03-31", "Kandidat EPSS": "03-31",
             "Rencana kerja": "04-15"}
    expect(submit("Simpan tenggat", **{label: f"{SETUP_YEAR}-{day}" for label, day
                                       in dates.items()})).to_have_text("Tenggat tersimpan.")
    page.reload()
    expect(page.locator("#deadlines-state")).to_contain_text("terakhir diubah")
    form = page.locator("form", has=page.get_by_role("button", name="Simpan tenggat"))
    expect(form.get_by_label("Rencana kerja")).to_have_value(f"{SETUP_YEAR}-04-15")
    assert_accessible(page, "tenggat")

    page.locator("#nav").get_by_role("link", name="Anggaran").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kalkulator anggaran")
    page.get_by_label("Jumlah K/L").fill("6")
    page.get_by_role("button", name="Hitung").click()
    expect(page.locator("tr.pb-total")).to_contain_text("106")
    expect(page.locator("#transport-trips")).to_contain_text("126 perjalanan")
    shots(page, "kalkulator")
    assert_accessible(page, "kalkulator anggaran")
