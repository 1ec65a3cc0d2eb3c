"""The password policy (registration's domain): 8-128 characters, not only spaces, none of
the commonly used passwords, not the e-mail address nor the NIK."""
from __future__ import annotations

import pytest

from services.registration.domain.accounts import common_passwords, password_problems

COMMON = "This password is one of the most commonly used; choose another."


@pytest.mark.parametrize(("password", "problem"), [
    ("1234567", "Use at least 8 characters."),
    ("é" * 129, "Use at most 128 characters."),
    (" " * 8, "Use more than spaces."),
    ("\t \t \t \t ", "Use more than spaces."),
    ("12345678", COMMON), ("password", COMMON), ("PassWord", COMMON), ("iloveyou", COMMON),
    ("qwertyuiop", COMMON), (" 123456789 ", COMMON),
])
def test_refused(password, problem):
    assert password_problems(password) == [problem]


def test_not_the_email_address_nor_the_nik():
    assert password_problems(" Siti.Aminah@Example.com", "siti.aminah@example.com") == [
        "Do not use the e-mail address as the password."]
    assert password_problems("3528014708900002", "siti@example.com", "3528014708900002") == [
        "Do not use the NIK as the password."]
    assert password_problems("3528014708900002", "siti@example.com") == []


@pytest.mark.parametrize("password", [
    "kata-sandi-rahasia", "x" * 128, "Pamekasan 2026 mitra!", "ñ" * 8, "        a"])
def test_accepted(password):
    assert password_problems(password, "siti@example.com", "3528014708900002") == []


def test_the_list_is_the_maintained_one_not_a_hand_list():
    words = common_passwords()
    assert len(words) >= 20_000  # zxcvbn's ranked list of leaked passwords
    assert {"123456", "password", "12345678", "qwerty"} <= words
