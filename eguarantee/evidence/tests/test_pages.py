"""The back office of 存证与查验: heads, witnesses, alarms; the worker's beat."""

import pytest

from eguarantee.core import schedule
from eguarantee.evidence import anchors, services
from eguarantee.evidence.models import Anchoring, Entry, TreeHead, Witness, WitnessAlarm
from eguarantee.evidence.signing import KeyPair, b64, cosign_body
from eguarantee.evidence.testing import issue

pytestmark = pytest.mark.django_db


def cosign(head, name, pair):
    body = services.head_of(head)
    return services.add_cosignature(
        witness=name, head=body.as_json(), timestamp=1, signature=b64(pair.sign(cosign_body(body, name, 1)))
    )


def test_the_worker_beat_sequences_chains_signs_and_anchors(ready, witnesses, settings):
    guarantee = issue(ready)
    assert Entry.objects.filter(index__isnull=True).exists()
    assert services.tick in schedule.every_beat()
    assert not Entry.objects.filter(index__isnull=True).exists()
    head = TreeHead.objects.get()
    assert Entry.objects.filter(kind="audit.checkpoint").exists()  # the audit chains moved
    assert head.confirmed_at is None and not Anchoring.objects.exists()  # nobody co-signed yet
    for name, pair in witnesses.items():
        cosign(head, name, pair)
    head.refresh_from_db()
    assert head.confirmed_at is not None
    services.tick()
    anchoring = Anchoring.objects.get(head=head)
    record = anchors.FileAnchor().lookup(anchoring.reference)
    assert record["size"] == head.size and record["root"] == b64(bytes(head.root))
    services.tick()  # the same head is never anchored twice
    assert Anchoring.objects.count() == 1
    assert guarantee.number


def test_an_admin_registers_a_witness_and_sees_the_heads(ready, log_key, client_for, demo_users):
    issue(ready)
    services.publish_head()
    admin = client_for("platform_admin")
    pair = KeyPair.generate()
    department = demo_users["department_admin"].organization
    response = admin.post(
        "/evidence/witnesses/add/",
        {"name": "xm-zjj", "organization": department.pk, "public_key": pair.public_hex},
    )
    witness = Witness.objects.get(name="xm-zjj")
    assert response.status_code == 302 and witness.key_id == pair.key_id and witness.organization == department
    page = admin.get("/evidence/heads/").content.decode()
    assert "待见证" in page
    head = TreeHead.objects.get()
    assert bytes(head.root).hex() in admin.get(f"/evidence/heads/{head.pk}/").content.decode()
    admin.post(f"/evidence/witnesses/{witness.pk}/toggle/")
    witness.refresh_from_db()
    assert not witness.active


def test_a_bad_public_key_or_a_taken_name_is_refused_with_nothing_written(client_for, log_key):
    admin = client_for("platform_admin")
    response = admin.post("/evidence/witnesses/add/", {"name": "xm-zjj", "public_key": "04abcd"})
    assert response.status_code == 200 and not Witness.objects.exists()  # the form again, with its errors
    org = Witness._meta.get_field("organization").related_model.objects.filter(org_type="department").first()
    response = admin.post(
        "/evidence/witnesses/add/", {"name": "xm-zjj", "organization": org.pk, "public_key": "04abcd"}
    )
    assert "公钥不是有效的SM2公钥" in response.content.decode()
    services.register_witness(name="xm-zjj", public_key=KeyPair.generate().public_hex)
    response = admin.post(
        "/evidence/witnesses/add/",
        {"name": "xm-zjj", "organization": org.pk, "public_key": KeyPair.generate().public_hex},
    )
    assert "该见证节点名称已登记" in response.content.decode() and Witness.objects.count() == 1


def test_a_department_sees_only_the_witness_it_runs_and_its_alarms(demo_users, client_for, log_key):
    mine = services.register_witness(
        name="mine", public_key=KeyPair.generate().public_hex, organization=demo_users["department_admin"].organization
    )
    other = services.register_witness(name="other", public_key=KeyPair.generate().public_hex)
    WitnessAlarm.objects.create(witness=other, reason="fork", message="别人的告警")
    department = client_for("department_admin")
    page = department.get("/evidence/witnesses/").content.decode()
    assert "mine" in page and "other" not in page
    assert department.get(f"/evidence/witnesses/{other.pk}/").status_code == 403  # out of scope
    assert "别人的告警" not in department.get("/evidence/alarms/").content.decode()
    assert department.post(f"/evidence/witnesses/{mine.pk}/toggle/").status_code == 403


def test_the_parties_see_the_documents_proof_on_the_guarantee_page(ready, log_key, client_for):
    guarantee = issue(ready)
    page = client_for("applicant_admin").get(f"/guarantees/{guarantee.pk}/").content.decode()
    assert "存证证明" in page and "待纳入签名树头" in page  # no head holds it yet
    head = services.publish_head()
    page = client_for("beneficiary_admin").get(f"/guarantees/{guarantee.pk}/").content.decode()
    assert "证明已校验" in page and bytes(head.root).hex() in page and "下载证明包" in page
