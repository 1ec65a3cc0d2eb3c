"""Contracts between services: event payload schemas and who subscribes to what.

Both ends load a payload with the same schema. The subscription list is the one place that
names every consumer queue: the outbox relay declares these queues before it publishes, so an
event published before its consumer ever started is kept, not dropped (nameko's default).
"""
from __future__ import annotations

from dataclasses import dataclass

import marshmallow as ma

from services.shared.contracts.candidate import DocumentSnapshotSchema, ProfileSnapshotSchema

APPLICATION_SUBMITTED = "application_submitted"
PROFILE_UPDATED = "profile_updated"
ADMINISTRATIVE_DECIDED = "administrative_decided"
ACTIVITY_PUBLISHED = "activity_published"
ACTIVITY_CHANGED = "activity_changed"
ATTEMPT_COMPLETED = "attempt_completed"
TEST_MISSED = "test_missed"
RESULTS_ANNOUNCED = "results_announced"


class ApplicationSubmittedPayload(ma.Schema):
    application_id = ma.fields.String(required=True)
    activity_id = ma.fields.String(required=True)
    activity_name = ma.fields.String(required=True)
    satker_code = ma.fields.String(required=True)
    year = ma.fields.Integer(required=True)
    account_id = ma.fields.String(required=True)
    registration_number = ma.fields.String(required=True)
    submitted_at = ma.fields.AwareDateTime(required=True)
    requirements = ma.fields.Dict(required=True)
    data_version = ma.fields.Integer(required=True)  # of the candidate's profile/documents
    profile = ma.fields.Nested(ProfileSnapshotSchema, required=True)
    documents = ma.fields.List(ma.fields.Nested(DocumentSnapshotSchema), required=True)


class ProfileUpdatedPayload(ma.Schema):
    """The candidate changed the profile or a document: the current data, for the reviews
    still open (a needs_confirmation review goes back to pending)."""

    account_id = ma.fields.String(required=True)
    updated_at = ma.fields.AwareDateTime(required=True)
    data_version = ma.fields.Integer(required=True)  # higher = newer; events may overtake
    profile = ma.fields.Nested(ProfileSnapshotSchema, required=True, allow_none=True)
    documents = ma.fields.List(ma.fields.Nested(DocumentSnapshotSchema), required=True)


class AdministrativeDecidedPayload(ma.Schema):
    application_id = ma.fields.String(required=True)
    activity_id = ma.fields.String(required=True)
    satker_code = ma.fields.String(required=True)
    account_id = ma.fields.String(required=True)
    registration_number = ma.fields.String(required=True)
    from_status = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    reason = ma.fields.String(required=True, allow_none=True)
    decided_by = ma.fields.String(required=True)
    decided_at = ma.fields.AwareDateTime(required=True)


class ActivityPayload(ma.Schema):
    """A recruitment activity as registration holds it after a create (activity_published)
    or a change (activity_changed): services that keep satker-scoped data of an activity learn
    its satker here, before any application arrives."""

    activity_id = ma.fields.String(required=True)
    satker_code = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    year = ma.fields.Integer(required=True)
    registration_opens_at = ma.fields.AwareDateTime(required=True)
    registration_closes_at = ma.fields.AwareDateTime(required=True)
    announcement_at = ma.fields.AwareDateTime(required=True)
    quota = ma.fields.Integer(required=True, allow_none=True)
    requirements = ma.fields.Dict(required=True)
    version = ma.fields.Integer(required=True)  # higher = newer; events may overtake


class AttemptCompletedPayload(ma.Schema):
    """A competency test attempt ended: submitted by the candidate or closed at its deadline
    with the answers saved by then. ``score`` is the share of correct answers, 0-100."""
    attempt_id = ma.fields.String(required=True)
    application_id = ma.fields.String(required=True)
    activity_id = ma.fields.String(required=True)
    satker_code = ma.fields.String(required=True)
    account_id = ma.fields.String(required=True)
    session_id = ma.fields.String(required=True)
    score = ma.fields.Float(required=True)
    answered = ma.fields.Integer(required=True)
    question_count = ma.fields.Integer(required=True)
    closed_by = ma.fields.String(required=True)  # "candidate" or "deadline"
    completed_at = ma.fields.AwareDateTime(required=True)


class TestMissedPayload(ma.Schema):
    """A booked candidate never started the attempt before the session ended: the seeds count
    it as withdrawal (mengundurkan diri)."""
    application_id = ma.fields.String(required=True)
    activity_id = ma.fields.String(required=True)
    satker_code = ma.fields.String(required=True)
    account_id = ma.fields.String(required=True)
    session_id = ma.fields.String(required=True)
    session_ended_at = ma.fields.AwareDateTime(required=True)


# -- final selection (issue 9) -----------------------------------------------------------------

class AnnouncedCandidate(ma.Schema):
    application_id = ma.fields.String(required=True)
    account_id = ma.fields.String(required=True)
    registration_number = ma.fields.String(required=True)


class ResultsAnnouncedPayload(ma.Schema):
    """An activity's final results were announced at its announcement time: who was accepted
    as mitra (ids only, no personal data), and how many were rejected."""
    activity_id = ma.fields.String(required=True)
    satker_code = ma.fields.String(required=True)
    year = ma.fields.Integer(required=True)
    announcement_at = ma.fields.AwareDateTime(required=True)
    announced_at = ma.fields.AwareDateTime(required=True)
    accepted = ma.fields.List(ma.fields.Nested(AnnouncedCandidate), required=True)
    rejected_count = ma.fields.Integer(required=True)


PAYLOAD_SCHEMAS = {APPLICATION_SUBMITTED: ApplicationSubmittedPayload,
                   PROFILE_UPDATED: ProfileUpdatedPayload,
                   ADMINISTRATIVE_DECIDED: AdministrativeDecidedPayload,
                   ACTIVITY_PUBLISHED: ActivityPayload,
                   ACTIVITY_CHANGED: ActivityPayload,
                   ATTEMPT_COMPLETED: AttemptCompletedPayload,
                   TEST_MISSED: TestMissedPayload,
                   RESULTS_ANNOUNCED: ResultsAnnouncedPayload}


@dataclass(frozen=True)
class Subscription:
    producer: str
    event_type: str
    consumer: str
    handler: str

    @property
    def queue(self) -> str:
        # nameko's SERVICE_POOL queue name, so a nameko handler of the same name consumes it.
        return f"evt-{self.producer}-{self.event_type}--{self.consumer}.{self.handler}"


SUBSCRIPTIONS: tuple[Subscription, ...] = (
    Subscription("registration", APPLICATION_SUBMITTED, "selection", "on_application_submitted"),
    Subscription("registration", PROFILE_UPDATED, "selection", "on_profile_updated"),
    Subscription("registration", ACTIVITY_PUBLISHED, "selection", "on_activity_published"),
    Subscription("registration", ACTIVITY_CHANGED, "selection", "on_activity_changed"),
    Subscription("selection", ADMINISTRATIVE_DECIDED, "assessment", "on_administrative_decided"),
    Subscription("registration", ACTIVITY_PUBLISHED, "assessment", "on_activity_published"),
    Subscription("registration", ACTIVITY_CHANGED, "assessment", "on_activity_changed"),
    Subscription("assessment", ATTEMPT_COMPLETED, "selection", "on_attempt_completed"),
    Subscription("assessment", TEST_MISSED, "selection", "on_test_missed"),
    # No service acts on results_announced yet (selection answers the mitra roster itself).
    # The queue is declared so that the relay can route the event (an unbound one would be
    # returned and tried again every 30 s); it waits there for registration's first handler.
    Subscription("selection", RESULTS_ANNOUNCED, "registration", "on_results_announced"),
)


def subscriptions_of_producer(producer: str) -> list[Subscription]:
    return [s for s in SUBSCRIPTIONS if s.producer == producer]


def subscription_for(consumer: str, handler: str) -> Subscription:
    for subscription in SUBSCRIPTIONS:
        if subscription.consumer == consumer and subscription.handler == handler:
            return subscription
    raise LookupError(f"{consumer}.{handler} is not in contracts.SUBSCRIPTIONS")


# -- pembinaan statistik sektoral (issue 10) ---------------------------------------------------
# Pembinaan's own notifier follows both (mail to the team, in Indonesian); selection does not.
PEMBINAAN_ACTIVITY_DOCUMENTED = "pembinaan_activity_documented"
REQUEST_TRANSITIONED = "request_transitioned"


class PembinaanActivityDocumentedPayload(ma.Schema):
    """A Tim Pembina documented a realised activity (aktivitas pembinaan) of a lokus."""
    activity_id = ma.fields.String(required=True)
    lokus_id = ma.fields.String(required=True)
    team_id = ma.fields.String(required=True)
    tanggal = ma.fields.Date(required=True)
    bentuk = ma.fields.String(required=True)
    inisiatif = ma.fields.String(required=True)
    work_plan_id = ma.fields.String(required=True, allow_none=True)
    documented_by = ma.fields.String(required=True)
    documented_at = ma.fields.AwareDateTime(required=True)


class RequestTransitionedPayload(ma.Schema):
    """A request for pembinaan from outside BPS moved (disposed, escalated, confirmed, ...)."""
    request_id = ma.fields.String(required=True)
    satker_code = ma.fields.String(required=True)
    from_status = ma.fields.String(required=True)
    to_status = ma.fields.String(required=True)
    team_id = ma.fields.String(required=True, allow_none=True)
    activity_id = ma.fields.String(required=True, allow_none=True)
    by = ma.fields.String(required=True)
    at = ma.fields.AwareDateTime(required=True)
    note = ma.fields.String(required=True, allow_none=True)


PAYLOAD_SCHEMAS.update({PEMBINAAN_ACTIVITY_DOCUMENTED: PembinaanActivityDocumentedPayload,
                        REQUEST_TRANSITIONED: RequestTransitionedPayload})
# Pembinaan's notifier: a team is mailed when a request is disposed or escalated to it, and
# its ketua and koordinator when an activity of the team is documented.
SUBSCRIPTIONS = SUBSCRIPTIONS + (
    Subscription("pembinaan", REQUEST_TRANSITIONED, "pembinaan", "on_request_transitioned"),
    Subscription("pembinaan", PEMBINAAN_ACTIVITY_DOCUMENTED, "pembinaan",
                 "on_activity_documented"),
)
