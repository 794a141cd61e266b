"""SMS: queued inside the business transaction, delivered after it commits, and a failed
delivery is recorded without undoing the business fact."""

import pytest
from django.db import transaction
from django.utils import timezone

from eguarantee.accounts import services as accounts
from eguarantee.accounts.choices import OrgStatus, OrgType
from eguarantee.accounts.demo import credit_code
from eguarantee.accounts.models import Organization, User
from eguarantee.notifications import services
from eguarantee.notifications.models import InSiteMessage, SmsMessage

pytestmark = pytest.mark.django_db

FAILING = "eguarantee.notifications.sms.FailingSender"


def test_sms_is_delivered_only_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            message = services.queue_sms("13800000001", "您的验证码为123456", purpose="password_reset")
            assert SmsMessage.objects.get(pk=message.pk).status == SmsMessage.Status.QUEUED
        assert SmsMessage.objects.get(pk=message.pk).status == SmsMessage.Status.QUEUED  # not yet run
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT
    assert message.provider == "开发通道（仅记录）"
    assert message.attempts == 1 and message.sent_at is not None and message.error == ""


def test_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.queue_sms("13800000002", "不会发送")
            raise RuntimeError("abort")
    assert callbacks == []
    assert not SmsMessage.objects.filter(mobile="13800000002").exists()


def test_failing_sender_records_failure(settings, django_capture_on_commit_callbacks):
    settings.SMS_SENDER = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        message = services.queue_sms("13800000003", "内容")
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.FAILED
    assert message.error == "通道不可用（演练）"
    assert message.provider == "故障演练通道" and message.attempts == 1 and message.sent_at is None


@pytest.fixture
def pending_org(db):
    org = Organization.objects.create(
        name="待审批建设有限公司",
        credit_code=credit_code("91350203", 901),
        org_type=OrgType.APPLICANT,
        region_code="350203",
        status=OrgStatus.PENDING,
    )
    User.objects.create(username="pending_user", full_name="待审批用户", organization=org, mobile="13800000009")
    return org


def test_failed_sms_does_not_undo_the_approval(demo_users, pending_org, settings, django_capture_on_commit_callbacks):
    settings.SMS_SENDER = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        accounts.approve_organization(pending_org, actor=demo_users["platform_admin"])
    pending_org.refresh_from_db()
    assert pending_org.status == OrgStatus.APPROVED
    assert pending_org.reviewed_by == demo_users["platform_admin"]
    message = SmsMessage.objects.get(mobile="13800000009")
    assert message.status == SmsMessage.Status.FAILED and message.error == "通道不可用（演练）"
    assert message.purpose == "registration_review" and "审批通过" in message.content
    inbox = InSiteMessage.objects.get(recipient__username="pending_user")
    assert inbox.title == "注册审批通过"


def test_approval_sms_sent_with_log_sender(demo_users, pending_org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        accounts.approve_organization(pending_org, actor=demo_users["platform_admin"])
    assert SmsMessage.objects.get(mobile="13800000009").status == SmsMessage.Status.SENT


def test_deliver_twice_is_idempotent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.queue_sms("13800000004", "内容")
    message.refresh_from_db()
    sent_at = message.sent_at
    again = services.deliver(message.pk)
    assert again.status == SmsMessage.Status.SENT
    message.refresh_from_db()
    assert message.attempts == 1 and message.sent_at == sent_at
    assert services.deliver(999_999) is None


def test_failed_message_is_retried_on_the_next_delivery(settings):
    settings.SMS_SENDER = FAILING
    message = SmsMessage.objects.create(mobile="13800000005", content="内容")
    services.deliver(message.pk)
    settings.SMS_SENDER = "eguarantee.notifications.sms.LogSender"
    services.deliver(message.pk)
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT and message.attempts == 2 and message.error == ""


def test_send_in_site_and_mark_read(demo_users):
    user, other = demo_users["applicant_admin"], demo_users["applicant_operator"]
    first = services.send_in_site(user, "一", "内容一")
    second = services.send_in_site(user, "二")
    theirs = services.send_in_site(other, "三")
    assert services.mark_read(user, [first.pk, theirs.pk]) == 1
    first.refresh_from_db(), second.refresh_from_db(), theirs.refresh_from_db()
    assert first.read_at is not None and second.read_at is None and theirs.read_at is None
    before = timezone.now()
    assert services.mark_read(user) == 1
    second.refresh_from_db()
    assert second.read_at >= before


def test_sms_content_stays_out_of_the_change_log(django_capture_on_commit_callbacks):
    from eguarantee.audit.models import ObjectChange

    with django_capture_on_commit_callbacks(execute=True):
        services.queue_sms("13800000006", "您的验证码为 246810")
    assert not ObjectChange.objects.filter(content_type__model="smsmessage").exists()
    assert not any("246810" in str(c.postchange_data) for c in ObjectChange.objects.all())
