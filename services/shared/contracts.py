"""Contracts between services: event payload schemas and who subscribes to what.

Both ends load a payload with the same schema. The subscription list is the one place that
names every consumer queue: the outbox relay declares these queues before it publishes, so an
event published before its consumer ever started is kept, not dropped (nameko's default).
"""
from __future__ import annotations

from dataclasses import dataclass

import marshmallow as ma

APPLICATION_SUBMITTED = "application_submitted"
PROFILE_UPDATED = "profile_updated"
ADMINISTRATIVE_DECIDED = "administrative_decided"


class StatementsSnapshot(ma.Schema):
    healthy = ma.fields.Boolean(required=True)
    disciplined = ma.fields.Boolean(required=True)
    willing_contract = ma.fields.Boolean(required=True)
    willing_training = ma.fields.Boolean(required=True)
    literate = ma.fields.Boolean(required=True)


class ProfileSnapshot(ma.Schema):
    nik = ma.fields.String(required=True)
    full_name = ma.fields.String(required=True)
    sex = ma.fields.String(required=True)
    birth_date = ma.fields.Date(required=True)
    phone = ma.fields.String(required=True)
    email = ma.fields.String(required=True)
    address = ma.fields.String(required=True)
    kecamatan_code = ma.fields.String(required=True)
    kecamatan_name = ma.fields.String(required=True)
    domicile_regency_code = ma.fields.String(required=True)
    domicile_regency_name = ma.fields.String(required=True)
    education = ma.fields.String(required=True)
    occupation = ma.fields.String(required=True)
    is_asn = ma.fields.Boolean(required=True)
    has_other_institution_contract = ma.fields.Boolean(required=True)
    has_bps_experience = ma.fields.Boolean(required=True)
    has_capi_experience = ma.fields.Boolean(required=True)
    owns_smartphone = ma.fields.Boolean(required=True)
    can_use_computer = ma.fields.Boolean(required=True)
    can_ride_motorbike = ma.fields.Boolean(required=True)
    statements = ma.fields.Nested(StatementsSnapshot, required=True)


class DocumentSnapshot(ma.Schema):
    kind = ma.fields.String(required=True)
    sha256 = ma.fields.String(required=True)
    size = ma.fields.Integer(required=True)
    content_type = ma.fields.String(required=True)


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
    profile = ma.fields.Nested(ProfileSnapshot, required=True)
    documents = ma.fields.List(ma.fields.Nested(DocumentSnapshot), required=True)


class ProfileUpdatedPayload(ma.Schema):
    """The candidate changed the profile or a document: the current data, for the reviews
    still open (a needs_confirmation review goes back to pending)."""

    account_id = ma.fields.String(required=True)
    updated_at = ma.fields.AwareDateTime(required=True)
    data_version = ma.fields.Integer(required=True)  # higher = newer; events may overtake
    profile = ma.fields.Nested(ProfileSnapshot, required=True, allow_none=True)
    documents = ma.fields.List(ma.fields.Nested(DocumentSnapshot), required=True)


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


PAYLOAD_SCHEMAS = {APPLICATION_SUBMITTED: ApplicationSubmittedPayload,
                   PROFILE_UPDATED: ProfileUpdatedPayload,
                   ADMINISTRATIVE_DECIDED: AdministrativeDecidedPayload}


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
)


def subscriptions_of_producer(producer: str) -> list[Subscription]:
    return [s for s in SUBSCRIPTIONS if s.producer == producer]


def subscription_for(consumer: str, handler: str) -> Subscription:
    for subscription in SUBSCRIPTIONS:
        if subscription.consumer == consumer and subscription.handler == handler:
            return subscription
    raise LookupError(f"{consumer}.{handler} is not in contracts.SUBSCRIPTIONS")
