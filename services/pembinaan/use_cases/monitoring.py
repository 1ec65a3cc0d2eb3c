"""Monitoring per year and semester (JSON and XLSX): for every team the caller may see
(the sekretariat: all; a member: its own), computed with set-based queries: one per kind of
record for all the teams at once, then put together per team here (domain/monitoring.py)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from services.pembinaan.adapters.monitoring_sheet import MEDIA_TYPE, write_monitoring
from services.pembinaan.domain.errors import Invalid
from services.pembinaan.domain.ips import grade
from services.pembinaan.domain.monitoring import (
    LATE,
    MISSING,
    PER_LOKUS_TYPES,
    PlanFigures,
    check_semester,
    documentation_status,
    documented_at,
    internalisation_deadline,
    semester_end,
    share,
)
from services.pembinaan.domain.records import contact_completeness
from services.pembinaan.domain.teams import check_year, too_many_kl
from services.pembinaan.use_cases import access
from services.shared.contracts.identity import Identity


def monitoring(uow, identity: Identity, year: int, semester: int) -> dict:
    check_year(year)
    check_semester(semester)
    end = semester_end(year, semester)
    last_day = end.date() - timedelta(days=1)
    scope = (year, access.visible_team_ids(uow, identity), end)
    teams = uow.monitoring.teams(*scope)
    if not teams:
        return {"year": year, "semester": semester, "items": []}
    lokus_of: dict[str, list] = defaultdict(list)
    for lokus in uow.monitoring.lokus(*scope):
        lokus_of[lokus.team_id].append(lokus)
    deadlines = uow.settings.deadlines(year) or {}
    first = {kind: uow.monitoring.first_records(kind, *scope) for kind in PER_LOKUS_TYPES}
    establishments = uow.monitoring.establishments(*scope)
    internalisations = uow.monitoring.internalisations(*scope)
    filled = uow.monitoring.filled_contacts(*scope)
    plans = uow.monitoring.plan(*scope, last_day)
    members = uow.monitoring.members(*scope, date(year, 1, 1), last_day)
    ips = uow.monitoring.ips(*scope)
    items = []
    for team in teams:
        lokus_list = lokus_of[team.id]
        lokus_ids = [lokus.id for lokus in lokus_list]
        documentation = {"establishment": documentation_status(
            establishments.get(team.id), deadlines.get("establishment"))}
        for kind in PER_LOKUS_TYPES:
            documentation[kind] = documentation_status(
                documented_at(lokus_ids, first[kind]), deadlines.get(kind))
        internalisation = documentation_status(internalisations.get(team.id),
                                               internalisation_deadline(year))
        flags = []
        if too_many_kl(team.level, sum(1 for lokus in lokus_list if lokus.kind == "kl")):
            flags.append("too_many_kl")
        if internalisation["status"] == MISSING:
            flags.append("internalisation_missing")
        elif internalisation["status"] == LATE:
            flags.append("internalisation_late")
        planned, realised = plans.get(team.id, (0, 0))
        total, trained = members.get(team.id, (0, 0))
        items.append({
            "team_id": team.id, "name": team.name, "level": team.level,
            "unit_code": team.unit_code, "documentation": documentation,
            "completeness": contact_completeness(filled.get(team.id, 0), len(lokus_list)),
            "plan": PlanFigures(planned, realised).as_dict(),
            "members_trained": trained, "members_total": total,
            "capacity_building": share(trained, total),
            "internalisation": internalisation, "flags": flags,
            "lokus": [{"id": lokus.id, "name": lokus.name, "kind": lokus.kind,
                       "ips": ips.get(lokus.id),
                       "grade": grade(ips[lokus.id]) if lokus.id in ips else None}
                      for lokus in lokus_list],
        })
    return {"year": year, "semester": semester, "items": items}


def export_monitoring(uow, identity: Identity, year: int, semester: int,
                      format: str) -> dict:
    if format != "xlsx":
        raise Invalid("format", "Use xlsx.")
    report = monitoring(uow, identity, year, semester)
    return {"filename": f"monitoring-pembinaan-{year}-s{semester}.xlsx",
            "content_type": MEDIA_TYPE,
            "content": write_monitoring(year, semester, report["items"])}
