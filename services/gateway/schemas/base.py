"""What every area's schemas are built from: the strict field types, the base ``Schema``
(unknown fields -> 422), and the bodies every area shares (the problem, the empty body).
Field names are the HTTP contract's. Validated values stay as the client wrote them (a date
is still its string) and travel as such to the service, which parses them once; the
enumerations come from the shared contracts, never re-declared here."""
from __future__ import annotations

import re
from datetime import date, datetime

import marshmallow as ma
from marshmallow import fields, validate

SATKER_CODE = validate.Regexp(r"^\d{4}$", error="Use the 4-digit BPS satker code.")


class StrictBoolean(fields.Boolean):
    """JSON true/false only: "yes", 1 or "true" are a client bug, not a boolean."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class StrictInteger(fields.Integer):
    """JSON integers only: no strings, no booleans, no 1.5."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


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


class Schema(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class EmptyBody(Schema):
    """Booking, applying and the like take ``{}`` (or no body)."""


class Problem(Schema):
    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    code = fields.String(metadata={"description": "the refusal's stable name, e.g. quota_full"})
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
