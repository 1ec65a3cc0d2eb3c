"""Registration consumes selection's results_announced on a real database (SQLite): the
accepted applications are marked once, whatever is redelivered, and only they open the pakta
integritas to their candidates."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from services.registration.persistence.models import Account, Activity, Application, Base
from services.registration.persistence.unit_of_work import RegistrationUnitOfWork
from services.registration.use_cases.applications import record_announced_results
from services.shared.contracts.events import RESULTS_ANNOUNCED, ResultsAnnouncedPayload
from services.shared.platform.database import unit_of_work
from services.shared.platform.inbox import handle_once
from services.shared.platform.outbox import make_envelope

HANDLER = "registration.on_results_announced"
WIB = timezone(timedelta(hours=7))
ANNOUNCED_AT = datetime(2026, 12, 1, 9, 0, 2, tzinfo=WIB)


@pytest.fixture
def sessions(sqlite_sessions):
    sessions = sqlite_sessions(Base.metadata)
    at = ANNOUNCED_AT - timedelta(days=30)
    with unit_of_work(sessions) as session:
        for activity_id in ("act-1", "act-2"):
            session.add(Activity.new(
                id=activity_id, satker_code="3528", name="Rekrutmen", year=2026,
                registration_opens_at=at, registration_closes_at=at + timedelta(days=1),
                announcement_at=ANNOUNCED_AT, quota=None, requirements={},
                created_by="admin", created_at=at))
        for n in (1, 2, 3):
            session.add(Account.new(id=f"acc-{n}", email=f"c{n}@example.com",
                                    password_hash="x", full_name="Calon", role="mitra",
                                    satker_code=None, status="active", created_at=at,
                                    activated_at=at))
        session.flush()
        for n, activity_id in ((1, "act-1"), (2, "act-1"), (3, "act-2")):
            session.add(Application(id=f"app-{n}", activity_id=activity_id,
                                    account_id=f"acc-{n}",
                                    registration_number=f"3528-2026-0000{n}",
                                    status="submitted", submitted_at=at))
    return sessions


def envelope(*application_ids: str, announced_at: datetime = ANNOUNCED_AT) -> dict:
    """The event as selection's relay publishes it (JSON-ready), for act-1."""
    return make_envelope("selection", RESULTS_ANNOUNCED, {
        "activity_id": "act-1", "satker_code": "3528", "year": 2026,
        "announcement_at": ANNOUNCED_AT - timedelta(seconds=2), "announced_at": announced_at,
        "accepted": [{"application_id": a, "account_id": "acc-" + a[-1],
                      "registration_number": f"3528-2026-0000{a[-1]}"}
                     for a in application_ids],
        "rejected_count": 1}, ResultsAnnouncedPayload())


def deliver(sessions, body: dict) -> bool:
    return handle_once(sessions, RegistrationUnitOfWork, HANDLER, body,
                       ResultsAnnouncedPayload(), record_announced_results)


def marks(sessions) -> dict[str, datetime | None]:
    with unit_of_work(sessions) as session:
        return {a.id: a.accepted_announced_at for a in session.query(Application)}


def opens_pakta(sessions, account_id: str) -> bool:
    with unit_of_work(sessions) as session:
        return RegistrationUnitOfWork(session).applications.accepted_announced(account_id)


def test_the_accepted_are_marked_once_whatever_is_redelivered(sessions):
    body = envelope("app-1")
    assert deliver(sessions, body) is True
    assert deliver(sessions, body) is False  # the same event, redelivered
    assert marks(sessions) == {"app-1": ANNOUNCED_AT, "app-2": None, "app-3": None}
    assert marks(sessions)["app-1"].tzinfo is not None
    # Another event naming it again (a replay) keeps the first announcement's time.
    assert deliver(sessions, envelope("app-1", announced_at=ANNOUNCED_AT
                                      + timedelta(minutes=5))) is True
    assert marks(sessions)["app-1"] == ANNOUNCED_AT
    assert [opens_pakta(sessions, f"acc-{n}") for n in (1, 2, 3)] == [True, False, False]


def test_an_application_of_another_activity_or_unknown_is_not_marked(sessions):
    assert deliver(sessions, envelope("app-3", "app-9")) is True
    assert marks(sessions) == {"app-1": None, "app-2": None, "app-3": None}
    assert not opens_pakta(sessions, "acc-3")
