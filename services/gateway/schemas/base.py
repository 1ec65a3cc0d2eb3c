"""What every area's schemas are built from: the strict field types, the base ``Schema``
(unknown fields -> 422), and the bodies every area shares (the problem, the empty body).
Field names are the HTTP contract's. Validated values stay as the client wrote them (a date
is still its string) and travel as such to the service, which parses them once; the
enumerations come from the shared contracts, never re-declared here.

Two rules hold for every schema, once, here: an integer is bounded (32-bit at most, tighter
where the field says; the bounds are in the OpenAPI document), and no text anywhere in a body
or a query (a value, a key, inside lists and nested objects) holds NUL or another control
character but tab and newline, or an unpaired surrogate (``"\\ud800"``): -> 422 on the field."""
from __future__ import annotations

import re
from datetime import date, datetime

import marshmallow as ma
from marshmallow import fields, validate

SATKER_CODE = validate.Regexp(r"^\d{4}$", error="Use the 4-digit BPS satker code.")

INT32_MIN, INT32_MAX = -2**31, 2**31 - 1
PAGE_MAX = 1_000_000  # so that (page - 1) * per_page stays within 32 bits
PER_PAGE_MAX = 200

# Control characters but tab (\x09) and newline (\x0a), and unpaired surrogates.
FORBIDDEN_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
# The same rule as the OpenAPI document states it (JSON Schema cannot name a lone surrogate).
TEXT_PATTERN = "^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f]*$"
FORBIDDEN_TEXT_MESSAGE = ("Remove control characters (only tab and newline are allowed) and "
                          "unpaired surrogates.")


class StrictBoolean(fields.Boolean):
    """JSON true/false only: "yes", 1 or "true" are a client bug, not a boolean."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


def _bounded(kwargs: dict, minimum: int, maximum: int) -> dict:
    if not INT32_MIN <= minimum <= maximum <= INT32_MAX:
        raise ValueError(f"bounds {minimum}..{maximum} are not within 32 bits")
    given = kwargs.get("validate") or []
    given = [given] if callable(given) else list(given)
    return {**kwargs, "validate": [validate.Range(min=minimum, max=maximum), *given]}


class StrictInteger(fields.Integer):
    """JSON integers only: no strings, no booleans, no 1.5; within ``minimum``..``maximum``
    (32-bit unless the field says tighter, e.g. ``StrictInteger(minimum=1, maximum=200)``;
    a ``validate=Range(...)`` narrows further, and the OpenAPI document says the result)."""

    def __init__(self, minimum: int = INT32_MIN, maximum: int = INT32_MAX, **kwargs):
        super().__init__(strict=True, **_bounded(kwargs, minimum, maximum))

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class QueryInteger(fields.Integer):
    """An integer in a query string (``?page=2``), bounded as ``StrictInteger``."""

    def __init__(self, minimum: int = INT32_MIN, maximum: int = INT32_MAX, **kwargs):
        super().__init__(**_bounded(kwargs, minimum, maximum))

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not re.fullmatch(r"[+-]?\d{1,12}", value):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


def page() -> QueryInteger:
    return QueryInteger(minimum=1, maximum=PAGE_MAX, load_default=1,
                        metadata={"description": "from 1; a page past the last one is empty"})


def per_page() -> QueryInteger:
    return QueryInteger(minimum=1, maximum=PER_PAGE_MAX, load_default=50)


class _IsoText(fields.String):
    """A date or date-time in its ISO form: checked here, handed on to the service as
    written (the service parses it, once)."""

    openapi_format: str
    _FORM: re.Pattern

    def __init__(self, **kwargs):
        kwargs["metadata"] = {"format": self.openapi_format, **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    @staticmethod
    def _readable(text: str) -> bool:
        raise NotImplementedError

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            if not (self._FORM.fullmatch(text) and self._readable(text)):
                raise ValueError
        except ValueError:
            raise self.make_error("invalid_iso") from None
        return text


class IsoDate(_IsoText):
    """A date as ``YYYY-MM-DD``."""

    openapi_format = "date"
    default_error_messages = {"invalid_iso": "Use a date as YYYY-MM-DD."}
    _FORM = re.compile(r"\d{4}-\d{2}-\d{2}")

    @staticmethod
    def _readable(text: str) -> bool:
        return date.fromisoformat(text) is not None


class IsoDateTime(_IsoText):
    """An ISO 8601 date-time with its offset (``2026-11-01T08:00:00+07:00``, or ``Z``)."""

    openapi_format = "date-time"
    default_error_messages = {
        "invalid_iso": "Use an ISO 8601 date-time with offset, e.g. "
                       "2026-11-01T08:00:00+07:00."}
    _FORM = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
                       r"(Z|[+-]\d{2}(:?\d{2})?)")

    @staticmethod
    def _readable(text: str) -> bool:
        return datetime.fromisoformat(text).tzinfo is not None


def text(max_length: int, required: bool = True, **kwargs) -> fields.String:
    return fields.String(required=required, validate=validate.Length(min=1, max=max_length),
                         **kwargs)


def forbidden_text(value):
    """Where ``value`` (parsed JSON or a query's dict) holds forbidden text, as marshmallow's
    error messages are nested (field -> messages, list index -> ...); ``None`` if nowhere."""
    if isinstance(value, str):
        return [FORBIDDEN_TEXT_MESSAGE] if FORBIDDEN_TEXT.search(value) else None
    if isinstance(value, dict):
        errors = {}
        for key, item in value.items():
            if isinstance(key, str) and FORBIDDEN_TEXT.search(key):
                errors[FORBIDDEN_TEXT.sub("?", key)] = ["Remove control characters and "
                                                        "unpaired surrogates from this name."]
            elif (found := forbidden_text(item)) is not None:
                errors[key] = found
        return errors or None
    if isinstance(value, list):
        errors = {index: found for index, item in enumerate(value)
                  if (found := forbidden_text(item)) is not None}
        return errors or None
    return None


class Schema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    @ma.pre_load
    def _refuse_forbidden_text(self, data, **kwargs):
        errors = forbidden_text(data)
        if errors is not None:
            raise ma.ValidationError(errors if isinstance(errors, dict) else {"_schema": errors})
        return data


class EmptyBody(Schema):
    """Booking, applying and the like take ``{}`` (or no body)."""


# A field's messages, or (a nested object, a list's items by index, a dict's keys) an object
# of the same kind again.
FIELD_ERRORS = {"oneOf": [{"type": "array", "items": {"type": "string"}},
                          {"type": "object", "additionalProperties": True}]}


class Problem(Schema):
    class Meta:
        unknown = ma.INCLUDE  # a refusal may carry more (RFC 9457 extension members)

    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    code = fields.String(metadata={"description": "the refusal's stable name, e.g. quota_full"})
    errors = fields.Dict(keys=fields.String(), values=fields.Raw(metadata=FIELD_ERRORS),
                         metadata={"description": (
                             "on 422: field -> list of messages; for a nested object, a "
                             "list (by index) or a dict (by key), an object of the same kind "
                             "instead of the list, e.g. {\"statements\": {\"healthy\": "
                             "[\"...\"]}} or {\"items\": {\"0\": {\"text\": [\"...\"]}}}")})
