"""Issue 11, finding 1, end to end: failed sign-ins lock the account (429 with Retry-After,
the right password included, and no password is hashed while locked); the owner gets the
unlock mail over SMTP and lifts the lock with its token, once."""
from __future__ import annotations

import re

import requests

from services.gateway import limits
from tests.support import api


def test_failed_sign_ins_lock_the_account_until_the_owner_lifts_it(base_url, mail_sink):
    candidate = api.registered_candidate(base_url, mail_sink)
    sign_in = base_url + "/api/v1/auth/token"
    wrong = {"email": candidate.email, "password": "bukan-kata-sandinya"}
    right = {"email": candidate.email, "password": "kata-sandi-rahasia"}
    for _ in range(limits.LOCK_AFTER):
        assert requests.post(sign_in, json=wrong).status_code == 401
    locked = requests.post(sign_in, json=right)
    assert locked.status_code == 429, locked.text
    assert int(locked.headers["Retry-After"]) >= 1
    assert locked.headers["Content-Type"] == "application/problem+json"
    # Another account is not locked.
    other = api.registered_candidate(base_url, mail_sink)
    assert requests.post(sign_in, json={"email": other.email,
                                        "password": "kata-sandi-rahasia"}).status_code == 200

    mail = mail_sink.wait_for(candidate.email, "Percobaan masuk").get_content()
    token = re.search(r"Token buka kunci: (\S+)", mail).group(1)
    lifted = requests.post(base_url + "/api/v1/auth/unlock", json={"token": token})
    assert lifted.status_code == 200, lifted.text
    assert requests.post(sign_in, json=right).status_code == 200
    again = requests.post(base_url + "/api/v1/auth/unlock", json={"token": token})
    assert again.status_code == 400  # single use


def test_at_most_twenty_failures_then_429_for_the_window(base_url, mail_sink):
    candidate = api.registered_candidate(base_url, mail_sink)
    wrong = {"email": candidate.email, "password": "bukan-kata-sandinya"}
    answers = [requests.post(base_url + "/api/v1/auth/token", json=wrong)
               for _ in range(limits.HARD_LIMIT + 1)]
    statuses = [answer.status_code for answer in answers]
    assert statuses.count(401) <= limits.HARD_LIMIT and statuses[-1] == 429
    assert set(statuses) <= {401, 429}


def test_mail_to_one_address_is_limited(base_url):
    email = api.unique_email()
    statuses = [requests.post(base_url + "/api/v1/accounts/password-reset",
                              json={"email": email}).status_code for _ in range(7)]
    assert statuses[:5] == [202] * 5 and statuses[5:] == [429, 429]
