"""Test fixtures of the evidence module (a pytest plugin, see the root conftest.py)."""

from decimal import Decimal

import pytest
from django.db import connection

from eguarantee.guarantees import services as guarantees
from eguarantee.guarantees.testing import apply

from . import audit_chain, services
from .signing import KeyPair


def issue(ready, **overrides):
    """An application taken through review and payment to issue, by the services."""
    users = ready["users"]
    guarantee = apply(ready, **overrides)
    guarantees.submit(guarantee, actor=users["applicant_operator"])
    guarantees.accept(guarantee, actor=users["guarantor_reviewer"])
    guarantees.approve(guarantee, actor=users["guarantor_reviewer"], rate=Decimal("0.6000"))
    guarantees.confirm_payment(guarantee, actor=users["guarantor_reviewer"], reference="网银20261128001")
    return guarantees.issue(guarantee, actor=users["guarantor_reviewer"])


@pytest.fixture
def log_key(settings, tmp_path):
    """A fresh tree-head signing key for the test."""
    from . import keys

    pair = KeyPair.generate()
    settings.EVIDENCE_SIGNING_KEY = pair.to_hex()
    keys.clear_cache()
    yield pair
    keys.clear_cache()


@pytest.fixture
def witnesses(db, log_key, settings):
    """Two registered witnesses (their key pairs by name); a head needs both."""
    settings.EVIDENCE_QUORUM = 2
    pairs = {name: KeyPair.generate() for name in ("xm-zjj", "fj-jtt")}
    for name, pair in pairs.items():
        services.register_witness(name=name, public_key=pair.public_hex)
    return pairs


def raw(sql, *params):
    """Change the database behind the platform's back, as tampering would."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def logged(ready, log_key):
    """An issued guarantee, the audit chains checkpointed, and a signed head over all of it."""
    guarantee = issue(ready)
    audit_chain.checkpoint()
    services.publish_head()
    return guarantee
