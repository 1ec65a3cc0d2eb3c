"""Logging set-up shared by every process, with a last line of defence for personal data:
16-digit runs (a NIK) and Indonesian phone numbers (``08...``, ``+62 8...``, URL-encoded
``%2B628...``, with ``-``/``.``/space/``%20`` between digits) are masked in the whole formatted
record (the message, the exception's text and traceback, the stack), and in anything else a
process writes to its stdout or stderr (a traceback printed by a library, the web server's
access line with its query string).

Every process logs one JSON object a line (``JsonFormatter``): ``time``, ``level``, ``logger``,
``message``, ``correlation_id`` (the id bound by ``services.shared.platform.correlation``, or
null), and ``exception`` / ``stack`` when there is one. ``LOG_FORMAT=text`` gives the plain
one-line format instead (a developer's terminal). Masking applies to each field before it is
encoded and to the encoded line again."""
from __future__ import annotations

import io
import json
import logging
import os
import re
import sys
from datetime import UTC, datetime

from services.shared.platform import correlation

_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
_SEPARATOR = r"(?:[-. ]|%20)?"
_PHONE = re.compile(r"(?:(?:\+|%2[bB])(?:62|0)|(?<![\w%])(?:62|0))" + _SEPARATOR
                    + r"8(?:" + _SEPARATOR + r"\d){7,11}(?!\d)")


def mask(text: str) -> str:
    """The text with every NIK and phone number replaced by ``[nik]`` / ``[phone]``."""
    return _PHONE.sub("[phone]", _NIK.sub("[nik]", text))


class PersonalDataFilter(logging.Filter):
    """Masks a record's message for handlers that do not use ``MaskingFormatter``."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


class MaskingFormatter(logging.Formatter):
    """Masks the formatted record as written: message, exception text, stack."""

    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))


class CorrelationFilter(logging.Filter):
    """Puts the bound correlation id on every record (``%(correlation_id)s``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "correlation_id"):
            record.correlation_id = correlation.current()
        return True


class JsonFormatter(MaskingFormatter):
    """One JSON object a line; every text field masked before it is encoded (an escaped
    newline before a phone number would hide it from the line-wide pattern), and the encoded
    line masked again."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask(record.getMessage()),
            "correlation_id": getattr(record, "correlation_id", None) or correlation.current(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = mask(record.exc_text)
        if record.stack_info:
            entry["stack"] = mask(self.formatStack(record.stack_info))
        return mask(json.dumps(entry, ensure_ascii=False, default=str))


class MaskingStream(io.TextIOBase):
    """A text stream that masks whole lines before they reach ``stream`` (what is not yet a
    whole line waits for its newline or ``flush``, so a value split over two writes is still
    seen whole)."""

    def __init__(self, stream):
        super().__init__()
        self._stream = stream
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        if "\n" in self._pending:
            lines, self._pending = self._pending.rsplit("\n", 1)
            self._stream.write(mask(lines + "\n"))
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._stream.write(mask(self._pending))
            self._pending = ""
        self._stream.flush()

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._stream.fileno()

    def isatty(self) -> bool:
        return self._stream.isatty()

    @property
    def encoding(self):
        return getattr(self._stream, "encoding", "utf-8")

    def __getattr__(self, name):  # buffer, errors, ...: the wrapped stream's
        return getattr(self._stream, name)


class ExpectedRefusalFilter(logging.Filter):
    """nameko logs an expected exception (a 4xx refusal) with its traceback; the gRPC wrapper
    already logged one line for it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name == "nameko.containers"
                    and str(record.msg).startswith("(expected)"))


def configure_logging(level: int = logging.INFO) -> None:
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if not isinstance(stream, MaskingStream):
            setattr(sys, name, MaskingStream(stream))
    # The formatters below mask the whole formatted line: the handler writes it to the
    # stream under the masking one (a third pass over every line, the gateway's access line
    # on every request, would find nothing more). Other writers still go through it.
    handler = logging.StreamHandler(sys.stderr._stream)
    if os.environ.get("LOG_FORMAT", "json").strip().lower() == "text":
        handler.setFormatter(MaskingFormatter(
            "%(asctime)s %(levelname)s %(name)s [%(correlation_id)s]: %(message)s"))
    else:
        handler.setFormatter(JsonFormatter())
    handler.addFilter(ExpectedRefusalFilter())
    handler.addFilter(CorrelationFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
