"""Final selection (seleksi akhir): the satker's criteria, interview scores, the ranking, the
committee's decisions within the positions, and the pakta integritas overview. The
announcement and the public results are in ``announcement.py``.

The positions are held by the database: each decision counts itself on the criteria row with
one conditional UPDATE (``take_places``), and an application takes one decision only (a unique
key), so concurrent decisions can neither pass the positions nor decide one application twice.
"""
from __future__ import annotations

from datetime import UTC, datetime

from services.selection.domain.errors import (
    AlreadyAnnounced,
    AlreadyDecided,
    CriteriaLocked,
    FinalCriteriaRequired,
    FinalCriteriaUnknown,
    InvalidCount,
    InvalidInterviewScore,
    PositionsFilled,
)
from services.selection.domain.final_selection import (
    ACCEPTED,
    FinalCriteria,
    FinalDecision,
    RankedCandidate,
    Ranking,
    check_final_decision,
    check_positions,
    is_announced,
    rank,
    top_undecided,
    validate_criteria,
)
from services.selection.domain.model import Activity
from services.selection.use_cases.activities import activity_in_scope
from services.selection.use_cases.reviews import visible_application
from services.shared.contracts.identity import Identity

PAKTA_INTEGRITAS = "pakta_integritas"


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(UTC)


def _refuse_after_announcement(activity: Activity | None, now: datetime) -> None:
    # An activity not heard of yet (its event on the way) has announced nothing.
    if activity is not None and is_announced(activity.announcement_at, activity.announced_at,
                                             now):
        raise AlreadyAnnounced()


def _criteria_of(uow, activity_id: str, for_update: bool = False) -> FinalCriteria:
    criteria = uow.final_criteria.get(activity_id, for_update=for_update)
    if criteria is None:
        raise FinalCriteriaRequired()
    return criteria


# -- criteria and interview scores -------------------------------------------------------------

def set_criteria(uow, identity: Identity, activity_id: str, positions, weights,
                 min_test_score, disclose_scores, now: datetime | None = None) -> dict:
    """Set the activity's final criteria; refused once a final decision exists (the row is
    locked first, so a decision racing this one is either counted or waits for it)."""
    now = _now(now)
    activity = activity_in_scope(uow, identity, activity_id)
    criteria = validate_criteria(positions, weights, min_test_score, disclose_scores)
    _refuse_after_announcement(activity, now)
    held = uow.final_criteria.get(activity_id, for_update=True)
    if held is not None and uow.final_criteria.counts(activity_id)[1] > 0:
        raise CriteriaLocked()
    uow.final_criteria.save(activity_id, criteria, identity.account_id, now)
    return criteria.to_dict()


def get_criteria(uow, identity: Identity, activity_id: str) -> dict:
    activity_in_scope(uow, identity, activity_id)
    criteria = uow.final_criteria.get(activity_id)
    if criteria is None:
        raise FinalCriteriaUnknown()
    return criteria.to_dict()


def set_interview_score(uow, identity: Identity, application_id: str, score,
                        now: datetime | None = None) -> dict:
    """The interview score (0-100) of an application of the admin's satker; the last one
    entered counts, until the application is decided."""
    now = _now(now)
    application = visible_application(uow, identity, application_id)
    if (isinstance(score, bool) or not isinstance(score, (int, float))
            or not 0 <= score <= 100):
        raise InvalidInterviewScore()
    _refuse_after_announcement(uow.activities.get(application.activity_id), now)
    if uow.final_decisions.of_application(application_id) is not None:
        raise AlreadyDecided()
    uow.interview_scores.set(application_id, application.activity_id, float(score),
                             identity.account_id, now)
    return {"application_id": application_id, "score": float(score)}


# -- the ranking -------------------------------------------------------------------------------

def _entry(entry: RankedCandidate, elsewhere: dict[str, list[str]] | None = None) -> dict:
    return {"application_id": entry.application_id,
            "registration_number": entry.registration_number, "full_name": entry.full_name,
            "rank": entry.rank, "total": entry.total, "components": entry.components,
            "test_score": entry.test_score, "final_status": entry.final_status,
            "interview_score": entry.interview_score,
            "mitra_elsewhere": (elsewhere or {}).get(entry.application_id, [])}


def ranking_of(uow, activity_id: str, criteria: FinalCriteria) -> Ranking:
    return rank(uow.applications.ranking_facts(activity_id=activity_id), criteria)


def ranking(uow, identity: Identity, activity_id: str, page: int = 1,
            per_page: int = 50) -> dict:
    """One page of the activity's ranking under its criteria (404 while none are set): the
    whole ranking is computed, the page is cut from both lists (ranked, and apart); each
    candidate with the other satker that already accepted them as mitra that year."""
    activity_in_scope(uow, identity, activity_id)
    criteria = uow.final_criteria.get(activity_id)
    if criteria is None:
        raise FinalCriteriaUnknown()
    ranked = ranking_of(uow, activity_id, criteria)
    elsewhere = uow.applications.mitra_elsewhere(activity_id)
    start = (max(page, 1) - 1) * per_page
    return {"items": [_entry(entry, elsewhere)
                      for entry in ranked.items[start:start + per_page]],
            "below_minimum": [_entry(entry, elsewhere)
                              for entry in ranked.below_minimum[start:start + per_page]],
            "total": len(ranked.items), "below_minimum_total": len(ranked.below_minimum)}


# -- decisions ---------------------------------------------------------------------------------

def decide_final(uow, identity: Identity, application_id: str, decision, reason,
                 now: datetime | None = None) -> dict:
    """The committee's decision on one application: accepted (ranked ones only, within the
    positions) or rejected with a reason; final once made."""
    now = _now(now)
    application = visible_application(uow, identity, application_id)
    activity = uow.activities.get(application.activity_id)
    criteria = _criteria_of(uow, application.activity_id)
    ranked = bool(rank(uow.applications.ranking_facts(application_ids=[application_id]),
                       criteria).items)
    decided = uow.final_decisions.of_application(application_id) is not None
    decision, reason = check_final_decision(
        decision, reason, ranked=ranked, decided=decided,
        announced=is_announced(activity.announcement_at, activity.announced_at, now))
    accepting = int(decision == ACCEPTED)
    if not uow.final_criteria.take_places(application.activity_id, accepting, 1):
        raise PositionsFilled(criteria.positions,
                              uow.final_criteria.counts(application.activity_id)[0])
    entry = FinalDecision(application_id=application_id, activity_id=application.activity_id,
                          decision=decision, reason=reason, decided_by=identity.account_id,
                          decided_by_role=identity.role, decided_at=now)
    uow.final_decisions.add(entry)
    return _decision(entry)


def _decision(entry: FinalDecision) -> dict:
    return {"application_id": entry.application_id, "decision": entry.decision,
            "reason": entry.reason, "decided_by": entry.decided_by,
            "decided_at": entry.decided_at}


def accept_top(uow, identity: Identity, activity_id: str, count,
               now: datetime | None = None) -> dict:
    """Accept the first ``count`` undecided ranked candidates at once; refused as a whole
    (nothing accepted) when that would pass the positions."""
    now = _now(now)
    activity = activity_in_scope(uow, identity, activity_id)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise InvalidCount()
    _refuse_after_announcement(activity, now)
    criteria = _criteria_of(uow, activity_id)
    chosen = top_undecided(ranking_of(uow, activity_id, criteria), count)
    check_positions(uow.final_criteria.counts(activity_id)[0], len(chosen), criteria.positions)
    if not uow.final_criteria.take_places(activity_id, len(chosen), len(chosen)):
        raise PositionsFilled(criteria.positions, uow.final_criteria.counts(activity_id)[0])
    for application_id in chosen:
        uow.final_decisions.add(FinalDecision(
            application_id=application_id, activity_id=activity_id, decision=ACCEPTED,
            reason=None, decided_by=identity.account_id, decided_by_role=identity.role,
            decided_at=now))
    return {"accepted": chosen}


def list_final_decisions(uow, identity: Identity, activity_id: str) -> dict:
    """The audit trail of the activity's final decisions, oldest first."""
    activity_in_scope(uow, identity, activity_id)
    return {"items": [_decision(entry) | {"decided_by_role": entry.decided_by_role}
                      for entry in uow.final_decisions.of_activity(activity_id)]}


# -- pakta integritas --------------------------------------------------------------------------

def pakta_integritas(uow, identity: Identity, activity_id: str) -> dict:
    """The finally accepted candidates and whether each has uploaded the signed pakta
    integritas (from the candidate data selection holds, newest first)."""
    activity_in_scope(uow, identity, activity_id)
    accepted = [entry.application_id for entry in uow.final_decisions.of_activity(activity_id)
                if entry.decision == ACCEPTED]
    applications = uow.applications.of_ids(accepted)
    kinds = uow.candidates.document_kinds([a.account_id for a in applications])
    items = [{"application_id": a.id, "registration_number": a.registration_number,
              "full_name": a.profile.full_name,
              "uploaded": PAKTA_INTEGRITAS in kinds.get(a.account_id, set())}
             for a in applications]
    return {"items": items, "total": len(items),
            "uploaded": sum(1 for item in items if item["uploaded"])}
