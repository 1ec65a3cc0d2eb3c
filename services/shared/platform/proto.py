"""protobuf <-> Python values, once at each service's edge (proto fields are named as in
the HTTP API). Times travel as ISO 8601 strings with offset, dates as ``YYYY-MM-DD``; an optional
field that is absent is ``None`` on the Python side and an unset field on the wire.

- ``to_proto(value, Message)``: a use case's result (a dataclass or a dict, nested as the
  message is) as the reply message; ``date``/``datetime`` become ISO strings, ``None``s are
  left unset.
- ``from_proto(request, dates=..., datetimes=...)``: the request as a dict of Python values,
  the named fields parsed (a bad one refused as InvalidInput with the field's name);
  optional fields that are absent are ``None``.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date, datetime

from google.protobuf import json_format

from services.shared.contracts.errors import InvalidInput

MAX_PER_PAGE = 200  # the HTTP API: lists take ?per_page= up to 200
DEFAULT_PER_PAGE = 50


def to_dict(message) -> dict:
    return json_format.MessageToDict(message, preserving_proto_field_name=True,
                                     always_print_fields_with_no_presence=True)


def from_dict(data: dict, message_class):
    """The message of ``data``; a value the message cannot hold (an integer past its field's
    bounds, a lone surrogate, a wrong type) is the client's error (422), never a 500: the
    gateway's schemas refuse these first, this is the last line behind them."""
    try:
        return json_format.ParseDict(data, message_class(), ignore_unknown_fields=False)
    except json_format.ParseError as error:
        raise InvalidInput({"_schema": [f"A value does not fit: {error}"]}) from None


def _wire(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {key: _wire(item) for key, item in value.items() if item is not None}
    if isinstance(value, (list, tuple)):
        return [_wire(item) for item in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def to_proto(value, message_class):
    """The reply message of a use case's result; see module docstring."""
    wire = _wire(value)
    # JSON carries bytes as base64: the message's own bytes fields are set as they are.
    content = {name: wire.pop(name) for name in list(wire)
               if isinstance(wire[name], (bytes, bytearray))}
    # a reply that does not fit its message is this service's bug (a 500), not the client's
    message = json_format.ParseDict(wire, message_class(), ignore_unknown_fields=False)
    for name, data in content.items():
        setattr(message, name, bytes(data))
    return message


def from_proto(message, dates: Iterable[str] = (), datetimes: Iterable[str] = ()) -> dict:
    """The request's fields as Python values; see module docstring."""
    data = to_dict(message)
    for field in message.DESCRIPTOR.fields:
        if field.has_presence and field.name in data and not message.HasField(field.name):
            data[field.name] = None
        data.setdefault(field.name, None)
        if field.type == field.TYPE_BYTES and not field.is_repeated:
            data[field.name] = getattr(message, field.name)  # the bytes, not base64
    for name in dates:
        if data.get(name) is not None:
            data[name] = parse_date(data[name], name)
    for name in datetimes:
        if data.get(name) is not None:
            data[name] = parse_aware_datetime(data[name], name)
    return data


def page_bounds(page: int, per_page: int) -> tuple[int, int]:
    """A list request's page (from 1) and page size (1..MAX_PER_PAGE, unset = default)."""
    return max(page, 1), min(max(per_page, 1), MAX_PER_PAGE) if per_page else DEFAULT_PER_PAGE


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
