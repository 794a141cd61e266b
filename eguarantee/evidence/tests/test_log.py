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


def test_a_root_and_proofs_cost_one_query_of_at_most_two_log_n_hashes(ready, log_key, django_assert_num_queries):
    issue(ready)
    head = services.publish_head()
    n = head.size
    with django_assert_num_queries(1):
        assert tree.root(n) == bytes(head.root)
    with django_assert_num_queries(1):
        path = tree.inclusion_proof(n // 2, n)
    assert len(path) <= n.bit_length() and len(merkle.inclusion_nodes(n // 2, n)) <= 2 * n.bit_length()
    with django_assert_num_queries(1):
        tree.consistency_proof(3, n)


def test_a_sha256_deployment_has_the_same_roots_as_pymerkle(ready, log_key, settings):
    from pymerkle import InmemoryTree

    settings.EVIDENCE_HASH = "sha256"
    issue(ready)
    head = services.publish_head()
    reference = InmemoryTree(algorithm="sha256")
    for data in Entry.objects.order_by("index").values_list("data", flat=True):
        reference.append_entry(data.encode())
    assert reference.get_root() == bytes(head.root)


def test_the_hash_cannot_change_once_the_log_has_leaves(ready, log_key, settings):
    issue(ready)
    services.publish_head()
    settings.EVIDENCE_HASH = "sha256"
    with pytest.raises(RuntimeError, match="哈希算法不可在日志建立后更改"):
        tree.integrate()


def test_leaves_roll_back_with_the_fact_they_record(ready, log_key):
    from eguarantee.core import events
    from eguarantee.guarantees import services as guarantees
    from eguarantee.guarantees.testing import apply

    guarantee = apply(ready)
    before = Entry.objects.count()

    def refuse(**payload):
        raise RuntimeError("a later subscriber fails")

    events.subscribe("guarantee.submit", refuse)
    try:
        with pytest.raises(RuntimeError):
            guarantees.submit(guarantee, actor=ready["users"]["applicant_operator"])
    finally:
        events.unsubscribe("guarantee.submit", refuse)
    assert Entry.objects.count() == before


def test_a_rotated_key_signs_new_heads_and_the_old_key_stays_published(ready, log_key, settings, client):
    from eguarantee.evidence import keys
    from eguarantee.evidence.checker import check
    from eguarantee.evidence.signing import KeyPair

    issue(ready)
    old = services.publish_head()
    new_pair = KeyPair.generate()
    settings.EVIDENCE_SIGNING_KEY = new_pair.to_hex()
    keys.clear_cache()
    from eguarantee.evidence.models import LogState

    services.record("guarantee.state", [Entry.objects.filter(kind="guarantee.state").first().object_id])
    new = services.publish_head()
    assert (old.key_id, new.key_id) == (log_key.key_id, new_pair.key_id)
    published = {k["key_id"]: k for k in client.get("/evidence/keys").json()["log"]}
    assert published[log_key.key_id]["retired_at"] and published[new_pair.key_id]["retired_at"] is None
    assert published[log_key.key_id]["public_key"] == log_key.public_hex
    assert check().ok and LogState.objects.get().size == new.size


def test_the_protocol_answers_json_with_stable_codes(ready, log_key, client):
    assert client.get("/evidence/head").json()["error"]["code"] == "empty_log"
    issue(ready)
    head = services.publish_head()
    body = client.get("/evidence/head").json()
    assert body["size"] == head.size and body["confirmed"] is False and body["key_id"] == log_key.key_id
    proof = client.get(f"/evidence/consistency?first=2&second={head.size}").json()
    h = tree.hasher()
    merkle.verify_consistency(
        h, 2, head.size, tree.root(2), bytes(head.root), [signing.unb64(p) for p in proof["proof"]]
    )
    assert client.get("/evidence/consistency?first=x&second=2").json()["error"]["code"] == "bad_parameter"
    assert client.get(f"/evidence/consistency?first=1&second={head.size + 5}").json()["error"]["code"] == "beyond_head"
    assert client.get(f"/evidence/inclusion?index={head.size}&size={head.size}").json()["error"]["code"] == "no_proof"
    response = client.post("/evidence/cosignatures", data="not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "malformed_json"
    response = client.post("/evidence/cosignatures", data={"witness": "x"}, content_type="application/json")
    assert response.json()["error"]["code"] == "missing_field"
    response = client.post(
        "/evidence/alarms", data='{"witness": "x\\u0000", "reason": "fork"}', content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "malformed_json"
    assert client.put("/evidence/cosignatures").status_code == 405
