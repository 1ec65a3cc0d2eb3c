"""The gateway's bodies of the pembinaan statistik sektoral routes (routes/pembinaan.py)."""
from __future__ import annotations

from marshmallow import fields, validate

from services.gateway.schemas.base import Schema

KL_COUNT = validate.Range(min=1, max=1000)  # K/L of one pembinaan meeting
class BudgetQuery(Schema):
    kl_count = fields.Integer(required=True, validate=KL_COUNT,
                              metadata={"description": "the K/L of the meeting"})


class FulldayBreakdownOut(Schema):
    walidata = fields.Integer()
    produsen_data = fields.Integer()
    tim_pembina = fields.Integer()
    pimpinan_bps = fields.Integer()
    narasumber = fields.Integer()
    pendukung = fields.Integer()


class FulldayBudgetOut(Schema):
    participants = fields.Integer()
    breakdown = fields.Nested(FulldayBreakdownOut)


class TransportBudgetOut(Schema):
    trips = fields.Integer()
