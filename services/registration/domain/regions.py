"""A region code described for the forms that show its names as a code is typed (the NIK's
first 6 digits, a domicile's 4): pure look-ups in the shared region data set."""
from __future__ import annotations

from services.shared.contracts import regions

PROVINCE, REGENCY, KECAMATAN = "provinsi", "kabupaten_kota", "kecamatan"


def describe_region(code: object) -> dict | None:
    """The region with this code and the regions above it, or None for an unknown or
    malformed code (2 digits: a province, 4: a kabupaten/kota, 6: a kecamatan)."""
    if not isinstance(code, str):
        return None
    if len(code) == 2 and (province := regions.province(code)):
        return {"code": code, "level": PROVINCE, "name": province.name,
                "province_code": province.code, "province_name": province.name}
    if len(code) == 4 and (regency := regions.regency(code)):
        return {"code": code, "level": REGENCY, "name": regency.name,
                "regency_code": regency.code, "regency_name": regency.name,
                "province_code": regency.province_code, "province_name": regency.province_name}
    if len(code) == 6 and (kecamatan := regions.kecamatan(code)):
        return {"code": code, "level": KECAMATAN, "name": kecamatan.name,
                "regency_code": kecamatan.regency_code, "regency_name": kecamatan.regency_name,
                "province_code": kecamatan.province_code,
                "province_name": kecamatan.province_name}
    return None
