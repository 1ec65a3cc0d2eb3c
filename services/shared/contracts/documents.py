"""How an uploaded file is judged: by its bytes, never by the Content-Type header, and a PDF
that would act when opened is refused (``pdf_active_content``). Pure, for every service's
domain: registration's candidate documents and pembinaan's evidence files are judged alike.

A declared type that is not allowed -> UnsupportedContent (415); bytes of another format
than declared, or of none allowed -> UnsupportedContent; too large -> TooLarge (413); empty ->
InvalidInput (422)."""
from __future__ import annotations

import re
import zlib

import filetype

from services.shared.contracts.errors import InvalidInput, TooLarge, UnsupportedContent

# Each format's own signature. filetype checks fewer bytes than this for PNG ("\x89PNG")
# and PDF ("%PDF"), so these are checked too.
SIGNATURES: dict[str, bytes] = {
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
    "application/pdf": b"%PDF-",
}
# An animated PNG is a PNG (same signature); filetype names it separately.
_ALIASES: dict[str, str] = {"image/apng": "image/png"}


def media_type(content_type: str | None) -> str | None:
    """The media type without parameters, lower case ("Image/JPEG; x=y" -> "image/jpeg")."""
    if not isinstance(content_type, str):
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def detect(data: bytes) -> str | None:
    """The media type of the bytes (JPEG, PNG or PDF), or None."""
    kind = filetype.guess(bytes(data[:8192]))
    if kind is None:
        return None
    mime = _ALIASES.get(kind.mime, kind.mime)
    signature = SIGNATURES.get(mime)
    if signature is None or not data.startswith(signature):
        return None
    return mime


def judge_bytes(data: bytes, declared_content_type: str | None, allowed: tuple[str, ...],
                max_bytes: int) -> str:
    """The content type of an upload judged from its bytes, or the refusal (see module)."""
    if len(data) > max_bytes:
        raise TooLarge(f"The file is larger than the limit of {max_bytes} bytes.")
    if not data:
        raise InvalidInput({"file": ["The file is empty."]})
    declared = media_type(declared_content_type)
    if declared is not None and declared not in allowed:
        raise UnsupportedContent(f"Content-Type {declared} is not allowed; use one of "
                                 f"{', '.join(allowed)}.")
    detected = detect(data)
    if detected is None or detected not in allowed:
        raise UnsupportedContent(f"The file content is not one of {', '.join(allowed)}.")
    if declared is not None and detected != declared:
        raise UnsupportedContent(
            f"The file content is {detected}, but the Content-Type says {declared}.")
    if detected == "application/pdf" and (active := pdf_active_content(bytes(data))):
        raise UnsupportedContent(
            f"A PDF that acts when opened is not accepted (it has /{active.lstrip('/')}); "
            "print it to a new PDF or scan it again.")
    return detected


# PDF names that make a document act: run script, launch, post or import data, carry files or
# media, or act on a page or field event (/AA). /OpenAction is refused unless it is a plain
# destination (``/OpenAction [3 0 R /Fit]``, what office suites write to set the first view).
_ACTIVE_NAMES = frozenset({b"JavaScript", b"JS", b"Launch", b"SubmitForm", b"ImportData",
                           b"RichMedia", b"EmbeddedFile", b"EmbeddedFiles", b"AA", b"GoToE"})
_NAME = re.compile(rb"/([^\s/\[\]()<>{}%]+)")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
_INFLATED_MAX = 32 * 1024 * 1024  # what compressed streams may expand to, in all


def _names(data: bytes):
    for match in _NAME.finditer(data):
        yield _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1)), \
            match.end()


def _active_in(data: bytes) -> str | None:
    for name, end in _names(data):
        if name in _ACTIVE_NAMES:
            return name.decode()
        if name == b"OpenAction" and not data[end:end + 64].lstrip().startswith(b"["):
            return "OpenAction"
    return None


def pdf_active_content(data: bytes) -> str | None:
    """The first PDF name that makes the document act (see ``_ACTIVE_NAMES``), in the file
    or in its compressed streams (object streams hide dictionaries there), else ``None``.
    A name written with ``#xx`` escapes (``/J#61vaScript``) is the name it spells."""
    found = _active_in(data)
    if found:
        return found
    budget = _INFLATED_MAX
    for match in _STREAM.finditer(data):
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(match.group(1), budget)
        except zlib.error:
            continue  # not Flate (an image, say): nothing a reader would parse as objects
        budget -= len(inflated)
        if (found := _active_in(inflated)) or budget <= 0:
            return found or "a compressed stream too large to check"
    return None
