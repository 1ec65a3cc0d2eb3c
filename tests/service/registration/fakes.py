"""Registration's in-memory unit of work: dict-backed repositories with the same methods as
services/registration/persistence/repositories.py. Rows are the service's own mapped classes
(used without a database), so a use case reads and writes the same attributes here as in
production; the constraints the database keeps are kept here by hand."""
from __future__ import annotations

import contextlib
import hashlib
from datetime import datetime
from typing import Any

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
from tests.support.memory import InMemoryUnitOfWork


class InMemoryAccountRepository:
    def __init__(self) -> None:
        self.rows: dict[str, Account] = {}

    def get(self, account_id: str) -> Account | None:
        return self.rows.get(account_id)

    def by_email(self, email: str) -> Account | None:
        return next((a for a in self.rows.values() if a.email == email), None)

    def add(self, *, id: str, email: str, password_hash: str, full_name: str, role: str,
            satker_code: str | None, status: str, created_at: datetime,
            activated_at: datetime | None) -> Account:
        if self.by_email(email) is not None:  # the unique e-mail
            raise EmailTaken()
        account = Account.new(id=id, email=email, password_hash=password_hash,
                              full_name=full_name, role=role, satker_code=satker_code,
                              status=status, created_at=created_at,
                              activated_at=activated_at)
        self.rows[id] = account
        return account

    def bump_data_version(self, account_id: str) -> int:
        account = self.rows[account_id]
        account.data_version += 1
        return account.data_version

    def get_for_update(self, account_id: str) -> Account | None:
        return self.rows.get(account_id)

    def bump_token_version(self, account_id: str) -> int:
        account = self.rows[account_id]
        account.token_version += 1
        return account.token_version

    def token_state(self, account_id: str) -> tuple[str, str, str | None, int] | None:
        account = self.rows.get(account_id)
        if account is None:
            return None
        return account.status, account.role, account.satker_code, account.token_version


class InMemoryActivationTokenRepository:
    def __init__(self) -> None:
        self.rows: dict[str, ActivationToken] = {}

    def add(self, *, token_hash: str, account_id: str, expires_at: datetime) -> None:
        self.rows[token_hash] = ActivationToken(token_hash=token_hash, account_id=account_id,
                                                expires_at=expires_at)

    def get_for_update(self, token_hash: str) -> ActivationToken | None:
        return self.rows.get(token_hash)


class InMemoryPasswordResetTokenRepository:
    def __init__(self) -> None:
        self.rows: dict[str, PasswordResetToken] = {}

    def add(self, *, token_hash: str, account_id: str, expires_at: datetime) -> None:
        self.rows[token_hash] = PasswordResetToken(token_hash=token_hash,
                                                   account_id=account_id,
                                                   expires_at=expires_at)

    def get_for_update(self, token_hash: str) -> PasswordResetToken | None:
        return self.rows.get(token_hash)

    def use_all_of(self, account_id: str, used_at: datetime) -> None:
        for row in self.rows.values():
            if row.account_id == account_id and row.used_at is None:
                row.used_at = used_at


class InMemoryServiceTokenRepository:
    def __init__(self) -> None:
        self.rows: dict[str, ServiceToken] = {}

    def add(self, *, id: str, name: str, satker_code: str, created_by: str,
            created_at: datetime, expires_at: datetime) -> ServiceToken:
        token = ServiceToken(id=id, name=name, satker_code=satker_code, created_by=created_by,
                             created_at=created_at, expires_at=expires_at)
        self.rows[id] = token
        return token

    def get(self, token_id: str) -> ServiceToken | None:
        return self.rows.get(token_id)

    def live(self) -> list[ServiceToken]:
        live = sorted((t for t in self.rows.values() if t.revoked_at is None),
                      key=lambda t: t.id)
        return sorted(live, key=lambda t: t.created_at, reverse=True)


class InMemoryProfileRepository:
    def __init__(self) -> None:
        self.rows: dict[str, Profile] = {}

    def get(self, account_id: str) -> Profile | None:
        return self.rows.get(account_id)

    def owner_of_nik(self, nik: str) -> str | None:
        return next((p.account_id for p in self.rows.values() if p.nik == nik), None)

    def save(self, account_id: str, values: dict[str, Any], updated_at: datetime) -> Profile:
        if self.owner_of_nik(values["nik"]) not in (None, account_id):  # the unique NIK
            raise NikTaken()
        profile = self.rows.setdefault(account_id, Profile(account_id=account_id))
        for field, value in values.items():
            setattr(profile, field, value)
        profile.updated_at = updated_at
        return profile


class InMemoryDocumentRepository:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], Document] = {}

    def get(self, account_id: str, kind: str) -> Document | None:
        return self.rows.get((account_id, kind))

    def of_account(self, account_id: str) -> list[Document]:
        return sorted((d for (owner, _), d in self.rows.items() if owner == account_id),
                      key=lambda d: d.kind)

    def save(self, *, account_id: str, kind: str, sha256: str, size: int, content_type: str,
             uploaded_at: datetime) -> Document:
        document = self.rows.setdefault((account_id, kind),
                                        Document(account_id=account_id, kind=kind))
        document.sha256, document.size = sha256, size
        document.content_type, document.uploaded_at = content_type, uploaded_at
        return document


class InMemoryActivityRepository:
    def __init__(self) -> None:
        self.rows: dict[str, Activity] = {}

    def get(self, activity_id: str, for_update: bool = False) -> Activity | None:
        return self.rows.get(activity_id)

    def add(self, **fields) -> Activity:
        """``fields``: id, satker_code, name, year, the three datetimes, quota, requirements,
        created_by, created_at."""
        activity = Activity.new(**fields)
        self.rows[activity.id] = activity
        return activity

    def page(self, *, satker_code: str | None, open_at: datetime | None, page: int,
             per_page: int) -> tuple[list[Activity], int]:
        found = [a for a in self.rows.values()
                 if (satker_code is None or a.satker_code == satker_code)
                 and (open_at is None or (
                     a.registration_opens_at <= open_at < a.registration_closes_at
                     and (a.quota is None or a.application_count < a.quota)))]
        found.sort(key=lambda a: a.id)
        found.sort(key=lambda a: a.registration_opens_at, reverse=True)
        return found[(page - 1) * per_page:page * per_page], len(found)

    def take_place(self, activity_id: str) -> int | None:
        activity = self.rows[activity_id]
        if activity.quota is not None and activity.application_count >= activity.quota:
            return None
        activity.application_count += 1
        activity.last_registration_seq += 1
        return activity.last_registration_seq


class InMemoryApplicationRepository:
    def __init__(self, activities: InMemoryActivityRepository) -> None:
        self.rows: dict[str, Application] = {}
        self.submitted_documents: dict[str, dict[str, ApplicationDocument]] = {}
        self.activities = activities

    def exists(self, activity_id: str, account_id: str) -> bool:
        return any(a.activity_id == activity_id and a.account_id == account_id
                   for a in self.rows.values())

    def add(self, *, id: str, activity_id: str, account_id: str, registration_number: str,
            status: str, submitted_at: datetime) -> Application:
        if self.exists(activity_id, account_id):  # one application per candidate
            raise AlreadyApplied()
        application = Application(id=id, activity_id=activity_id, account_id=account_id,
                                  registration_number=registration_number, status=status,
                                  submitted_at=submitted_at)
        self.rows[id] = application
        return application

    def keep_documents(self, application_id: str, documents: list) -> None:
        self.submitted_documents[application_id] = {d.kind: ApplicationDocument(
            application_id=application_id, kind=d.kind, sha256=d.sha256, size=d.size,
            content_type=d.content_type, uploaded_at=d.uploaded_at) for d in documents}

    def document(self, application_id: str, kind: str) -> ApplicationDocument | None:
        return self.submitted_documents.get(application_id, {}).get(kind)

    def with_activity(self, application_id: str) -> tuple[Application, Activity] | None:
        application = self.rows.get(application_id)
        if application is None:
            return None
        return application, self.activities.rows[application.activity_id]

    def mark_accepted_announced(self, activity_id: str, application_ids: list[str],
                                announced_at: datetime) -> int:
        marked = [a for a in self.rows.values() if a.id in application_ids
                  and a.activity_id == activity_id and a.accepted_announced_at is None]
        for application in marked:
            application.accepted_announced_at = announced_at
        return len(marked)

    def accepted_announced(self, account_id: str) -> bool:
        return any(a.account_id == account_id and a.accepted_announced_at is not None
                   for a in self.rows.values())

    def of_account(self, account_id: str) -> list[tuple[Application, Activity]]:
        mine = [a for a in self.rows.values() if a.account_id == account_id]
        mine.sort(key=lambda a: a.submitted_at, reverse=True)
        return [(a, self.activities.rows[a.activity_id]) for a in mine]


class InMemoryStorage:
    """The document storage, content-addressed as the real one."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def put(self, content: bytes) -> str:
        digest = hashlib.sha256(content).hexdigest()
        self.files[digest] = content
        return digest

    def get(self, sha256: str) -> bytes:
        return self.files[sha256]


class InMemoryRegistrationUnitOfWork(InMemoryUnitOfWork):
    def outside_transaction(self):
        """No transaction to step out of without a database."""
        return contextlib.nullcontext()

    def __init__(self) -> None:
        super().__init__()
        self.accounts = InMemoryAccountRepository()
        self.activation_tokens = InMemoryActivationTokenRepository()
        self.password_reset_tokens = InMemoryPasswordResetTokenRepository()
        self.service_tokens = InMemoryServiceTokenRepository()
        self.profiles = InMemoryProfileRepository()
        self.documents = InMemoryDocumentRepository()
        self.activities = InMemoryActivityRepository()
        self.applications = InMemoryApplicationRepository(self.activities)
