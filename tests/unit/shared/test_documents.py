"""The shared judge of uploads (services/shared/contracts/documents.py), as pembinaan's
establishment and evidence files use it: bytes decide the type, and a PDF that acts when
opened is refused like a candidate's document."""
from __future__ import annotations

import pytest

from services.shared.contracts.documents import judge_bytes
from services.shared.contracts.errors import UnsupportedContent
from tests.unit.registration.test_pdf_active_content import pdf

PDF_ONLY = ("application/pdf",)


def test_a_plain_pdf_is_taken():
    plain = pdf(b"<< /Type /Catalog /Pages 2 0 R >>")
    assert judge_bytes(plain, "application/pdf", PDF_ONLY, 1 << 20) == "application/pdf"


def test_a_pdf_running_javascript_is_refused():
    active = pdf(b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript "
                 b"/JS (app.alert(1)) >> >>")
    with pytest.raises(UnsupportedContent, match="acts when opened"):
        judge_bytes(active, "application/pdf", PDF_ONLY, 1 << 20)
