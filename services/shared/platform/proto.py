"""protobuf <-> dict with the API's own field names (proto fields are named as in API.md)."""
from __future__ import annotations

from datetime import date, datetime

from google.protobuf import json_format

from services.shared.contracts.errors import InvalidInput


def to_dict(message) -> dict:
    return json_format.MessageToDict(message, preserving_proto_field_name=True,
                                     always_print_fields_with_no_presence=True)


def from_dict(data: dict, message_class):
    return json_format.ParseDict(data, message_class(), ignore_unknown_fields=False)


def parse_date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidInput({field: ["Use a date as YYYY-MM-DD."]}) from None


def parse_aware_datetime(value: str, field: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidInput({field: ["Use an ISO 8601 date-time with offset."]}) from None
    if parsed.tzinfo is None:
        raise InvalidInput({field: ["Give the time zone offset, e.g. +07:00."]})
    return parsed
