"""The log as the platform keeps it: leaves written with the facts, sequenced, signed heads,
proofs that verify against them."""

import pytest

from eguarantee.evidence import merkle, selectors, services, signing, tree
from eguarantee.evidence.models import Entry, TreeHead
from eguarantee.evidence.testing import issue

pytestmark = pytest.mark.django_db


def test_issuing_a_guarantee_leaves_every_fact_in_the_log_and_the_proof_verifies(ready, log_key):
    guarantee = issue(ready)
    kinds = list(Entry.objects.filter(subject_id=guarantee.pk).order_by("id").values_list("kind", flat=True))
    assert kinds.count("guarantee.event") == 8  # create, attach, submit, accept, approve, payment, issue, file
    assert kinds.count("guarantee.state") == 8
    assert "guarantee.document" in kinds and "guarantee.attachment" in kinds
    head = services.publish_head()
    assert head.size == Entry.objects.count() and not Entry.objects.filter(index__isnull=True).exists()
    signing.verify(log_key.public, services.head_of(head).body(), bytes(head.signature))
    document = selectors.entries_of("guarantee.document", guarantee.versions.get().pk).get()
    found, path, confirmed = selectors.proof(document)
    assert found == head and not confirmed  # no witness has co-signed yet
    h = tree.hasher()
    merkle.verify_inclusion(h, document.index, head.size, h.leaf(document.data.encode()), path, bytes(head.root))
    assert guarantee.document_sha256 in document.data and guarantee.number in document.data


def test_a_head_is_signed_only_when_the_tree_grew(ready, log_key):
    issue(ready)
    first = services.publish_head()
    assert services.publish_head() == first
    assert TreeHead.objects.count() == 1
