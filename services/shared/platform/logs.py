"""Logging set-up shared by every process, with a last line of defence for personal data:
16-digit runs (a NIK) and Indonesian phone numbers are masked before a record is written."""
from __future__ import annotations

import logging
import re

_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
_PHONE = re.compile(r"(?<![\w+])(\+?62|0)8\d{7,11}(?!\d)")


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = _PHONE.sub("[phone]", _NIK.sub("[nik]", message))
        if masked != message:
            record.msg, record.args = masked, ()
        return True


class ExpectedRefusalFilter(logging.Filter):
    """nameko logs an expected exception (a 4xx refusal) with its traceback; the gRPC wrapper
    already logged one line for it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name == "nameko.containers"
                    and str(record.msg).startswith("(expected)"))


def configure_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(ExpectedRefusalFilter())
    handler.addFilter(PersonalDataFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
