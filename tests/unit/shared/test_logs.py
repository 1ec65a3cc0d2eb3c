"""Finding 6 of the security review: no NIK or phone number reaches a log, wherever in the
record it is (the message, an exception's text, its traceback) and however it is written
(URL-encoded, with separators), nor in what a library prints to stderr itself."""
from __future__ import annotations

import io
import logging

import pytest

from services.shared.platform.logs import MaskingFormatter, MaskingStream, mask

NIK = "3528015403950001"


def formatted(record_from) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(MaskingFormatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("test_logs")
    logger.handlers[:] = [handler]
    logger.propagate = False
    try:
        record_from(logger)
    finally:
        logger.handlers[:] = []
    return stream.getvalue()


def test_the_exception_text_and_traceback_are_masked():
    def log_a_failure(logger):
        try:
            raise ValueError(f"NIK {NIK} does not match phone +6281234567890")
        except ValueError:
            logger.exception("saving the profile failed")

    text = formatted(log_a_failure)
    assert "Traceback" in text and "ValueError" in text
    assert NIK not in text and "81234567890" not in text
    assert "[nik]" in text and "[phone]" in text


def test_the_stack_and_the_arguments_are_masked():
    text = formatted(lambda logger: logger.warning("for %s", {"nik": NIK}, stack_info=True))
    assert NIK not in text and "Stack (most recent call last)" in text


@pytest.mark.parametrize("phone", ["081234567890", "+6281234567890", "%2B6281234567890",
                                   "%2b6281234567890", "6281234567890", "0812-3456-7890",
                                   "0812 3456 7890", "0812%203456%207890", "+62 812-3456-7890",
                                   "0812.3456.789"])
def test_phone_numbers_are_masked_however_written(phone):
    line = f"GET /api/v1/x?phone={phone}&page=2 HTTP/1.1"
    assert mask(line) == "GET /api/v1/x?phone=[phone]&page=2 HTTP/1.1"


def test_what_is_not_personal_data_stays():
    for text in ("page=2&per_page=50", "took 0.081234 s", "id 2026-11-01T08:00:00+07:00",
                 "sha256 3528a0b1c2", "port 8000", "12345678901234567"):
        assert mask(text) == text


def test_what_a_library_prints_itself_is_masked_line_by_line():
    target = io.StringIO()
    stream = MaskingStream(target)
    stream.write("Traceback: nik=3528015403")
    stream.write("950001 phone=08123")  # a value split over two writes
    stream.write("4567890\nnext line")
    assert target.getvalue() == "Traceback: nik=[nik] phone=[phone]\n"
    stream.flush()
    assert target.getvalue().endswith("next line")


def test_a_log_line_is_masked_by_its_formatter_and_not_once_more(monkeypatch):
    # Issue 8: the gateway writes an access line per request. The JSON formatter masks the
    # message and then the whole line; the stream under it masks only what others print.
    from services.shared.platform import logs

    stdout, stderr = io.StringIO(), io.StringIO()
    monkeypatch.setattr("sys.stdout", stdout)
    monkeypatch.setattr("sys.stderr", stderr)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    passes = []
    real_mask = logs.mask
    monkeypatch.setattr(logs, "mask", lambda text: passes.append(text) or real_mask(text))
    try:
        logs.configure_logging()
        logging.getLogger("test_logs_once").info("saved for 0812-3456-7890, NIK %s", NIK)
        print("a library prints 0812-3456-7890", file=__import__("sys").stderr)
    finally:
        root.handlers[:], root.level = handlers, level
    lines = stderr.getvalue().splitlines()
    assert len(lines) == 2 and "[phone]" in lines[0] and "[nik]" in lines[0]
    assert lines[1] == "a library prints [phone]"
    assert "3456" not in stderr.getvalue() and NIK not in stderr.getvalue()
    # The log line: its message, then the encoded line; the printed line: once.
    assert len(passes) == 3
