"""Registration's use cases: each takes the unit of work's session and plain values, applies
the domain rules and writes through the models. The gRPC entrypoints translate to and from
protobuf around these; nothing here knows about transport."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.registration.adapters import mail_templates as mails, passwords
from services.registration.domain import activity as activity_rules
from services.registration.domain import documents as document_rules
from services.shared.contracts import regions
from services.registration.domain.nik import decode_nik
from services.registration.domain.profile import normalize_phone, profile_problems
from services.shared.contracts.requirements import parse_requirements
from services.registration.persistence.models import (Account, ActivationToken, Activity,
                                                      Application, Document, Profile,
                                                      platform_tables)
from services.shared.platform import config
from services.shared.contracts.events import (APPLICATION_SUBMITTED, PROFILE_UPDATED,
                                       ApplicationSubmittedPayload, ProfileUpdatedPayload)
from services.shared.platform.database import new_id, utcnow
from services.shared.contracts.errors import (Malformed, Conflict, NotPermitted, InvalidInput, NotFound,
                                    NotAuthenticated)
from services.shared.platform.outbox import record_event
from services.shared.platform.identity import ROLES, Identity, issue_token
from services.shared.platform.mail import queue_mail
from services.registration.adapters.storage import DocumentStorage

ACTIVATION_TTL = timedelta(hours=48)
PENDING, ACTIVE = "pending_activation", "active"


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def account_view(account: Account) -> dict:
    return {"id": account.id, "email": account.email, "full_name": account.full_name,
            "role": account.role, "satker_code": account.satker_code or "",
            "status": account.status}


# -- accounts ---------------------------------------------------------------------------

def _password_problems(password: str) -> list[str]:
    if len(password) < 8:
        return ["Use at least 8 characters."]
    if len(password) > 128:
        return ["Use at most 128 characters."]
    return []


def _insert_account(session: Session, email: str, password: str, full_name: str, role: str,
                    satker_code: str | None, status: str) -> Account:
    problems = {}
    if _password_problems(password):
        problems["password"] = _password_problems(password)
    if not full_name.strip():
        problems["full_name"] = ["Fill in the full name."]
    if problems:
        raise InvalidInput(problems)
    email = email.strip().lower()
    if session.scalar(sa.select(Account.id).where(Account.email == email)):
        raise Conflict("An account with this e-mail address already exists.")
    account = Account(id=new_id(), email=email, password_hash=passwords.hash_password(password),
                      full_name=full_name.strip(), role=role, satker_code=satker_code,
                      status=status, created_at=utcnow(), data_version=0,
                      activated_at=utcnow() if status == ACTIVE else None)
    session.add(account)
    try:
        session.flush()
    except IntegrityError:  # the same e-mail registered concurrently
        raise Conflict("An account with this e-mail address already exists.") from None
    return account


def create_account(session: Session, email: str, password: str, full_name: str) -> dict:
    account = _insert_account(session, email, password, full_name, "mitra", None, PENDING)
    token = secrets.token_urlsafe(32)
    session.add(ActivationToken(token_hash=_hash_token(token), account_id=account.id,
                                expires_at=utcnow() + ACTIVATION_TTL))
    subject, body = mails.activation(account.full_name, token, config.public_base_url(),
                                     ACTIVATION_TTL)
    queue_mail(session, platform_tables, account.email, subject, body)
    return account_view(account)


def activate_account(session: Session, token: str) -> dict:
    record = session.get(ActivationToken, _hash_token(token.strip()), with_for_update=True)
    if record is None or record.used_at is not None or record.expires_at <= utcnow():
        raise Malformed("The activation token is unknown, already used or expired.")
    record.used_at = utcnow()
    account = session.get(Account, record.account_id)
    account.status, account.activated_at = ACTIVE, utcnow()
    return {"status": ACTIVE}


def issue_access_token(session: Session, email: str, password: str) -> dict:
    account = session.scalar(sa.select(Account).where(Account.email == email.strip().lower()))
    # Verify against a dummy hash for unknown e-mails too: equal time, no account probing.
    if not passwords.verify_password(account.password_hash if account else None, password):
        raise NotAuthenticated("The e-mail address or password is wrong.")
    if account.status != ACTIVE:
        raise NotPermitted("Activate the account first with the token sent by e-mail.")
    token, ttl = issue_token(Identity(account.id, account.role, account.satker_code))
    return {"access_token": token, "token_type": "Bearer", "expires_in": ttl,
            "role": account.role, "satker_code": account.satker_code or ""}


def get_me(session: Session, identity: Identity) -> dict:
    account = session.get(Account, identity.account_id)
    if account is None:
        raise NotAuthenticated("This account no longer exists.")
    return account_view(account)


def create_admin_account(session: Session, email: str, password: str, full_name: str,
                         role: str, satker_code: str) -> dict:
    problems = {}
    if role not in ROLES or role == "mitra":
        problems["role"] = [f"Use one of: {', '.join(r for r in ROLES if r != 'mitra')}."]
    if satker_code and not regions.is_valid_satker_code(satker_code):
        problems["satker_code"] = ["Unknown satker code."]
    elif role == "admin_satker" and not satker_code:
        problems["satker_code"] = ["An admin_satker account needs its satker code."]
    if problems:
        raise InvalidInput(problems)
    account = _insert_account(session, email, password, full_name, role, satker_code or None,
                              ACTIVE)
    return account_view(account)


def ensure_superadmin(session: Session, email: str, password: str) -> None:
    """The first superadmin, from SUPERADMIN_EMAIL/SUPERADMIN_PASSWORD at start-up."""
    email = email.strip().lower()
    if session.scalar(sa.select(Account.id).where(Account.email == email)) is None:
        _insert_account(session, email, password, "Superadmin", "superadmin", None, ACTIVE)


# -- profile and documents --------------------------------------------------------------

def profile_view(profile: Profile) -> dict:
    kecamatan = regions.kecamatan(profile.kecamatan_code)
    regency = regions.regency(profile.domicile_regency_code)
    return {
        "nik": profile.nik, "full_name": profile.full_name, "sex": profile.sex,
        "birth_date": profile.birth_date.isoformat(), "phone": profile.phone,
        "address": profile.address, "domicile_regency_code": profile.domicile_regency_code,
        "education": profile.education, "occupation": profile.occupation,
        "is_asn": profile.is_asn,
        "has_other_institution_contract": profile.has_other_institution_contract,
        "has_bps_experience": profile.has_bps_experience,
        "has_capi_experience": profile.has_capi_experience,
        "owns_smartphone": profile.owns_smartphone,
        "can_use_computer": profile.can_use_computer,
        "can_ride_motorbike": profile.can_ride_motorbike,
        "statements": dict(profile.statements),
        "domicile_regency_name": regency.name if regency else "",
        "kecamatan_code": profile.kecamatan_code,
        "kecamatan_name": kecamatan.name if kecamatan else "",
        "updated_at": _iso(profile.updated_at),
    }


PROFILE_FIELDS = ("nik", "full_name", "sex", "birth_date", "phone", "address",
                  "domicile_regency_code", "education", "occupation", "is_asn",
                  "has_other_institution_contract", "has_bps_experience",
                  "has_capi_experience", "owns_smartphone", "can_use_computer",
                  "can_ride_motorbike", "statements")


def put_profile(session: Session, identity: Identity, data: dict) -> dict:
    """``data`` holds PROFILE_FIELDS with birth_date as a date (types checked at the edge)."""
    problems = profile_problems(data, utcnow().date())
    if problems:
        raise InvalidInput(problems)
    values = {field: data[field] for field in PROFILE_FIELDS}
    values["phone"] = normalize_phone(data["phone"])
    values["full_name"] = data["full_name"].strip()
    values["kecamatan_code"] = decode_nik(data["nik"]).kecamatan_code
    owner = session.scalar(sa.select(Profile.account_id).where(Profile.nik == data["nik"]))
    if owner is not None and owner != identity.account_id:
        raise Conflict("This NIK is already registered to another account.")
    profile = session.get(Profile, identity.account_id, with_for_update=True)
    if profile is None:
        profile = Profile(account_id=identity.account_id, **values, updated_at=utcnow())
        session.add(profile)
    else:
        for field, value in values.items():
            setattr(profile, field, value)
        profile.updated_at = utcnow()
    try:
        session.flush()
    except IntegrityError:  # the same NIK saved concurrently by another account
        raise Conflict("This NIK is already registered to another account.") from None
    _record_profile_updated(session, identity.account_id)
    return profile_view(profile)


def _documents_of(session: Session, account_id: str) -> list[Document]:
    return session.scalars(sa.select(Document).where(
        Document.account_id == account_id).order_by(Document.kind)).all()


def _document_snapshots(documents: list[Document]) -> list[dict]:
    return [{"kind": d.kind, "sha256": d.sha256, "size": d.size,
             "content_type": d.content_type} for d in documents]


def _profile_snapshot(profile: Profile, email: str) -> dict:
    snapshot = {key: value for key, value in profile_view(profile).items()
                if key != "updated_at"}
    snapshot["birth_date"] = profile.birth_date
    snapshot["email"] = email
    return snapshot


def _record_profile_updated(session: Session, account_id: str) -> None:
    """Tell selection the candidate's current data (open reviews follow it)."""
    # One atomic increment: concurrent changes of one account get versions in commit order.
    data_version = session.execute(
        sa.update(Account).where(Account.id == account_id)
        .values(data_version=Account.data_version + 1).returning(Account.data_version)
        .execution_options(synchronize_session=False)).scalar_one()
    account = session.get(Account, account_id)
    profile = session.get(Profile, account_id)
    record_event(session, platform_tables, "registration", PROFILE_UPDATED, {
        "account_id": account_id, "updated_at": utcnow(), "data_version": data_version,
        "profile": _profile_snapshot(profile, account.email) if profile else None,
        "documents": _document_snapshots(_documents_of(session, account_id)),
    }, ProfileUpdatedPayload())


def get_profile(session: Session, identity: Identity) -> dict:
    profile = session.get(Profile, identity.account_id)
    if profile is None:
        raise NotFound("No profile has been filled in yet.")
    return profile_view(profile)


def document_view(document: Document) -> dict:
    return {"kind": document.kind, "sha256": document.sha256, "size": document.size,
            "content_type": document.content_type, "uploaded_at": _iso(document.uploaded_at)}


def put_document(session: Session, storage: DocumentStorage, identity: Identity, kind: str,
                 declared_content_type: str, content: bytes) -> dict:
    if kind not in document_rules.DOCUMENT_KINDS:
        raise NotFound(f"Unknown document kind; use one of "
                       f"{', '.join(document_rules.DOCUMENT_KINDS)}.")
    content_type = document_rules.judge_upload(content, declared_content_type,
                                               config.upload_max_bytes())
    digest = storage.put(content)
    document = session.get(Document, (identity.account_id, kind), with_for_update=True)
    if document is None:
        document = Document(account_id=identity.account_id, kind=kind)
        session.add(document)
    document.sha256, document.size = digest, len(content)
    document.content_type, document.uploaded_at = content_type, utcnow()
    session.flush()
    _record_profile_updated(session, identity.account_id)
    return document_view(document)


def get_application_document(session: Session, storage: DocumentStorage, identity: Identity,
                             application_id: str, kind: str) -> dict:
    """An admin opens a candidate's current document, for an application of its own satker;
    an application it may not see is as unknown as one that does not exist."""
    row = session.execute(sa.select(Application, Activity).join(
        Activity, Activity.id == Application.activity_id).where(
        Application.id == application_id)).first()
    if row is None or not identity.may_act_for_satker(row.Activity.satker_code):
        raise NotFound("No application has this id.")
    document = session.get(Document, (row.Application.account_id, kind))
    if document is None:
        raise NotFound("This candidate has not uploaded that document.")
    return {"kind": kind, "content_type": document.content_type, "sha256": document.sha256,
            "content": storage.get(document.sha256)}


def list_documents(session: Session, identity: Identity) -> dict:
    documents = session.scalars(sa.select(Document).where(
        Document.account_id == identity.account_id).order_by(Document.kind)).all()
    return {"items": [document_view(d) for d in documents]}


# -- activities and applications --------------------------------------------------------

def activity_view(activity: Activity, now: datetime) -> dict:
    view = {
        "id": activity.id, "satker_code": activity.satker_code, "name": activity.name,
        "year": activity.year,
        "registration_opens_at": _iso(activity.registration_opens_at),
        "registration_closes_at": _iso(activity.registration_closes_at),
        "announcement_at": _iso(activity.announcement_at),
        "requirements": activity.requirements,
        "satker_name": regions.satker_name(activity.satker_code) or "",
        "application_count": activity.application_count,
        "is_open": activity_rules.window_refusal(
            activity.registration_opens_at, activity.registration_closes_at, now) is None
        and activity_rules.quota_refusal(activity.quota, activity.application_count) is None,
        "created_at": _iso(activity.created_at),
    }
    if activity.quota is not None:
        view["quota"] = activity.quota
    return view


def create_activity(session: Session, identity: Identity, data: dict) -> dict:
    """``data``: satker_code, name, year, the three datetimes (aware), quota, requirements."""
    if not identity.may_act_for_satker(data["satker_code"]):
        raise NotPermitted("You may create activities of your own satker only.")
    problems = activity_rules.activity_problems(
        data["name"], data["year"], data["satker_code"], data["registration_opens_at"],
        data["registration_closes_at"], data["announcement_at"], data.get("quota"))
    try:
        requirements = parse_requirements(data.get("requirements") or {})
    except InvalidInput as invalid:
        problems.update(invalid.errors)
    if problems:
        raise InvalidInput(problems)
    activity = Activity(
        id=new_id(), satker_code=data["satker_code"], name=data["name"].strip(),
        year=data["year"], registration_opens_at=data["registration_opens_at"],
        registration_closes_at=data["registration_closes_at"],
        announcement_at=data["announcement_at"], quota=data.get("quota"),
        requirements=requirements.to_dict(), application_count=0, last_registration_seq=0,
        created_by=identity.account_id, created_at=utcnow())
    session.add(activity)
    session.flush()
    return activity_view(activity, utcnow())


def list_activities(session: Session, satker_code: str, open_only: bool, page: int,
                    per_page: int) -> dict:
    now = utcnow()
    query = sa.select(Activity)
    if satker_code:
        query = query.where(Activity.satker_code == satker_code)
    if open_only:
        query = query.where(Activity.registration_opens_at <= now,
                            Activity.registration_closes_at > now,
                            sa.or_(Activity.quota.is_(None),
                                   Activity.application_count < Activity.quota))
    total = session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    activities = session.scalars(query.order_by(Activity.registration_opens_at.desc(),
                                                Activity.id)
                                 .offset((page - 1) * per_page).limit(per_page)).all()
    return {"items": [activity_view(a, now) for a in activities], "total": total}


def update_activity(session: Session, identity: Identity, activity_id: str,
                    changes: dict) -> dict:
    """``changes`` holds only what the admin sent: name, the datetimes (aware), quota (None =
    no quota), requirements."""
    activity = _activity_or_404(session, activity_id, for_update=True)
    if not identity.may_act_for_satker(activity.satker_code):
        raise NotPermitted("You may change activities of your own satker only.")
    merged = {field: changes.get(field, getattr(activity, field)) for field in (
        "name", "registration_opens_at", "registration_closes_at", "announcement_at", "quota")}
    problems = activity_rules.activity_problems(
        merged["name"], activity.year, activity.satker_code, merged["registration_opens_at"],
        merged["registration_closes_at"], merged["announcement_at"], merged["quota"])
    requirements = None
    if "requirements" in changes:
        try:
            requirements = parse_requirements(changes["requirements"])
        except InvalidInput as invalid:
            problems.update(invalid.errors)
    if problems:
        raise InvalidInput(problems)
    if merged["quota"] is not None and merged["quota"] < activity.application_count:
        raise Conflict(f"{activity.application_count} candidates have already applied; the "
                       "quota cannot be lower.")
    for field, value in merged.items():
        setattr(activity, field, value.strip() if field == "name" else value)
    if requirements is not None:
        activity.requirements = requirements.to_dict()
    session.flush()
    return activity_view(activity, utcnow())


def _activity_or_404(session: Session, activity_id: str, for_update: bool = False) -> Activity:
    activity = session.get(Activity, activity_id, with_for_update=for_update)
    if activity is None:
        raise NotFound("No activity has this id.")
    return activity


def get_activity(session: Session, activity_id: str) -> dict:
    return activity_view(_activity_or_404(session, activity_id), utcnow())


def application_view(application: Application, activity: Activity) -> dict:
    return {"id": application.id, "activity_id": application.activity_id,
            "registration_number": application.registration_number,
            "status": application.status, "submitted_at": _iso(application.submitted_at),
            "activity_name": activity.name, "satker_code": activity.satker_code}


def submit_application(session: Session, identity: Identity, activity_id: str,
                       correlation_id: str | None = None) -> dict:
    now = utcnow()
    activity = _activity_or_404(session, activity_id)
    already = session.scalar(sa.select(Application.id).where(
        Application.activity_id == activity.id, Application.account_id == identity.account_id))
    if already:
        raise Conflict("You have already applied to this activity.")
    refusal = activity_rules.window_refusal(activity.registration_opens_at,
                                            activity.registration_closes_at, now)
    if refusal:
        raise Conflict(refusal)
    account = session.get(Account, identity.account_id)
    profile = session.get(Profile, identity.account_id)
    documents = _documents_of(session, identity.account_id)
    requirements = parse_requirements(activity.requirements)
    missing = activity_rules.missing_for_application(
        profile_view(profile) if profile else None, {d.kind for d in documents}, requirements)
    if missing:
        raise InvalidInput(missing, "The application is not complete yet.")
    # The quota is taken by one conditional UPDATE: on PostgreSQL concurrent applicants queue
    # on the activity's row lock and each re-checks the count; the CHECK constraint backs it.
    seq = session.execute(
        sa.update(Activity)
        .where(Activity.id == activity.id,
               sa.or_(Activity.quota.is_(None), Activity.application_count < Activity.quota))
        .values(application_count=Activity.application_count + 1,
                last_registration_seq=Activity.last_registration_seq + 1)
        .returning(Activity.last_registration_seq)
        .execution_options(synchronize_session=False)).scalar()
    if seq is None:
        raise Conflict(activity_rules.MSG_QUOTA_FULL)
    application = Application(
        id=new_id(), activity_id=activity.id, account_id=identity.account_id,
        registration_number=activity_rules.registration_number(activity.satker_code,
                                                               activity.year, seq),
        status="submitted", submitted_at=now)
    session.add(application)
    try:
        session.flush()
    except IntegrityError:  # the same candidate submitting twice at once
        raise Conflict("You have already applied to this activity.") from None
    record_event(session, platform_tables, "registration", APPLICATION_SUBMITTED, {
        "application_id": application.id, "activity_id": activity.id,
        "activity_name": activity.name, "satker_code": activity.satker_code,
        "year": activity.year, "account_id": identity.account_id,
        "registration_number": application.registration_number, "submitted_at": now,
        "requirements": activity.requirements, "data_version": account.data_version,
        "profile": _profile_snapshot(profile, account.email),
        "documents": _document_snapshots(documents),
    }, ApplicationSubmittedPayload(), correlation_id)
    return application_view(application, activity)


def list_my_applications(session: Session, identity: Identity) -> dict:
    rows = session.execute(sa.select(Application, Activity).join(
        Activity, Activity.id == Application.activity_id).where(
        Application.account_id == identity.account_id).order_by(
        Application.submitted_at.desc())).all()
    return {"items": [application_view(app, act) for app, act in rows]}
