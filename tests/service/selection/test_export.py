"""The export of an activity's applicants, as the use case builds it."""
from __future__ import annotations

import codecs
import csv
import io

import pytest
from openpyxl import load_workbook

from services.selection.domain.errors import UnknownExportFormat
from services.selection.use_cases.activities import follow_activity
from services.selection.use_cases.export import export_applications
from services.selection.use_cases.intake import record_submitted_application
from services.shared.contracts.identity import Identity
from tests.service.selection.events import activity_event, application_submitted
from tests.support.builders import profile_snapshot

ADMIN = Identity("admin-1", "admin_satker", "3528")


@pytest.fixture
def applied(uow):
    follow_activity(uow, activity_event(name="Sensus Ekonomi 2026"))
    for number, name in ((2, "Budi"), (1, "Siti Aminah")):
        record_submitted_application(uow, application_submitted(
            application_id=f"app-{number}", account_id=f"acc-{number}",
            profile=profile_snapshot(full_name=name)))
    return uow


def test_csv_lists_every_applicant_in_registration_number_order(applied):
    exported = export_applications(applied, ADMIN, "act-1", "csv")
    assert exported["content_type"] == "text/csv; charset=utf-8"
    assert exported["filename"] == "pendaftar-act-1.csv"
    text = exported["content"][len(codecs.BOM_UTF8):].decode("utf-8")
    header, *rows = csv.reader(io.StringIO(text))
    assert [(row[0], row[1]) for row in rows] == [
        ("3528-2026-app-1", "Siti Aminah"), ("3528-2026-app-2", "Budi")]
    assert rows[0][header.index("Status Administrasi")] == "Menunggu pemeriksaan"


def test_the_sheet_is_named_after_the_activity(applied):
    exported = export_applications(applied, ADMIN, "act-1", "xlsx")
    assert load_workbook(io.BytesIO(exported["content"])).active.title == "Sensus Ekonomi 2026"


@pytest.mark.parametrize("file_format", ["pdf", "", "CSV"])
def test_an_unknown_format_is_refused(applied, file_format):
    with pytest.raises(UnknownExportFormat) as caught:
        export_applications(applied, ADMIN, "act-1", file_format)
    assert caught.value.errors == {"format": ["Use csv or xlsx."]}
