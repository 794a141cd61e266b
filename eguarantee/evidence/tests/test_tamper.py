"""verify_evidence names what was changed, deleted or inserted behind the platform's back."""

import datetime
import io

import pytest
from django.core.management import call_command

from eguarantee.audit.models import ObjectChange
from eguarantee.evidence import audit_chain, services
from eguarantee.evidence.models import Entry, Node, node_key
from eguarantee.evidence.testing import issue, raw
from eguarantee.guarantees.models import Guarantee, GuaranteeEvent
from eguarantee.guarantees.tests.factories import issued

pytestmark = pytest.mark.django_db


def verify():
    out = io.StringIO()
    try:
        call_command("verify_evidence", stdout=out)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def test_an_untouched_database_verifies(logged):
    status, out = verify()
    assert status == 0, out
    assert "存证核验通过" in out


def test_an_amount_changed_with_raw_sql_is_named(logged):
    raw("UPDATE guarantees_guarantee SET amount = %s WHERE id = %s", "900000.00", logged.pk)
    status, out = verify()
    assert status == 1
    assert f"保函 #{logged.pk}（{logged.number}）：已被修改" in out
    assert "担保金额（元） 存证为 200000.00，数据库现为 900000.00" in out


def test_a_date_changed_with_raw_sql_is_named(logged):
    later = logged.end_date + datetime.timedelta(days=365)
    raw("UPDATE guarantees_guarantee SET end_date = %s WHERE id = %s", later.isoformat(), logged.pk)
    status, out = verify()
    assert status == 1 and f"失效日期 存证为 {logged.end_date.isoformat()}，数据库现为 {later.isoformat()}" in out


def test_a_status_changed_with_raw_sql_is_named(logged):
    raw("UPDATE guarantees_guarantee SET status = 'released' WHERE id = %s", logged.pk)
    status, out = verify()
    assert status == 1 and "状态 存证为 issued，数据库现为 released" in out


def test_a_deleted_event_is_named(logged):
    event = GuaranteeEvent.objects.get(guarantee=logged, action="approve")
    raw("DELETE FROM guarantees_guaranteeevent WHERE id = %s", event.pk)
    status, out = verify()
    assert status == 1 and f"保函事件 #{event.pk}：已存证，但数据库中的记录已被删除" in out


def test_a_guarantee_inserted_behind_the_platforms_back_is_named(logged, ready):
    fake = issued(ready["users"], number="HXDB2026TB999999")  # straight into the table, no service
    status, out = verify()
    assert status == 1 and f"保函 #{fake.pk}（HXDB2026TB999999）：没有存证记录" in out


def test_a_rewritten_leaf_and_a_deleted_leaf_break_the_tree(logged):
    entry = Entry.objects.filter(kind="guarantee.state", object_id=logged.pk).order_by("-index").first()
    Entry.objects.filter(pk=entry.pk).update(data=entry.data.replace("200000.00", "900000.00"))
    status, out = verify()
    assert status == 1 and f"叶子 {entry.index}（guarantee.state #{logged.pk}）的数据与树中哈希不符" in out
    Entry.objects.filter(pk=entry.pk).delete()
    status, out = verify()
    assert f"叶子 {entry.index}–{entry.index} 缺失" in out


def test_a_forged_subtree_is_found(logged):
    Node.objects.filter(pk=node_key(1, 0)).update(hash=b"\x11" * 32)
    status, out = verify()
    assert status == 1 and "树节点 (1, 0) 与重算结果不符" in out


def test_an_audit_row_changed_or_deleted_breaks_its_chain(logged):
    rows = list(ObjectChange.objects.filter(chain_seq__isnull=False).order_by("chain_seq")[:3])
    raw("UPDATE audit_objectchange SET object_repr = 'someone-else' WHERE id = %s", rows[1].pk)
    status, out = verify()
    assert status == 1 and f"数据变更日志 #{rows[1].pk}（链序号 {rows[1].chain_seq}）：内容与哈希链不符" in out
    raw("UPDATE audit_objectchange SET object_repr = %s WHERE id = %s", rows[1].object_repr, rows[1].pk)
    assert verify()[0] == 0
    raw("DELETE FROM audit_objectchange WHERE id = %s", rows[1].pk)
    status, out = verify()
    assert status == 1 and f"数据变更日志：链序号 {rows[1].chain_seq}–{rows[1].chain_seq} 的记录已被删除" in out


def test_guarantees_after_the_whole_life_cycle_still_verify(logged, ready):
    from eguarantee.guarantees import services as guarantees

    guarantee = Guarantee.objects.get(pk=logged.pk)
    guarantees.request_surrender(guarantee, actor=ready["users"]["applicant_operator"], reason="项目终止")
    guarantees.decide_surrender(guarantee, actor=ready["users"]["guarantor_reviewer"], approve=True)
    audit_chain.checkpoint()
    services.publish_head()
    status, out = verify()
    assert status == 0, out


def test_the_release_job_records_its_batch_and_the_credit_records(logged, ready):
    from eguarantee.credit.models import CreditRecord
    from eguarantee.guarantees import services as guarantees

    second = issue(
        ready, section=ready["section"].project.sections.create(number="X-02", name="第二标段", bid_bond_amount=1)
    )
    assert guarantees.release_expired(today=second.end_date + datetime.timedelta(days=1)) == 2
    released = Entry.objects.filter(kind="guarantee.state", data__contains='"status":"released"')
    assert set(released.values_list("object_id", flat=True)) == {logged.pk, second.pk}
    credit = set(CreditRecord.objects.values_list("pk", flat=True))
    assert credit and set(Entry.objects.filter(kind="credit.record").values_list("object_id", flat=True)) == credit
    audit_chain.checkpoint()
    services.publish_head()
    status, out = verify()
    assert status == 0, out


def test_backfill_records_what_existed_before_the_log(logged, ready):
    old = issued(ready["users"], number="HXDB2025TB000001")  # as if from before the log
    assert verify()[0] == 1
    out = io.StringIO()
    call_command("evidence_backfill", stdout=out)
    assert "保函（guarantee.state）：补录 1 条" in out.getvalue()
    assert Entry.objects.filter(kind="guarantee.state", object_id=old.pk).exists()
    status, text = verify()
    assert status == 0, text
