"""Registration approval (6.11.1): approve, reject, double review, concurrency, login states."""

import threading

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse

from eguarantee.accounts import services
from eguarantee.accounts.choices import OrgStatus, UserStatus
from eguarantee.accounts.models import Organization, User
from eguarantee.core.exceptions import Conflict, NotAllowed, ServiceError
from eguarantee.notifications.models import InSiteMessage, SmsMessage

from .helpers import PASSWORD, page_text
from .helpers import service_registration as reg

LOGIN = reverse("accounts:login")


@pytest.fixture
def pending(demo_users):
    org, user = services.register_organization(**reg())
    return org, user


def login_text(username, password=PASSWORD):
    return page_text(Client().post(LOGIN, {"username": username, "password": password}))


@pytest.mark.django_db
def test_registration_list_and_detail_show_the_pending_registration(client_for, pending):
    org, user = pending
    admin = client_for("platform_admin")
    response = admin.get(reverse("accounts:registration_list"))
    assert response.status_code == 200
    assert org.name in page_text(response)
    response = admin.get(reverse("accounts:registration_detail", args=[org.pk]))
    assert response.status_code == 200
    text = page_text(response)
    assert user.username in text and "审批通过" in text and "驳回" in text
    # Other roles do not reach the approval pages.
    assert client_for("applicant_admin").get(reverse("accounts:registration_list")).status_code == 403


@pytest.mark.django_db
def test_approve_on_the_page_notifies_registrant_by_message_and_sms(
    client_for, pending, django_capture_on_commit_callbacks
):
    org, user = pending
    admin = client_for("platform_admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("accounts:registration_approve", args=[org.pk]), follow=True)
    assert "已审批通过，已通知申请人" in page_text(response)
    org.refresh_from_db()
    assert org.status == OrgStatus.APPROVED
    assert org.reviewed_by.username == "platform_admin" and org.reviewed_at is not None
    note = InSiteMessage.objects.get(recipient=user)
    assert note.title == "注册审批通过"
    sms = SmsMessage.objects.get(mobile=user.mobile, purpose="registration_review")
    assert "审批通过" in sms.content
    assert sms.status == SmsMessage.Status.SENT  # delivered by the task after the commit
    # Now the registrant can log in.
    assert "审批中" not in login_text(user.username)
    assert Client().post(LOGIN, {"username": user.username, "password": PASSWORD}).status_code == 302


@pytest.mark.django_db
def test_reject_requires_a_reason(client_for, pending):
    org, _ = pending
    admin = client_for("platform_admin")
    response = admin.post(reverse("accounts:registration_reject", args=[org.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "驳回原因" in page_text(response) and "该字段是必填项" in page_text(response)
    with pytest.raises(ServiceError) as exc:
        services.reject_organization(org, actor=User.objects.get(username="platform_admin"), reason="   ")
    assert exc.value.code == "reason_required"
    org.refresh_from_db()
    assert org.status == OrgStatus.PENDING


@pytest.mark.django_db
def test_reject_notifies_with_the_reason_and_login_shows_it(client_for, pending, django_capture_on_commit_callbacks):
    org, user = pending
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("platform_admin").post(
            reverse("accounts:registration_reject", args=[org.pk]), {"reason": "营业执照不清晰"}, follow=True
        )
    assert "已驳回，已通知申请人" in page_text(response)
    org.refresh_from_db()
    assert org.status == OrgStatus.REJECTED and org.review_comment == "营业执照不清晰"
    assert "营业执照不清晰" in InSiteMessage.objects.get(recipient=user).body
    sms = SmsMessage.objects.get(mobile=user.mobile)
    assert "营业执照不清晰" in sms.content and sms.status == SmsMessage.Status.SENT
    assert "您的注册申请未通过审批：营业执照不清晰" in login_text(user.username)


@pytest.mark.django_db
def test_only_the_approval_permission_may_approve(demo_users, pending):
    org, _ = pending
    with pytest.raises(NotAllowed):
        services.approve_organization(org, actor=demo_users["platform_security"])
    org.refresh_from_db()
    assert org.status == OrgStatus.PENDING


@pytest.mark.django_db
def test_approving_twice_is_a_conflict_and_the_page_says_so(demo_users, client_for, pending):
    org, _ = pending
    services.approve_organization(org, actor=demo_users["platform_admin"])
    with pytest.raises(Conflict) as exc:
        services.approve_organization(org, actor=demo_users["platform_admin"])
    assert exc.value.code == "already_reviewed"
    with pytest.raises(Conflict):
        services.reject_organization(org, actor=demo_users["platform_admin"], reason="迟到的驳回")
    response = client_for("platform_admin").post(reverse("accounts:registration_approve", args=[org.pk]), follow=True)
    assert "无需重复审批" in page_text(response)
    org.refresh_from_db()
    assert org.status == OrgStatus.APPROVED
    assert InSiteMessage.objects.filter(title="注册审批通过").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_one_wins(demo_users):
    org, _ = services.register_organization(**reg())
    admin = demo_users["platform_admin"]
    barrier = threading.Barrier(2)
    results = []

    def approve():
        try:
            barrier.wait(timeout=30)
            services.approve_organization(Organization.objects.get(pk=org.pk), actor=admin)
            results.append("ok")
        except Conflict as exc:
            results.append(exc.code)
        except Exception as exc:  # anything else must show in the assertion, not vanish in the thread
            results.append(repr(exc))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == ["already_reviewed", "ok"]
    assert InSiteMessage.objects.filter(title="注册审批通过").count() == 1


@pytest.mark.django_db
def test_sequential_second_approval_after_stale_read_is_refused(demo_users, pending):
    """Two administrators opened the page before either approved: the second one's object
    is stale, yet the service re-reads the row under lock and refuses."""
    org, _ = pending
    stale = Organization.objects.get(pk=org.pk)
    services.approve_organization(Organization.objects.get(pk=org.pk), actor=demo_users["platform_admin"])
    assert stale.status == OrgStatus.PENDING
    with pytest.raises(Conflict) as exc:
        services.approve_organization(stale, actor=demo_users["platform_admin"])
    assert exc.value.code == "already_reviewed"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda u: Organization.objects.filter(pk=u.organization_id).update(status=OrgStatus.LOCKED),
            "所属单位已被锁定",
        ),
        (lambda u: User.objects.filter(pk=u.pk).update(status=UserStatus.LOCKED), "该账号已被管理员锁定"),
        (
            lambda u: User.objects.filter(pk=u.pk).update(status=UserStatus.DEACTIVATED, is_active=False),
            "该账号已注销",
        ),
    ],
)
def test_login_refused_for_locked_org_locked_or_deactivated_user(demo_users, change, message):
    user = demo_users["applicant_operator"]
    change(user)
    from eguarantee.accounts.demo import DEMO_PASSWORD

    response = Client().post(LOGIN, {"username": "applicant_operator", "password": DEMO_PASSWORD})
    assert response.status_code == 200
    assert message in page_text(response)
    assert "_auth_user_id" not in Client().session


@pytest.mark.django_db
def test_locking_an_organization_ends_its_users_sessions(demo_users, client_for):
    operator = client_for("applicant_operator")
    assert operator.get(reverse("core:dashboard")).status_code == 200
    org = demo_users["applicant_operator"].organization
    services.set_organization_locked(org, actor=demo_users["platform_admin"], locked=True)
    response = operator.get(reverse("core:dashboard"), follow=True)
    assert "所属单位已被锁定" in page_text(response)
    assert response.redirect_chain[-1][0].startswith(LOGIN)
    services.set_organization_locked(org, actor=demo_users["platform_admin"], locked=False)
    assert Organization.objects.get(pk=org.pk).status == OrgStatus.APPROVED
