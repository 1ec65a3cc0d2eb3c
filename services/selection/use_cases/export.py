"""The applicants of an activity, and its final selection, as a CSV or XLSX file for the
satker admin."""
from __future__ import annotations

from services.selection.adapters import spreadsheet
from services.selection.domain.errors import FinalCriteriaUnknown, UnknownExportFormat
from services.selection.use_cases import final_selection
from services.selection.use_cases.activities import activity_in_scope
from services.shared.contracts.identity import Identity
from services.shared.contracts.vocabulary import EXPORT_FORMATS


def export_applications(uow, identity: Identity, activity_id: str, file_format: str) -> dict:
    """The file (the ExportFile message): every application of the activity, in
    registration-number order, with the full NIK (the admin's own satker view)."""
    activity = activity_in_scope(uow, identity, activity_id)
    if file_format not in EXPORT_FORMATS:
        raise UnknownExportFormat()
    rows = [{
        "registration_number": a.registration_number, "full_name": a.profile.full_name,
        "nik": a.profile.nik, "sex": a.profile.sex, "age": a.age,
        "education": a.profile.education, "kecamatan_name": a.profile.kecamatan_name,
        "domicile_regency_name": a.profile.domicile_regency_name, "phone": a.profile.phone,
        "email": a.profile.email, "mandatory_failures": a.checks.mandatory_failures,
        "preferred_met": a.checks.preferred_met, "preferred_score": a.checks.preferred_score,
        "administrative_status": a.administrative_status,
        "administrative_reason": a.administrative_reason, "submitted_at": a.submitted_at,
    } for a in uow.applications.of_activity(activity_id)]
    content, content_type = spreadsheet.export(rows, file_format, activity.name)
    return {"content": content, "content_type": content_type,
            "filename": f"pendaftar-{activity_id[:8]}.{file_format}"}


def export_final(uow, identity: Identity, activity_id: str, file_format: str) -> dict:
    """The final selection as a file (the ExportFile message): rank, registration number,
    name, components, total, final status (the committee's decision) and whether the pakta
    integritas is uploaded; the ranked first, then those listed apart."""
    activity = activity_in_scope(uow, identity, activity_id)
    if file_format not in EXPORT_FORMATS:
        raise UnknownExportFormat()
    criteria = uow.final_criteria.get(activity_id)
    if criteria is None:
        raise FinalCriteriaUnknown()
    ranked = final_selection.ranking_of(uow, activity_id, criteria)
    entries = ranked.items + ranked.below_minimum
    accounts = uow.applications.accounts_of([entry.application_id for entry in entries])
    kinds = uow.candidates.document_kinds(set(accounts.values()))
    rows = [{"rank": e.rank, "registration_number": e.registration_number,
             "full_name": e.full_name, "components": e.components, "total": e.total,
             "final_status": e.final_status,
             "pakta_integritas": final_selection.PAKTA_INTEGRITAS in kinds.get(
                 accounts.get(e.application_id), set())}
            for e in entries]
    content, content_type = spreadsheet.final_export(rows, file_format, activity.name)
    return {"content": content, "content_type": content_type,
            "filename": f"seleksi-akhir-{activity_id[:8]}.{file_format}"}
