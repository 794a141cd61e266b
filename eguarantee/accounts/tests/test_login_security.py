"""Login security: lockout, IP throttle, password policy and history, expiry, sessions."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from eguarantee.accounts import services
from eguarantee.accounts.demo import DEMO_PASSWORD
from eguarantee.accounts.models import PasswordHistory, User
from eguarantee.audit.models import LoginLog
from eguarantee.core.exceptions import ServiceError

from .helpers import NEW_PASSWORD, PASSWORD, page_text

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
CHANGE = reverse("accounts:password_change")


def attempt(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_successful_login_is_logged_and_goes_to_dashboard(demo_users):
    client = Client()
    response = attempt(client, "applicant_operator", DEMO_PASSWORD)
    assert response.status_code == 302 and response.url == reverse("core:dashboard")
    log = LoginLog.objects.get(username="applicant_operator")
    assert log.success and log.reason == "ok" and log.ip == "127.0.0.1"
    # Mobile number works as the login name too.
    client2 = Client()
    assert attempt(client2, demo_users["applicant_operator"].mobile, DEMO_PASSWORD).status_code == 302


def test_unknown_user_gets_the_generic_message(demo_users):
    response = attempt(Client(), "nobody", "whatever")
    assert "用户名或密码错误" in page_text(response)
    assert LoginLog.objects.get(username="nobody").reason == "unknown_user"


def test_five_wrong_passwords_lock_the_account(demo_users):
    client = Client()
    for left in (4, 3, 2, 1):
        assert f"用户名或密码错误，还可尝试{left}次" in page_text(attempt(client, "applicant_operator", "Wrong#1234"))
    response = attempt(client, "applicant_operator", "Wrong#1234")
    assert "密码连续错误5次，账号已锁定30分钟" in page_text(response)
    user = User.objects.get(username="applicant_operator")
    assert user.locked_until is not None
    assert timedelta(minutes=29) < user.locked_until - timezone.now() <= timedelta(minutes=30)
    # Sixth attempt, right password: still refused.
    response = attempt(client, "applicant_operator", DEMO_PASSWORD)
    assert "账号已临时锁定" in page_text(response)
    assert "_auth_user_id" not in client.session
    reasons = list(
        LoginLog.objects.filter(username="applicant_operator").order_by("time", "id").values_list("reason", flat=True)
    )
    assert reasons == ["wrong_password"] * 4 + ["temporarily_locked", "temporarily_locked"]
    assert not LoginLog.objects.filter(username="applicant_operator", success=True).exists()


def test_admin_unlock_lets_the_user_log_in_again(demo_users, client_for):
    client = Client()
    for _ in range(5):
        attempt(client, "applicant_operator", "Wrong#1234")
    user = User.objects.get(username="applicant_operator")
    assert user.locked_until is not None
    response = client_for("applicant_admin").post(reverse("accounts:user_unlock", args=[user.pk]), follow=True)
    assert "操作成功" in page_text(response)
    user.refresh_from_db()
    assert user.locked_until is None and user.failed_login_count == 0
    assert attempt(client, "applicant_operator", DEMO_PASSWORD).status_code == 302


def test_lockout_expires_by_itself(demo_users):
    User.objects.filter(username="applicant_operator").update(locked_until=timezone.now() - timedelta(seconds=1))
    assert attempt(Client(), "applicant_operator", DEMO_PASSWORD).status_code == 302


def test_per_ip_throttle(demo_users, settings):
    settings.ACCOUNT_SECURITY = {**django_settings.ACCOUNT_SECURITY, "IP_FAILURES": 3}
    client = Client()
    for name in ("a1", "a2", "a3"):
        attempt(client, name, "x")
    response = attempt(client, "applicant_operator", DEMO_PASSWORD)
    assert "该IP登录失败次数过多" in page_text(response)
    assert LoginLog.objects.filter(reason="ip_throttled").count() == 1
    # Another address is not affected.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert attempt(other, "applicant_operator", DEMO_PASSWORD).status_code == 302
    # Failures older than the window no longer count.
    LoginLog.objects.purge_before(timezone.now() + timedelta(seconds=1))
    assert attempt(client, "applicant_operator", DEMO_PASSWORD).status_code == 302


def test_password_change_page_and_policy(demo_users, client_for):
    client = client_for("applicant_operator")
    assert client.get(CHANGE).status_code == 200
    response = client.post(CHANGE, {"old_password": "wrong", "password": PASSWORD, "password2": PASSWORD})
    assert "原密码不正确" in page_text(response)
    response = client.post(CHANGE, {"old_password": DEMO_PASSWORD, "password": "short", "password2": "short"})
    assert "密码长度至少为8位" in page_text(response)
    response = client.post(
        CHANGE, {"old_password": DEMO_PASSWORD, "password": PASSWORD, "password2": PASSWORD}, follow=True
    )
    assert "密码已修改" in page_text(response)
    user = User.objects.get(username="applicant_operator")
    assert user.check_password(PASSWORD)
    # Still logged in after the change (session hash updated).
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_cannot_reuse_any_of_the_last_five_passwords(demo_users):
    user = demo_users["applicant_operator"]
    history = [DEMO_PASSWORD, "Pass#Word0001", "Pass#Word0002", "Pass#Word0003", "Pass#Word0004"]
    current = DEMO_PASSWORD
    for password in history[1:]:
        services.change_password(user, current, password)
        current = password
    for old in history:
        with pytest.raises(ServiceError) as exc:
            services.change_password(user, current, old)
        assert exc.value.code == "weak_password"
        assert "不能与最近5次使用过的密码相同" in exc.value.message
    # The sixth one back is allowed again.
    services.change_password(user, current, "Pass#Word0005")
    services.change_password(user, "Pass#Word0005", DEMO_PASSWORD)
    assert User.objects.get(pk=user.pk).check_password(DEMO_PASSWORD)
    assert PasswordHistory.objects.filter(user=user).count() == 7


def test_expired_password_forces_a_change(demo_users, client_for, api_for):
    User.objects.filter(username="applicant_operator").update(password_changed_at=timezone.now() - timedelta(days=91))
    client = client_for("applicant_operator")
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url == f"{CHANGE}?next={reverse('accounts:profile')}"
    response = client.get(response.url)
    assert response.status_code == 200 and "首次登录或密码已过期，请先修改密码" in page_text(response)
    api = api_for("applicant_operator")
    response = api.get("/api/v1/users/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "password_change_required"
    # 89 days is still fine.
    User.objects.filter(username="applicant_operator").update(password_changed_at=timezone.now() - timedelta(days=89))
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_expired_password_login_goes_to_change_then_next(demo_users):
    User.objects.filter(username="applicant_operator").update(password_changed_at=timezone.now() - timedelta(days=100))
    client = Client()
    response = attempt(client, "applicant_operator", DEMO_PASSWORD)
    assert response.status_code == 302 and response.url == CHANGE
    client.post(CHANGE, {"old_password": DEMO_PASSWORD, "password": PASSWORD, "password2": PASSWORD})
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_first_login_of_admin_created_user_forces_change(demo_users):
    admin = demo_users["applicant_admin"]
    services.create_user(
        actor=admin,
        organization=admin.organization,
        data={"username": "freshman", "full_name": "新人", "mobile": "13811112222", "email": ""},
        password=PASSWORD,
    )
    client = Client()
    response = attempt(client, "freshman", PASSWORD)
    assert response.status_code == 302 and response.url == CHANGE
    assert client.get(reverse("core:dashboard")).status_code == 302
    response = client.post(CHANGE, {"old_password": PASSWORD, "password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert not User.objects.get(username="freshman").must_change_password
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_previous_login_time_and_ip_shown_after_login(demo_users):
    first = Client(REMOTE_ADDR="10.1.2.3")
    attempt(first, "applicant_operator", DEMO_PASSWORD)
    user = User.objects.get(username="applicant_operator")
    assert user.last_login_ip == "10.1.2.3"
    second = Client(REMOTE_ADDR="10.9.8.7")
    response = second.post(LOGIN, {"username": "applicant_operator", "password": DEMO_PASSWORD}, follow=True)
    text = page_text(response)
    assert "上次登录时间：" in text and "IP：10.1.2.3" in text
    user.refresh_from_db()
    assert user.previous_login_ip == "10.1.2.3" and user.last_login_ip == "10.9.8.7"
    assert "10.1.2.3" in page_text(second.get(reverse("accounts:profile")))


def test_login_redirects_to_safe_next_only(demo_users):
    response = Client().post(
        f"{LOGIN}?next=/accounts/profile/",
        {"username": "applicant_operator", "password": DEMO_PASSWORD, "next": "/accounts/profile/"},
    )
    assert response.url == "/accounts/profile/"
    response = Client().post(
        LOGIN, {"username": "applicant_operator", "password": DEMO_PASSWORD, "next": "https://evil.example/"}
    )
    assert response.url == reverse("core:dashboard")


def test_idle_session_ends_after_30_minutes_and_activity_extends_it(client_for):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    assert django_settings.SESSION_COOKIE_AGE == 1800
    client = client_for("applicant_operator")
    assert client.get(reverse("accounts:profile")).status_code == 200
    key = client.session.session_key
    expiry = Session.objects.get(session_key=key).expire_date
    assert timedelta(minutes=29) < expiry - timezone.now() <= timedelta(minutes=30)

    # Activity after the touch interval renews the expiry.
    session = client.session
    session["_touched"] = 0
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(minutes=5))
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert Session.objects.get(session_key=key).expire_date - timezone.now() > timedelta(minutes=29)

    # Idle past the timeout: the session is gone and the next page asks to log in.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_logout_ends_the_session(client_for):
    client = client_for("applicant_operator")
    response = client.post(reverse("accounts:logout"), follow=True)
    assert "您已安全退出" in page_text(response)
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_deactivating_a_user_ends_the_live_session(demo_users, client_for):
    client = client_for("applicant_operator")
    services.deactivate_user(demo_users["applicant_operator"], actor=demo_users["applicant_admin"])
    response = client.get(reverse("accounts:profile"), follow=True)
    assert "该账号已注销" in page_text(response)
    assert "_auth_user_id" not in client.session
