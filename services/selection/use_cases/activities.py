"""Selection's read model of registration's activities, and the satker scope it decides: an
admin works on the applications of its own satker's activities only, whether or not any
application has arrived yet."""
from __future__ import annotations

from dataclasses import replace

from services.selection.domain.errors import ActivityUnknown
from services.selection.domain.model import Activity
from services.shared.contracts.errors import NotInScope
from services.shared.contracts.identity import Identity


def follow_activity(uow, payload: dict) -> None:
    """An activity_published or activity_changed event: keep the newest version. The two
    travel on different queues, so a change may arrive before the publication, and an older
    change after a newer one: the version decides, not the arrival order."""
    incoming = Activity(id=payload["activity_id"], satker_code=payload["satker_code"],
                        name=payload["name"], year=payload["year"], version=payload["version"],
                        announcement_at=payload["announcement_at"])
    held = uow.activities.get(incoming.id, for_update=True)
    if held is None:
        uow.activities.add(incoming)
    elif incoming.version > held.version:
        # An announcement made stays made, whatever time a later change names.
        uow.activities.save(replace(incoming, announced_at=held.announced_at))


def activity_in_scope(uow, identity: Identity, activity_id: str) -> Activity:
    """The activity, if the caller may work on its applications. ActivityUnknown (404) also
    while its activity_published event is on its way; NotInScope (403) for another satker's."""
    activity = uow.activities.get(activity_id)
    if activity is None:
        raise ActivityUnknown()
    if not identity.may_act_for_satker(activity.satker_code):
        raise NotInScope("This activity belongs to another satker.")
    return activity
