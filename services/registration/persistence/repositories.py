"""Registration's queries, one repository per table, over the unit of work's session.

A repository hands out the mapped rows; a use case changes their attributes and the
transaction writes them. Where a database constraint is what keeps a rule under concurrency
(one account per e-mail, one profile per NIK, one application per candidate per activity,
the quota), the repository turns its violation into the domain's refusal.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.registration.domain.errors import AlreadyApplied, EmailTaken, NikTaken
from services.registration.persistence.models import (
    Account,
    ActivationToken,
    Activity,
    Application,
    ApplicationDocument,
    Document,
    PasswordResetToken,
    Profile,
    ServiceToken,
)


class AccountRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, account_id: str) -> Account | None:
        return self.session.get(Account, account_id)

    def by_email(self, email: str) -> Account | None:
        return self.session.scalar(sa.select(Account).where(Account.email == email))

    def add(self, *, id: str, email: str, password_hash: str, full_name: str, role: str,
            satker_code: str | None, status: str, created_at: datetime,
            activated_at: datetime | None) -> Account:
        account = Account.new(id=id, email=email, password_hash=password_hash,
                              full_name=full_name, role=role, satker_code=satker_code,
                              status=status, created_at=created_at,
                              activated_at=activated_at)
        try:
            # In a savepoint, so the transaction survives the refusal: ensure_superadmin,
            # racing another replica, carries on after it.
            with self.session.begin_nested():
                self.session.add(account)
        except IntegrityError:  # the same e-mail registered concurrently
            raise EmailTaken() from None
        return account

    def bump_data_version(self, account_id: str) -> int:
        """The candidate's data changed: its next data version. One atomic increment, so
        concurrent changes of one account get versions in commit order."""
        return self.session.execute(
            sa.update(Account).where(Account.id == account_id)
            .values(data_version=Account.data_version + 1).returning(Account.data_version)
            .execution_options(synchronize_session=False)).scalar_one()

    def bump_token_version(self, account_id: str) -> int:
        """Every token of the account issued so far is refused from now on: its next token
        version, one atomic increment."""
        return self.session.execute(
            sa.update(Account).where(Account.id == account_id)
            .values(token_version=Account.token_version + 1).returning(Account.token_version)
            .execution_options(synchronize_session=False)).scalar_one()

    def get_for_update(self, account_id: str) -> Account | None:
        # Locked: a password change and a reset of one account happen one after the other.
        return self.session.get(Account, account_id, with_for_update=True)

    def token_state(self, account_id: str) -> tuple[str, str, str | None, int] | None:
        """(status, role, satker_code, token_version) of the account, without loading it."""
        row = self.session.execute(
            sa.select(Account.status, Account.role, Account.satker_code, Account.token_version)
            .where(Account.id == account_id)).first()
        return tuple(row) if row is not None else None


class ActivationTokenRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, *, token_hash: str, account_id: str, expires_at: datetime) -> None:
        self.session.add(ActivationToken(token_hash=token_hash, account_id=account_id,
                                         expires_at=expires_at))

    def get_for_update(self, token_hash: str) -> ActivationToken | None:
        # Locked: two activations with one token cannot both see it unused.
        return self.session.get(ActivationToken, token_hash, with_for_update=True)


class PasswordResetTokenRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, *, token_hash: str, account_id: str, expires_at: datetime) -> None:
        self.session.add(PasswordResetToken(token_hash=token_hash, account_id=account_id,
                                            expires_at=expires_at))

    def get_for_update(self, token_hash: str) -> PasswordResetToken | None:
        # Locked: two confirmations with one token cannot both see it unused.
        return self.session.get(PasswordResetToken, token_hash, with_for_update=True)

    def use_all_of(self, account_id: str, used_at: datetime) -> None:
        """Every unused token of the account is used up (after a reset or a change)."""
        self.session.execute(
            sa.update(PasswordResetToken)
            .where(PasswordResetToken.account_id == account_id,
                   PasswordResetToken.used_at.is_(None))
            .values(used_at=used_at).execution_options(synchronize_session=False))


class ServiceTokenRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, *, id: str, name: str, satker_code: str, created_by: str,
            created_at: datetime, expires_at: datetime) -> ServiceToken:
        token = ServiceToken(id=id, name=name, satker_code=satker_code, created_by=created_by,
                             created_at=created_at, expires_at=expires_at)
        self.session.add(token)
        return token

    def get(self, token_id: str) -> ServiceToken | None:
        return self.session.get(ServiceToken, token_id)

    def live(self) -> list[ServiceToken]:
        """The tokens not deleted, newest first."""
        return list(self.session.scalars(
            sa.select(ServiceToken).where(ServiceToken.revoked_at.is_(None))
            .order_by(ServiceToken.created_at.desc(), ServiceToken.id)))


class ProfileRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, account_id: str) -> Profile | None:
        return self.session.get(Profile, account_id)

    def owner_of_nik(self, nik: str) -> str | None:
        return self.session.scalar(sa.select(Profile.account_id).where(Profile.nik == nik))

    def save(self, account_id: str, values: dict[str, Any], updated_at: datetime) -> Profile:
        """Insert or replace the account's profile with ``values`` (``stored_values``)."""
        profile = self.session.get(Profile, account_id, with_for_update=True)
        if profile is None:
            profile = Profile(account_id=account_id)
            self.session.add(profile)
        for field, value in values.items():
            setattr(profile, field, value)
        profile.updated_at = updated_at
        try:
            self.session.flush()
        except IntegrityError:  # the same NIK saved concurrently by another account
            raise NikTaken() from None
        return profile


class DocumentRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, account_id: str, kind: str) -> Document | None:
        return self.session.get(Document, (account_id, kind))

    def of_account(self, account_id: str) -> list[Document]:
        """The account's documents, by kind."""
        return list(self.session.scalars(sa.select(Document).where(
            Document.account_id == account_id).order_by(Document.kind)))

    def save(self, *, account_id: str, kind: str, sha256: str, size: int, content_type: str,
             uploaded_at: datetime) -> Document:
        """Insert or replace the account's document of this kind."""
        document = self.session.get(Document, (account_id, kind), with_for_update=True)
        if document is None:
            document = Document(account_id=account_id, kind=kind)
            self.session.add(document)
        document.sha256, document.size = sha256, size
        document.content_type, document.uploaded_at = content_type, uploaded_at
        self.session.flush()
        return document


class ActivityRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, activity_id: str, for_update: bool = False) -> Activity | None:
        return self.session.get(Activity, activity_id, with_for_update=for_update)

    def add(self, **fields) -> Activity:
        """``fields``: id, satker_code, name, year, the three datetimes, quota, requirements,
        created_by, created_at."""
        activity = Activity.new(**fields)
        self.session.add(activity)
        self.session.flush()
        return activity

    def page(self, *, satker_code: str | None, open_at: datetime | None, page: int,
             per_page: int) -> tuple[list[Activity], int]:
        """One page of activities, latest opening first, and how many there are in all;
        only those of ``satker_code`` if given, only those open at ``open_at`` if given."""
        query = sa.select(Activity)
        if satker_code is not None:
            query = query.where(Activity.satker_code == satker_code)
        if open_at is not None:
            query = query.where(Activity.registration_opens_at <= open_at,
                                Activity.registration_closes_at > open_at,
                                sa.or_(Activity.quota.is_(None),
                                       Activity.application_count < Activity.quota))
        total = self.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
        items = self.session.scalars(
            query.order_by(Activity.registration_opens_at.desc(), Activity.id)
            .offset((page - 1) * per_page).limit(per_page))
        return list(items), total

    def take_place(self, activity_id: str) -> int | None:
        """Count one more application if the quota has room: its registration sequence
        number, or None when the quota is full.

        One conditional UPDATE: on PostgreSQL concurrent applicants queue on the activity's
        row lock and each re-checks the count; the CHECK constraint backs it.
        """
        return self.session.execute(
            sa.update(Activity)
            .where(Activity.id == activity_id,
                   sa.or_(Activity.quota.is_(None),
                          Activity.application_count < Activity.quota))
            .values(application_count=Activity.application_count + 1,
                    last_registration_seq=Activity.last_registration_seq + 1)
            .returning(Activity.last_registration_seq)
            .execution_options(synchronize_session=False)).scalar()


class ApplicationRepository:
    def __init__(self, session: Session):
        self.session = session

    def exists(self, activity_id: str, account_id: str) -> bool:
        return self.session.scalar(sa.select(Application.id).where(
            Application.activity_id == activity_id,
            Application.account_id == account_id)) is not None

    def add(self, *, id: str, activity_id: str, account_id: str, registration_number: str,
            status: str, submitted_at: datetime) -> Application:
        application = Application(id=id, activity_id=activity_id, account_id=account_id,
                                  registration_number=registration_number, status=status,
                                  submitted_at=submitted_at)
        self.session.add(application)
        try:
            self.session.flush()
        except IntegrityError:  # the same candidate submitting twice at once
            raise AlreadyApplied() from None
        return application

    def keep_documents(self, application_id: str, documents: list[Document]) -> None:
        """Keep the documents as they are now, with the application being submitted."""
        self.session.add_all([ApplicationDocument(
            application_id=application_id, kind=d.kind, sha256=d.sha256, size=d.size,
            content_type=d.content_type, uploaded_at=d.uploaded_at) for d in documents])
        self.session.flush()

    def document(self, application_id: str, kind: str) -> ApplicationDocument | None:
        """The application's document of this kind as it was submitted."""
        return self.session.get(ApplicationDocument, (application_id, kind))

    def with_activity(self, application_id: str) -> tuple[Application, Activity] | None:
        row = self.session.execute(sa.select(Application, Activity).join(
            Activity, Activity.id == Application.activity_id).where(
            Application.id == application_id)).first()
        return (row.Application, row.Activity) if row else None

    def mark_accepted_announced(self, activity_id: str, application_ids: list[str],
                                announced_at: datetime) -> int:
        """Marks these applications of the activity finally accepted and announced, those not
        marked yet; returns how many were marked now (a redelivery marks none)."""
        if not application_ids:
            return 0
        return self.session.execute(sa.update(Application).where(
            Application.activity_id == activity_id,
            Application.id.in_(application_ids),
            Application.accepted_announced_at.is_(None)).values(
            accepted_announced_at=announced_at).execution_options(
            synchronize_session=False)).rowcount

    def accepted_announced(self, account_id: str) -> bool:
        """Whether the candidate has an application finally accepted and announced."""
        return self.session.scalar(sa.select(Application.id).where(
            Application.account_id == account_id,
            Application.accepted_announced_at.is_not(None)).limit(1)) is not None

    def of_account(self, account_id: str) -> list[tuple[Application, Activity]]:
        """The candidate's applications with their activities, latest first."""
        rows = self.session.execute(sa.select(Application, Activity).join(
            Activity, Activity.id == Application.activity_id).where(
            Application.account_id == account_id).order_by(
            Application.submitted_at.desc())).all()
        return [(application, activity) for application, activity in rows]
