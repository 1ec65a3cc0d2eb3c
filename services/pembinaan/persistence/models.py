"""Pembinaan's tables, plus the platform tables.

- ``teams`` (one per (year, unit_code): a unique constraint), their ``members`` (one ketua per
  team: a partial unique index; one membership per account and team) and the
  ``establishments`` (SK / Surat Tugas: the file's sha256 in the document storage);
- ``lokus`` of a team and, per lokus, the documentation: ``contacts`` (the 16 narahubung
  fields), ``statistical_activities`` (the inventory), ``epss_candidates``,
  ``work_plan_items`` and the realised ``activities`` with their ``activity_evidence``;
- ``requests`` from outside BPS and their ``request_history``, append-only (on PostgreSQL a
  trigger refuses UPDATE, DELETE and TRUNCATE);
- the sekretariat's ``ips_values``, ``deadlines``, ``budgets`` and ``trainings``; a team's
  ``internalisations`` (the juknis: done and documented by the second week of January).
"""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.shared.platform.database import NAMING_CONVENTION, UtcDateTime, add_platform_tables


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


platform_tables = add_platform_tables(Base.metadata)


class _Stamped:
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class TeamRecord(_Stamped, Base):
    __tablename__ = "teams"
    __table_args__ = (sa.UniqueConstraint("year", "unit_code", name="uq_teams_year_unit_code"),
                      sa.CheckConstraint("level IN ('direktorat', 'provinsi', 'kabkot')",
                                         name="level"))

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    year: Mapped[int] = mapped_column(sa.Integer, index=True)
    level: Mapped[str] = mapped_column(sa.String(12))
    unit_code: Mapped[str] = mapped_column(sa.String(20))
    name: Mapped[str] = mapped_column(sa.String(200))


class MemberRecord(_Stamped, Base):
    __tablename__ = "members"
    __table_args__ = (
        sa.UniqueConstraint("team_id", "account_id", name="uq_members_team_id_account_id"),
        # One ketua pelaksana per team.
        sa.Index("uq_members_one_ketua", "team_id", unique=True,
                 postgresql_where=sa.text("position = 'ketua'"),
                 sqlite_where=sa.text("position = 'ketua'")),
        sa.CheckConstraint("position IN ('ketua', 'koordinator', 'anggota')", name="position"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    team_id: Mapped[str] = mapped_column(sa.ForeignKey("teams.id"))
    account_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    position: Mapped[str] = mapped_column(sa.String(12))
    # The account's e-mail when it was added: mail on a disposition or escalation goes here.
    email: Mapped[str | None] = mapped_column(sa.String(320))


class EstablishmentRecord(_Stamped, Base):
    __tablename__ = "establishments"
    __table_args__ = (sa.CheckConstraint("kind IN ('sk', 'surat_tugas')", name="kind"),)

    team_id: Mapped[str] = mapped_column(sa.ForeignKey("teams.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(12))
    number: Mapped[str] = mapped_column(sa.String(200))
    date: Mapped[date] = mapped_column(sa.Date)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column(sa.Integer)


class LokusRecord(_Stamped, Base):
    __tablename__ = "lokus"
    __table_args__ = (sa.UniqueConstraint("team_id", "code", name="uq_lokus_team_id_code"),
                      sa.CheckConstraint("kind IN ('kl', 'pemda_provinsi', 'pemda_kabkot')",
                                         name="kind"))

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    team_id: Mapped[str] = mapped_column(sa.ForeignKey("teams.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    code: Mapped[str] = mapped_column(sa.String(50))
    name: Mapped[str] = mapped_column(sa.String(300))


class ContactsRecord(_Stamped, Base):
    """The 16 narahubung fields of a lokus; a null field is an incomplete one."""

    __tablename__ = "contacts"

    lokus_id: Mapped[str] = mapped_column(sa.ForeignKey("lokus.id"), primary_key=True)
    team_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    pimpinan_nama: Mapped[str | None] = mapped_column(sa.String(300))
    pimpinan_jabatan: Mapped[str | None] = mapped_column(sa.String(300))
    instansi_email: Mapped[str | None] = mapped_column(sa.String(300))
    walidata_unit: Mapped[str | None] = mapped_column(sa.String(300))
    walidata_unit_email: Mapped[str | None] = mapped_column(sa.String(300))
    walidata_kepala_nama: Mapped[str | None] = mapped_column(sa.String(300))
    walidata_kepala_jabatan: Mapped[str | None] = mapped_column(sa.String(300))
    walidata_kepala_email: Mapped[str | None] = mapped_column(sa.String(300))
    epss_nama: Mapped[str | None] = mapped_column(sa.String(300))
    epss_jabatan: Mapped[str | None] = mapped_column(sa.String(300))
    epss_email: Mapped[str | None] = mapped_column(sa.String(300))
    epss_whatsapp: Mapped[str | None] = mapped_column(sa.String(300))
    walidata_narahubung_nama: Mapped[str | None] = mapped_column(sa.String(300))
    walidata_narahubung_jabatan: Mapped[str | None] = mapped_column(sa.String(300))
    walidata_narahubung_email: Mapped[str | None] = mapped_column(sa.String(300))
    walidata_narahubung_whatsapp: Mapped[str | None] = mapped_column(sa.String(300))


class _LokusRecord(_Stamped):
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    team_id: Mapped[str] = mapped_column(sa.String(36), index=True)


class StatisticalActivityRecord(_LokusRecord, Base):
    __tablename__ = "statistical_activities"
    __table_args__ = (sa.CheckConstraint("cara_pengumpulan BETWEEN 1 AND 4",
                                         name="cara_pengumpulan"),)

    lokus_id: Mapped[str] = mapped_column(sa.ForeignKey("lokus.id"), index=True)
    judul: Mapped[str] = mapped_column(sa.String(2000))
    periode: Mapped[str] = mapped_column(sa.String(12))
    tahun_terakhir: Mapped[int | None] = mapped_column(sa.Integer)
    unit_produsen: Mapped[str] = mapped_column(sa.String(2000))
    cara_pengumpulan: Mapped[int] = mapped_column(sa.Integer)
    data_utama: Mapped[str] = mapped_column(sa.String(2000))
    data_prioritas: Mapped[bool] = mapped_column(sa.Boolean)
    pemanfaatan: Mapped[str] = mapped_column(sa.String(10))


class EpssCandidateRecord(_LokusRecord, Base):
    __tablename__ = "epss_candidates"
    __table_args__ = (sa.CheckConstraint("cara_pengumpulan BETWEEN 1 AND 4",
                                         name="cara_pengumpulan"),)

    lokus_id: Mapped[str] = mapped_column(sa.ForeignKey("lokus.id"), index=True)
    nama_kegiatan: Mapped[str] = mapped_column(sa.String(2000))
    tahun: Mapped[int] = mapped_column(sa.Integer)
    cara_pengumpulan: Mapped[int] = mapped_column(sa.Integer)
    produsen_data: Mapped[str] = mapped_column(sa.String(2000))
    alasan: Mapped[str] = mapped_column(sa.String(2000))
    catatan: Mapped[str | None] = mapped_column(sa.String(2000))


class WorkPlanItemRecord(_LokusRecord, Base):
    __tablename__ = "work_plan_items"

    lokus_id: Mapped[str] = mapped_column(sa.ForeignKey("lokus.id"), index=True)
    nama_kegiatan: Mapped[str] = mapped_column(sa.String(2000))
    tanggal_rencana: Mapped[date] = mapped_column(sa.Date)
    mekanisme: Mapped[str] = mapped_column(sa.String(10))
    penyelenggara: Mapped[str] = mapped_column(sa.String(10))
    jenis: Mapped[str] = mapped_column(sa.String(12))
    output: Mapped[str | None] = mapped_column(sa.String(2000))
    catatan: Mapped[str | None] = mapped_column(sa.String(2000))


class ActivityRecord(_LokusRecord, Base):
    """A realised activity (aktivitas pembinaan)."""

    __tablename__ = "activities"
    __table_args__ = (sa.CheckConstraint("peserta >= 0", name="peserta"),
                      sa.CheckConstraint("inisiatif IN ('bps', 'non_bps')", name="inisiatif"))

    lokus_id: Mapped[str] = mapped_column(sa.ForeignKey("lokus.id"), index=True)
    tanggal: Mapped[date] = mapped_column(sa.Date)
    bentuk: Mapped[str] = mapped_column(sa.String(20))
    materi: Mapped[list] = mapped_column(sa.JSON)
    inisiatif: Mapped[str] = mapped_column(sa.String(10))
    work_plan_id: Mapped[str | None] = mapped_column(sa.ForeignKey("work_plan_items.id"),
                                                     index=True)
    peserta: Mapped[int] = mapped_column(sa.Integer)
    ringkasan: Mapped[str | None] = mapped_column(sa.String(2000))


class EvidenceRecord(Base):
    __tablename__ = "activity_evidence"

    activity_id: Mapped[str] = mapped_column(sa.ForeignKey("activities.id"), primary_key=True)
    n: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    content_type: Mapped[str] = mapped_column(sa.String(50))
    size: Mapped[int] = mapped_column(sa.Integer)
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RequestRecord(_Stamped, Base):
    __tablename__ = "requests"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    requester_kind: Mapped[str] = mapped_column(sa.String(16))
    requester_name: Mapped[str] = mapped_column(sa.String(300))
    satker_code: Mapped[str] = mapped_column(sa.String(4), index=True)
    subject: Mapped[str] = mapped_column(sa.String(2000))
    letter_number: Mapped[str] = mapped_column(sa.String(200))
    letter_date: Mapped[date] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(20), index=True)
    team_id: Mapped[str | None] = mapped_column(sa.ForeignKey("teams.id"), index=True)
    activity_id: Mapped[str | None] = mapped_column(sa.ForeignKey("activities.id"))
    created_by: Mapped[str] = mapped_column(sa.String(36))


class RequestHistoryRecord(Base):
    """Every transition of a request as it was taken: append-only."""

    __tablename__ = "request_history"

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"),
                                    primary_key=True, autoincrement=True)
    request_id: Mapped[str] = mapped_column(sa.ForeignKey("requests.id"), index=True)
    from_status: Mapped[str] = mapped_column(sa.String(20))
    to_status: Mapped[str] = mapped_column(sa.String(20))
    by: Mapped[str] = mapped_column(sa.String(36))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    note: Mapped[str | None] = mapped_column(sa.String(2000))
    team_id: Mapped[str | None] = mapped_column(sa.String(36))


class IpsRecord(_Stamped, Base):
    __tablename__ = "ips_values"
    __table_args__ = (sa.CheckConstraint("value >= 1.0 AND value <= 5.0", name="value"),)

    lokus_id: Mapped[str] = mapped_column(sa.ForeignKey("lokus.id"), primary_key=True)
    year: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    value: Mapped[float] = mapped_column(sa.Numeric(4, 2, asdecimal=False))


class DeadlineRecord(_Stamped, Base):
    __tablename__ = "deadlines"

    year: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    establishment: Mapped[date] = mapped_column(sa.Date)
    contacts: Mapped[date] = mapped_column(sa.Date)
    statistical_activities: Mapped[date] = mapped_column(sa.Date)
    epss_candidates: Mapped[date] = mapped_column(sa.Date)
    work_plan: Mapped[date] = mapped_column(sa.Date)


class BudgetRecord(_Stamped, Base):
    __tablename__ = "budgets"
    __table_args__ = (sa.CheckConstraint("fullday_meetings >= 0", name="fullday_meetings"),)

    year: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(sa.ForeignKey("teams.id"), primary_key=True)
    fullday_meetings: Mapped[int] = mapped_column(sa.Integer)


class TrainingRecord(_Stamped, Base):
    """Capacity building a pembina attended (peningkatan kapasitas tim pembina)."""

    __tablename__ = "trainings"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    account_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    date: Mapped[date] = mapped_column(sa.Date, index=True)


class InternalisationRecord(_Stamped, Base):
    """Internalisation of the training within the team, documented (the juknis: by the
    second week of January)."""

    __tablename__ = "internalisations"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    team_id: Mapped[str] = mapped_column(sa.ForeignKey("teams.id"), index=True)
    tanggal: Mapped[date] = mapped_column(sa.Date)
    ringkasan: Mapped[str | None] = mapped_column(sa.String(2000))
