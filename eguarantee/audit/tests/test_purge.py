"""Retention: `manage.py purge_audit` and its periodic job remove audit rows older than the
retention period, never one younger than six months."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.utils import timezone

from eguarantee.audit import jobs, services
from eguarantee.audit.models import LoginLog, ObjectChange, OperationLog
from eguarantee.core.exceptions import ServiceError

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def aged(db):
    """Rows 400, 200 and 10 days old in each of the three logs."""
    ct = ContentType.objects.get_for_model(LoginLog)
    for age in (400, 200, 10):
        ObjectChange.objects.create(
            time=days_ago(age), action="update", content_type=ct, object_id=str(age), object_repr=f"obj{age}"
        )
        OperationLog.objects.create(
            time=days_ago(age),
            method="POST",
            path=f"/{age}/",
            module="m",
            action="a",
            result="success",
            status_code=200,
            duration_ms=1,
        )
        LoginLog.objects.create(time=days_ago(age), username=f"u{age}", success=True)
    return ct


def ages(model):
    return sorted(
        round((timezone.now() - t).total_seconds() / 86400) for t in model.objects.values_list("time", flat=True)
    )


def test_refuses_retention_below_the_minimum(aged):
    with pytest.raises(CommandError, match="不得少于180天"):
        call_command("purge_audit", "--days", "179", stdout=StringIO())
    with pytest.raises(CommandError, match="不得少于180天"):
        call_command("purge_audit", "--days", "0", "--dry-run", stdout=StringIO())
    for model in (ObjectChange, OperationLog, LoginLog):
        assert len(model.objects.filter(time__lt=days_ago(9))) == 3


def test_purges_older_rows_and_keeps_newer(aged, settings):
    settings.AUDIT_RETENTION_DAYS = 365
    out = StringIO()
    call_command("purge_audit", stdout=out)
    for model in (OperationLog, LoginLog):
        assert ages(model) == [10, 200]
    assert sorted(ObjectChange.objects.filter(content_type=aged).values_list("object_id", flat=True)) == ["10", "200"]
    text = out.getvalue()
    assert "保留期 365 天" in text
    assert "数据变更日志：已清理 1 条" in text and "操作日志：已清理 1 条" in text and "登录日志：已清理 1 条" in text
    assert "合计已清理 3 条" in text


def test_days_option_overrides_the_setting(aged):
    out = StringIO()
    call_command("purge_audit", "--days", "180", stdout=out)
    for model in (OperationLog, LoginLog):
        assert ages(model) == [10]
    assert "合计已清理 6 条" in out.getvalue()


def test_dry_run_counts_and_removes_nothing(aged):
    out = StringIO()
    call_command("purge_audit", "--days", "180", "--dry-run", stdout=out)
    assert "合计将清理 6 条" in out.getvalue()
    assert "操作日志：将清理 2 条" in out.getvalue()
    for model in (OperationLog, LoginLog):
        assert ages(model) == [10, 200, 400]


def test_setting_below_minimum_is_refused_too(aged, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    with pytest.raises(CommandError, match="不得少于180天"):
        call_command("purge_audit", stdout=StringIO())
    assert OperationLog.objects.count() == 3


def test_service_and_periodic_job(aged, settings):
    with pytest.raises(ServiceError) as exc:
        services.purge_audit(179)
    assert exc.value.code == "retention_too_short"
    settings.AUDIT_RETENTION_DAYS = 300
    result = jobs.purge_audit_job.enqueue()  # the immediate backend in tests
    assert result.return_value["days"] == 300
    assert result.return_value["counts"] == {"数据变更日志": 1, "操作日志": 1, "登录日志": 1}
    assert ages(LoginLog) == [10, 200]


def test_purge_writes_no_audit_of_its_own(aged):
    before = ObjectChange.objects.count() - 3
    services.purge_audit(180)
    assert ObjectChange.objects.count() == before + 1
