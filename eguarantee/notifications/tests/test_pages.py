"""The SMS send log (platform system administrator only) and each user's inbox."""

import pytest
from django.urls import reverse

from eguarantee.audit.models import OperationLog
from eguarantee.notifications import services
from eguarantee.notifications.models import InSiteMessage, SmsMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms(db):
    sent = SmsMessage.objects.create(
        mobile="13800000011", content="验证码 654321", purpose="password_reset", status="sent", provider="开发通道"
    )
    failed = SmsMessage.objects.create(
        mobile="13800000012", content="审批通过", purpose="registration_review", status="failed", error="通道不可用"
    )
    return sent, failed


def records(response):
    return [getattr(r, "record", r) for r in response.context_data["table"].page.object_list]


def test_platform_admin_reads_the_sms_log(demo_users, client_for, sms):
    sent, failed = sms
    client = client_for("platform_admin")
    response = client.get(reverse("notifications:sms_list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "验证码 654321" in text and "通道不可用" in text
    assert records(client.get(reverse("notifications:sms_list"), {"status": "failed"})) == [failed]
    assert records(client.get(reverse("notifications:sms_list"), {"mobile": "13800000011"})) == [sent]
    detail = client.get(sent.get_absolute_url())
    assert detail.status_code == 200 and "654321" in detail.content.decode()
    # Personal data on the page: the read is in the operation log.
    log = OperationLog.objects.get(path=sent.get_absolute_url())
    assert log.action == "查看:sms_detail" and log.user == demo_users["platform_admin"]


@pytest.mark.parametrize("role", ["platform_auditor", "platform_security", "applicant_admin", "guarantor_reviewer"])
def test_others_cannot_read_the_sms_log(client_for, role, sms):
    client = client_for(role)
    assert client.get(reverse("notifications:sms_list")).status_code == 403
    assert client.get(sms[0].get_absolute_url()).status_code == 403
    assert client.get(reverse("notifications:sms_list"), {"export": "xlsx"}).status_code == 403


def test_sms_log_export(client_for, sms):
    response = client_for("platform_admin").get(reverse("notifications:sms_list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert OperationLog.objects.filter(action="导出:sms_list").count() == 1


def test_inbox_shows_own_messages_only(demo_users, client_for):
    me, other = demo_users["applicant_operator"], demo_users["guarantor_reviewer"]
    services.send_in_site(me, "给我的消息", "正文甲", "/accounts/profile/")
    services.send_in_site(other, "别人的消息", "正文乙")
    response = client_for("applicant_operator").get(reverse("notifications:inbox"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "给我的消息" in text and "正文甲" in text
    assert "别人的消息" not in text and "正文乙" not in text


def test_mark_read(demo_users, client_for):
    me, other = demo_users["applicant_operator"], demo_users["guarantor_reviewer"]
    mine = [services.send_in_site(me, f"消息{i}") for i in range(3)]
    theirs = services.send_in_site(other, "别人的")
    client = client_for("applicant_operator")
    response = client.post(reverse("notifications:mark_read"), {"id": [mine[0].pk, theirs.pk]})
    assert response.status_code == 302 and response["Location"] == reverse("notifications:inbox")
    assert InSiteMessage.objects.filter(recipient=me, read_at__isnull=False).count() == 1
    assert InSiteMessage.objects.get(pk=theirs.pk).read_at is None
    client.post(reverse("notifications:mark_read"))
    assert not InSiteMessage.objects.filter(recipient=me, read_at__isnull=True).exists()
    assert InSiteMessage.objects.get(pk=theirs.pk).read_at is None
    assert "list-group-item-primary" not in client.get(reverse("notifications:inbox")).content.decode()


def test_mark_read_is_post_only_and_needs_login(client, client_for, demo_users):
    assert client_for("applicant_operator").get(reverse("notifications:mark_read")).status_code == 405
    response = client.post(reverse("notifications:mark_read"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(reverse("notifications:inbox")).status_code == 302


def test_bad_ids_do_not_break_mark_read(demo_users, client_for):
    services.send_in_site(demo_users["applicant_operator"], "消息")
    response = client_for("applicant_operator").post(reverse("notifications:mark_read"), {"id": ["abc"]})
    assert response.status_code == 302
    assert InSiteMessage.objects.filter(read_at__isnull=True).count() == 1  # nothing matched, nothing read


def test_the_bell_counts_unread_messages(demo_users, client_for):
    user = demo_users["applicant_admin"]
    services.send_in_site(user, "第一条")
    services.send_in_site(user, "第二条")
    user.full_name = "旧副本保存"  # a copy loaded before the messages must not reset the count
    user.save()
    client = client_for("applicant_admin")
    assert 'id="unread-count">2</span>' in client.get(reverse("core:dashboard")).content.decode()
    client.post(reverse("notifications:mark_read"))
    assert 'd-none" id="unread-count">0</span>' in client.get(reverse("core:dashboard")).content.decode()


def test_htmx_mark_read_swaps_the_message_and_the_count(demo_users, client_for):
    from eguarantee.notifications import services as notify

    user = demo_users["applicant_admin"]
    first = notify.send_in_site(user, "第一条", "内容一")
    notify.send_in_site(user, "第二条", "内容二")
    response = client_for("applicant_admin").post(
        "/notifications/inbox/read/", {"id": str(first.pk)}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="message-{first.pk}"' in html and "标为已读" not in html
    assert 'hx-swap-oob="true">1</span>' in html
    first.refresh_from_db()
    assert first.read_at is not None
