"""Finding 8 of the security review: a PDF that acts when opened (the one accepted had an
/OpenAction running JavaScript) is refused at upload; an ordinary scan, or an office suite's
"open at this page" destination, is not."""
from __future__ import annotations

import zlib

import pytest

from services.registration.domain.documents import judge_upload
from services.registration.domain.errors import DocumentTypeMismatch
from services.shared.contracts.documents import pdf_active_content

LIMIT = 10 * 1024 * 1024


def pdf(*objects: bytes) -> bytes:
    body = b"".join(b"%d 0 obj\n%s\nendobj\n" % (n, o) for n, o in enumerate(objects, 1))
    return b"%PDF-1.7\n" + body + b"trailer << /Root 1 0 R >>\n%%EOF\n"


def stream(content: bytes) -> bytes:
    packed = zlib.compress(content)
    return b"<< /Type /ObjStm /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (
        len(packed), packed)


ACTIVE = {
    "OpenAction running JavaScript": pdf(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"),
    "OpenAction by reference": pdf(b"<< /Type /Catalog /OpenAction 3 0 R >>", b"<< >>",
                                   b"<< /S /URI /URI (http://example.com) >>"),
    "a name in #xx escapes": pdf(b"<< /Type /Catalog /Names << /J#61vaScript 3 0 R >> >>"),
    "page event actions": pdf(b"<< /Type /Page /AA << /O 4 0 R >> >>"),
    "launching a program": pdf(b"<< /S /Launch /F (cmd.exe) >>"),
    "an embedded file": pdf(b"<< /Type /Catalog /Names << /EmbeddedFiles 2 0 R >> >>"),
    "hidden in a compressed object stream": pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        stream(b"3 0 << /S /JavaScript /JS (this.print()) >>")),
}
INERT = {
    "a plain scan": pdf(b"<< /Type /Catalog /Pages 2 0 R >>",
                        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                        b"<< /Type /Page /Contents 4 0 R >>",
                        stream(b"BT /F1 12 Tf (Ijazah) Tj ET")),
    "open at a destination": pdf(b"<< /Type /Catalog /OpenAction [3 0 R /XYZ null null 0] >>"),
    "the word JavaScript as text": pdf(stream(b"BT (JavaScript) Tj ET")),
}


@pytest.mark.parametrize("name", ACTIVE)
def test_a_pdf_that_acts_when_opened_is_refused(name):
    data = ACTIVE[name]
    assert pdf_active_content(data)
    with pytest.raises(DocumentTypeMismatch) as refused:
        judge_upload(data, "application/pdf", LIMIT)
    assert "acts when opened" in str(refused.value)


@pytest.mark.parametrize("name", INERT)
def test_an_ordinary_pdf_is_accepted(name):
    assert pdf_active_content(INERT[name]) is None
    assert judge_upload(INERT[name], "application/pdf", LIMIT) == "application/pdf"
