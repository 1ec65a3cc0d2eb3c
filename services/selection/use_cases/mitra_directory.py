"""The mitra roster for other satker (MitraDirectory, gRPC): for a NIK, or its SHA-256, and a
year, which satker's announced results accepted that person as mitra. The caller is another
satker's system with a service token (role ``service``) a superadmin issued and may revoke;
the rpc wrapper checks the token, this answers only with satker, activity and time, never
personal data."""
from __future__ import annotations

import re

from services.selection.domain.final_selection import nik_digest
from services.shared.contracts.errors import InvalidInput

_NIK = re.compile(r"[0-9]{16}")
_SHA256 = re.compile(r"[0-9a-f]{64}")


def find_mitra(uow, nik: str | None, nik_sha256: str | None, year: int) -> dict:
    """The roster entries of the person (by NIK, or the NIK's SHA-256 in hex) in ``year``."""
    errors: dict[str, list[str]] = {}
    if bool(nik) == bool(nik_sha256):
        errors["nik"] = ["Give either nik (16 digits) or nik_sha256, not both."]
    elif nik and not _NIK.fullmatch(nik):
        errors["nik"] = ["Must be 16 digits."]
    elif nik_sha256 and not _SHA256.fullmatch(nik_sha256):
        errors["nik_sha256"] = ["Must be the SHA-256 of the NIK in lower-case hex."]
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = ["Must be a year from 2000 to 2100."]
    if errors:
        raise InvalidInput(errors)
    digest = nik_digest(nik) if nik else nik_sha256
    return {"items": uow.applications.mitra_roster(digest, year)}
