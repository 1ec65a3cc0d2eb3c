"""Selection's announcement (``results_announced``) marks the accepted applications; only
their candidates may then upload the pakta integritas. A redelivery changes nothing."""
from __future__ import annotations

import pytest

from services.registration.domain.errors import PaktaIntegritasNotOpen
from services.registration.use_cases import applications, profiles
from services.shared.contracts.events import PROFILE_UPDATED
from tests.service.registration.steps import PDF, activity, announced, complete_candidate


@pytest.fixture
def applied(uow, storage):
    """Two candidates who applied to the same activity: (identity, application) each."""
    open_activity = activity(uow)
    pairs = []
    for email in ("siti@example.com", "budi@example.com"):
        identity = complete_candidate(uow, storage, email=email)
        pairs.append((identity, applications.submit_application(uow, identity,
                                                                open_activity["id"])))
    return pairs


def _upload_pakta(uow, storage, identity) -> dict:
    return profiles.put_document(uow, storage, identity, "pakta_integritas",
                                 "application/pdf", PDF)


def test_the_pakta_is_refused_before_the_announcement_and_accepted_after(uow, storage,
                                                                          applied):
    (siti, siti_application), (budi, _) = applied
    updates = len(uow.events.of_type(PROFILE_UPDATED))
    for candidate in (siti, budi):
        with pytest.raises(PaktaIntegritasNotOpen):
            _upload_pakta(uow, storage, candidate)
    assert uow.documents.get(siti.account_id, "pakta_integritas") is None
    assert len(uow.events.of_type(PROFILE_UPDATED)) == updates  # nothing told selection

    assert applications.record_announced_results(
        uow, announced((siti, siti_application), rejected_count=1)) == 1

    uploaded = _upload_pakta(uow, storage, siti)
    assert (uploaded["kind"], uploaded["content_type"]) == ("pakta_integritas",
                                                            "application/pdf")
    [event] = uow.events.of_type(PROFILE_UPDATED)[updates:]
    assert "pakta_integritas" in [d["kind"] for d in event["documents"]]
    with pytest.raises(PaktaIntegritasNotOpen):  # rejected: still refused
        _upload_pakta(uow, storage, budi)
    # Every other kind is open to both, as before.
    profiles.put_document(uow, storage, budi, "cv", "application/pdf", PDF)


def test_a_redelivered_announcement_changes_nothing(uow, storage, applied):
    (siti, siti_application), _ = applied
    first = announced((siti, siti_application))
    assert applications.record_announced_results(uow, first) == 1
    marked_at = uow.applications.rows[siti_application["id"]].accepted_announced_at
    assert marked_at == first["announced_at"]

    later = announced((siti, siti_application))
    assert later["announced_at"] > first["announced_at"]
    assert applications.record_announced_results(uow, first) == 0
    assert applications.record_announced_results(uow, later) == 0
    assert uow.applications.rows[siti_application["id"]].accepted_announced_at == marked_at


def test_only_applications_of_the_announced_activity_are_marked(uow, storage, applied):
    (siti, siti_application), (budi, budi_application) = applied
    other = dict(siti_application, activity_id=activity(uow, name="Lain")["id"])
    assert applications.record_announced_results(uow, announced((siti, other))) == 0
    unknown = dict(siti_application, id="no-such-application")
    assert applications.record_announced_results(uow, announced((siti, unknown))) == 0
    with pytest.raises(PaktaIntegritasNotOpen):
        _upload_pakta(uow, storage, siti)
    # An announcement accepting nobody marks nothing.
    nobody = announced((budi, budi_application))
    assert applications.record_announced_results(uow, dict(nobody, accepted=[])) == 0
    assert not uow.applications.accepted_announced(budi.account_id)
