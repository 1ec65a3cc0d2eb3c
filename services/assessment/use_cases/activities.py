"""Assessment's read model of registration's activities, and the satker scope it decides: an
admin keeps the item bank and the sessions of its own satker's activities only."""
from __future__ import annotations

from services.assessment.domain.errors import ActivityUnknown
from services.assessment.domain.model import Activity
from services.shared.contracts.errors import NotInScope
from services.shared.contracts.identity import Identity


def follow_activity(uow, payload: dict) -> None:
    """activity_published or activity_changed: keep the newest version (the two travel on
    different queues; the version decides, not the arrival order)."""
    incoming = Activity(activity_id=payload["activity_id"], satker_code=payload["satker_code"],
                        name=payload["name"], version=payload["version"])
    held = uow.activities.get(incoming.activity_id, for_update=True)
    if held is None or incoming.version > held.version:
        uow.activities.save(incoming)


def activity_in_scope(uow, identity: Identity, activity_id: str) -> Activity:
    """The activity, if the caller may manage its test. ActivityUnknown (404) also while its
    activity_published event is on its way; NotInScope (403) for another satker's."""
    activity = uow.activities.get(activity_id)
    if activity is None:
        raise ActivityUnknown()
    if not identity.may_act_for_satker(activity.satker_code):
        raise NotInScope("This activity belongs to another satker.")
    return activity
