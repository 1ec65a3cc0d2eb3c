"""The account pages in headless Chromium: a new activation mail from its own page (reached
from a failed activation and from sign-in) and activation from that mail's link; a password
changed by its owner, after which the old token is refused and the page asks to sign in
again; the superadmin's accounts and service tokens page, where an admin account is made that
then signs in. axe-core checks every page and state on the way (WCAG 2.1 A/AA, no serious or
critical violation); screenshots are saved as test artefacts (the folder is printed)."""
from __future__ import annotations

import re
import uuid

import pytest
import requests

from tests.support import api, browser
from tests.support.accessibility import assert_accessible
from tests.support.infra import wait_until

pytestmark = pytest.mark.timeout(120)


def sign_in(page, email: str, password: str, lands_on: str):
    page.get_by_role("heading", name="Masuk").wait_for()
    page.locator("#f-email").fill(email)
    page.locator("#f-password").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(re.escape(lands_on) + "$"))


def activation_mails(mail_sink, email: str) -> list:
    return [message for message in mail_sink.received
            if email in message["To"] and "Aktivasi" in message["Subject"]]


def test_a_new_activation_mail_is_asked_for_on_its_page(base_url, mail_sink, phone):
    shots = browser.Screenshots("kirim-aktivasi-" + uuid.uuid4().hex[:6])
    email, password = api.unique_email("aktivasi"), "kata-sandi-rahasia"
    created = requests.post(base_url + "/api/v1/accounts", json={
        "email": email, "password": password, "full_name": "Budi Santoso"}, timeout=30)
    assert created.status_code == 201, created.text
    wait_until(lambda: activation_mails(mail_sink, email), message="the first activation mail")
    page = phone.new_page()

    page.goto(base_url + "/#/aktivasi?token=tautan-yang-salah")
    page.get_by_text("Tautan aktivasi tidak berlaku").wait_for()
    shots(page, "aktivasi-gagal")
    assert_accessible(page, "aktivasi gagal")
    page.get_by_role("link", name="Minta e-mail aktivasi baru").click()
    page.get_by_role("heading", name="Kirim ulang e-mail aktivasi").wait_for()
    assert page.url.endswith("#/kirim-aktivasi")

    page.goto(base_url + "/#/masuk")  # reached from sign-in too
    page.locator("#f-email").fill(email)
    page.locator("#f-password").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_text("Akun belum diaktifkan").wait_for()
    assert_accessible(page, "masuk: akun belum aktif")
    page.get_by_role("link", name="Belum menerima e-mail aktivasi?").click()
    page.get_by_role("heading", name="Kirim ulang e-mail aktivasi").wait_for()
    assert_accessible(page, "kirim aktivasi")
    page.locator("#f-email").fill(email)
    page.get_by_role("button", name="Kirim e-mail aktivasi").click()
    page.get_by_text("e-mail aktivasi baru telah dikirim").wait_for()
    shots(page, "kirim-aktivasi")
    assert_accessible(page, "kirim aktivasi terkirim")

    mails = wait_until(lambda: (lambda found: found if len(found) == 2 else None)(
        activation_mails(mail_sink, email)), message="the second activation mail")
    link = re.search(r"(\S+/#/aktivasi\?token=\S+)", mails[1].get_content()).group(1)
    assert link.startswith(base_url)
    page.goto(link)
    page.get_by_text("Akun Anda aktif").wait_for()
    page.get_by_role("link", name="Masuk").last.click()
    sign_in(page, email, password, "#/status")


def test_a_changed_password_signs_every_device_out(base_url, mail_sink, chromium, phone):
    shots = browser.Screenshots("ganti-sandi-" + uuid.uuid4().hex[:6])
    candidate = api.registered_candidate(base_url, mail_sink)
    old, new = "kata-sandi-rahasia", "sandi-baru-yang-panjang"
    page = phone.new_page()
    page.goto(base_url + "/#/masuk")
    sign_in(page, candidate.email, old, "#/status")
    old_token = page.evaluate("localStorage.getItem('sobat.token')")
    other_device = chromium.new_context(**browser.PHONE)
    try:
        other = other_device.new_page()
        other.goto(base_url + "/#/masuk")
        sign_in(other, candidate.email, old, "#/status")

        page.goto(base_url + "/#/akun")  # the signed-in account, with the way to the page
        page.get_by_text(candidate.email).wait_for()
        assert_accessible(page, "akun saya")
        page.locator("#nav").get_by_role("link", name="Ganti sandi").click()
        page.get_by_role("heading", name="Ganti kata sandi").wait_for()
        assert_accessible(page, "ganti sandi")
        page.locator("#f-current_password").fill("bukan-sandi-saya")
        page.locator("#f-new_password").fill(new)
        page.get_by_role("button", name="Ganti kata sandi").click()
        page.get_by_text("Kata sandi lama salah").wait_for()
        assert page.locator("#f-current_password-error").text_content().startswith("Periksa")
        assert_accessible(page, "ganti sandi: sandi lama salah")
        page.locator("#f-current_password").fill(old)
        page.locator("#f-new_password").fill("pendek")
        page.get_by_role("button", name="Ganti kata sandi").click()
        page.get_by_text("Paling sedikit 8 karakter").wait_for()
        assert page.locator("#f-current_password-error").text_content() == ""
        shots(page, "ganti-sandi-ditolak")
        assert_accessible(page, "ganti sandi: sandi baru terlalu pendek")

        page.locator("#f-new_password").fill(new)
        page.get_by_role("button", name="Ganti kata sandi").click()
        page.wait_for_url(re.compile(r"#/masuk\?sandi=diganti$"))
        page.get_by_text("Kata sandi diganti. Silakan masuk lagi").wait_for()
        shots(page, "masuk-lagi")
        assert_accessible(page, "masuk setelah ganti sandi")
        assert page.evaluate("localStorage.getItem('sobat.token')") is None
        wait_until(lambda: requests.get(
            base_url + "/api/v1/me", timeout=30,
            headers={"Authorization": f"Bearer {old_token}"}).status_code == 401,
            message="the old token refused")

        other.locator("#nav").get_by_role("link", name="Profil").click()  # the old token
        other.wait_for_url(re.compile(r"#/masuk$"))
        other.get_by_role("heading", name="Masuk").wait_for()
        assert other.evaluate("localStorage.getItem('sobat.token')") is None

        sign_in(page, candidate.email, new, "#/status")
    finally:
        other_device.close()


def test_the_superadmin_makes_an_admin_account_and_a_service_token(base_url, desk):
    shots = browser.Screenshots("admin-akun-" + uuid.uuid4().hex[:6])
    email, password = api.unique_email("admin3528"), "admin-password-1"
    page = desk.new_page()
    page.goto(base_url + "/#/masuk")
    sign_in(page, "root@bps.go.id", "superadmin-secret", "#/admin/akun")
    page.get_by_role("heading", name="Akun dan token layanan").wait_for()
    page.locator("#service-tokens").get_by_text(re.compile(r"token layanan", re.I)).first.wait_for()
    assert_accessible(page, "admin akun")

    made = page.locator("#buat-akun")
    made.get_by_role("button", name="Buat akun").click()  # empty: refused field by field
    made.locator("#f-email-error").get_by_text("Periksa isian ini").wait_for()
    assert_accessible(page, "admin akun: isian kosong")
    made.locator("#f-email").fill(email)
    made.locator("#f-full_name").fill("Admin Sampang")
    made.locator("#f-password").fill(password)
    made.locator("#f-role").select_option("admin_satker")
    made.locator("#f-satker_code").fill("3528")
    made.get_by_role("button", name="Buat akun").click()
    made.get_by_text(f"Akun {email} (Admin satker, satker 3528) dibuat").wait_for()
    shots(page, "akun-dibuat")
    assert_accessible(page, "admin akun: akun dibuat")
    made.locator("#f-email").fill(email)  # the same address again
    made.locator("#f-full_name").fill("Admin Lain")
    made.locator("#f-password").fill(password)
    made.locator("#f-satker_code").fill("3528")
    made.get_by_role("button", name="Buat akun").click()
    made.get_by_text("sudah dipakai akun lain").wait_for()

    name = f"Sistem Mitra {uuid.uuid4().hex[:6]}"
    tokens = page.locator("#token-layanan")
    tokens.locator("#f-name").fill(name)
    tokens.locator("#f-token_satker_code").fill("3528")
    tokens.get_by_role("button", name="Buat token").click()
    shown = tokens.locator("#token-once")
    shown.wait_for()
    secret = shown.input_value()
    assert len(secret) > 20
    row = tokens.get_by_role("row", name=re.compile(name))
    row.wait_for()
    shots(page, "token-dibuat")
    assert_accessible(page, "admin akun: token dibuat")
    root = api.superadmin(base_url)
    listed = root.get("/api/v1/admin/service-tokens").json()["items"]
    assert name in [item["name"] for item in listed]
    assert secret not in str(listed)

    page.reload()  # shown once: not on the page again
    row.wait_for()
    assert tokens.locator("#token-once").count() == 0 and secret not in page.content()
    row.get_by_role("button", name=f"Hapus token {name}").click()
    row.get_by_role("button", name=f"Ya, hapus token {name}").wait_for()
    assert_accessible(page, "admin akun: konfirmasi hapus token")
    row.get_by_role("button", name=f"Ya, hapus token {name}").click()
    row.wait_for(state="detached")
    listed = root.get("/api/v1/admin/service-tokens").json()["items"]
    assert name not in [item["name"] for item in listed]

    page.locator("#nav").get_by_role("link", name="Keluar").click()
    sign_in(page, email, password, "#/admin/kegiatan")
    shots(page, "admin-masuk")
