"""The pakta integritas opens only to a candidate finally accepted and announced; every other
kind is open at any time."""
from __future__ import annotations

import pytest

from services.registration.domain.documents import PAKTA_INTEGRITAS, check_upload_open
from services.registration.domain.errors import PaktaIntegritasNotOpen
from services.shared.contracts.errors import Conflict
from services.shared.contracts.vocabulary import DOCUMENT_KINDS
from services.shared.platform.problems import status_of


def test_the_pakta_integritas_is_refused_before_an_announced_acceptance():
    with pytest.raises(PaktaIntegritasNotOpen) as refused:
        check_upload_open(PAKTA_INTEGRITAS, accepted_announced=False)
    assert isinstance(refused.value, Conflict) and status_of(refused.value).http == 409
    assert refused.value.code() == "pakta_integritas_not_open"
    assert "setelah pengumuman" in refused.value.detail
    assert "after the announcement" in refused.value.detail


def test_the_pakta_integritas_opens_after_an_announced_acceptance():
    check_upload_open(PAKTA_INTEGRITAS, accepted_announced=True)


@pytest.mark.parametrize("kind", sorted(set(DOCUMENT_KINDS) - {PAKTA_INTEGRITAS}))
def test_every_other_kind_is_open_whatever_the_announcement(kind):
    for accepted_announced in (False, True):
        check_upload_open(kind, accepted_announced)


def test_the_rule_names_the_vocabulary_kind():
    assert PAKTA_INTEGRITAS in DOCUMENT_KINDS
