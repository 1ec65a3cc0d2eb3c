"""The steps the registration service tests share: a signed-up candidate, a complete
candidate, an activity open now, selection's announcement of accepted applications. Each goes
through the use cases, as a client would."""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from services.registration.use_cases import accounts, activities, profiles
from services.shared.contracts.events import ResultsAnnouncedPayload
from services.shared.contracts.identity import Identity
from services.shared.platform.database import utcnow
from tests.support.builders import PAMEKASAN_2024, profile_fields

PASSWORD = "kata-sandi-rahasia"
ADMIN_3528 = Identity("admin-3528", "admin_satker", "3528")
ADMIN_3320 = Identity("admin-3320", "admin_satker", "3320")
SUPERADMIN = Identity("root", "superadmin")
# Enough of each format for its signature to be recognised.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def activation_token(mail: dict) -> str:
    return re.search(r"Token aktivasi: (\S+)", mail["body"]).group(1)


def candidate(uow, email: str = "siti@example.com") -> Identity:
    """A candidate who signed up and activated the account."""
    account = accounts.create_account(uow, email, PASSWORD, "Siti Aminah")
    accounts.activate_account(uow, activation_token(uow.mail[-1]))
    return Identity(account["id"], "mitra")


def complete_candidate(uow, storage, email: str = "siti@example.com",
                       **profile: Any) -> Identity:
    """A candidate with a profile, every statement made and the documents every activity
    asks for."""
    identity = candidate(uow, email)
    profiles.put_profile(uow, identity, profile_fields(**profile))
    profiles.put_document(uow, storage, identity, "photo", "image/jpeg", JPEG)
    for kind in ("ktp", "ijazah"):
        profiles.put_document(uow, storage, identity, kind, "application/pdf", PDF)
    return identity


def activity(uow, admin: Identity = ADMIN_3528, **changes: Any) -> dict:
    """An activity of the admin's satker, open now, with the Pamekasan 2024 requirements."""
    now = utcnow()
    fields: dict[str, Any] = {
        "satker_code": admin.satker_code or "3528", "name": "Rekrutmen Mitra 2026",
        "year": 2026, "registration_opens_at": now - timedelta(days=1),
        "registration_closes_at": now + timedelta(days=30),
        "announcement_at": now + timedelta(days=40), "quota": None,
        "requirements": PAMEKASAN_2024,
    }
    fields.update(changes)
    return activities.create_activity(uow, admin, **fields)


def announced(*accepted: tuple[Identity, dict], rejected_count: int = 0) -> dict:
    """The ``results_announced`` payload selection sends for the activity of the ``accepted``
    (candidate, submit_application reply) pairs, as the handler receives it (loaded)."""
    now = utcnow()
    first = accepted[0][1]
    return ResultsAnnouncedPayload().load({
        "activity_id": first["activity_id"], "satker_code": first["satker_code"],
        "year": 2026, "announcement_at": (now - timedelta(seconds=1)).isoformat(),
        "announced_at": now.isoformat(), "rejected_count": rejected_count,
        "accepted": [{"application_id": a["id"], "account_id": who.account_id,
                      "registration_number": a["registration_number"]}
                     for who, a in accepted]})
