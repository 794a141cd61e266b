"""Password recovery by SMS code."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from eguarantee.accounts import services
from eguarantee.accounts.models import SmsCode, User
from eguarantee.core.exceptions import RateLimited, ServiceError
from eguarantee.notifications.models import SmsMessage

from .helpers import NEW_PASSWORD, PASSWORD, page_text

pytestmark = pytest.mark.django_db

FORGOT = reverse("accounts:password_forgot")
RESET = reverse("accounts:password_reset")
UNKNOWN = "13700001111"


@pytest.fixture
def mobile(demo_users):
    return demo_users["applicant_operator"].mobile


def sent_code(mobile):
    message = SmsMessage.objects.filter(mobile=mobile, purpose="password_reset").order_by("-id").first()
    return re.search(r"验证码(\d{6})", message.content).group(1)


def age_codes(mobile, **delta):
    SmsCode.objects.filter(mobile=mobile).update(created_at=timezone.now() - timedelta(**delta))


def test_pages_render(client):
    assert client.get(FORGOT).status_code == 200
    response = client.get(f"{RESET}?mobile=13900000005")
    assert response.status_code == 200 and "13900000005" in page_text(response)


def test_code_sent_only_to_registered_numbers_with_the_same_answer(client, mobile):
    known = client.post(FORGOT, {"mobile": mobile}, follow=True)
    unknown = Client().post(FORGOT, {"mobile": UNKNOWN}, follow=True)
    assert services.GENERIC_CODE_SENT in page_text(known)
    assert services.GENERIC_CODE_SENT in page_text(unknown)
    assert known.redirect_chain[-1][0] == f"{RESET}?mobile={mobile}"
    assert unknown.redirect_chain[-1][0] == f"{RESET}?mobile={UNKNOWN}"
    assert SmsMessage.objects.filter(mobile=mobile, purpose="password_reset").count() == 1
    assert not SmsMessage.objects.filter(mobile=UNKNOWN).exists()
    # The rate limit is the same for unknown numbers: it cannot be used to probe them.
    assert SmsCode.objects.filter(mobile=UNKNOWN).count() == 1


def test_code_is_stored_only_as_a_hash(mobile):
    services.request_password_reset(mobile)
    code = sent_code(mobile)
    stored = SmsCode.objects.get(mobile=mobile)
    assert code not in stored.code_hash
    assert check_password(code, stored.code_hash)
    assert not SmsCode.objects.filter(code_hash=code).exists()
    assert stored.expires_at - stored.created_at == timedelta(minutes=5)


def test_one_code_per_minute(client, mobile):
    services.request_password_reset(mobile)
    with pytest.raises(RateLimited) as exc:
        services.request_password_reset(mobile)
    assert exc.value.code == "sms_too_frequent"
    response = client.post(FORGOT, {"mobile": mobile})
    assert "验证码发送过于频繁，请1分钟后再试" in page_text(response)
    age_codes(mobile, seconds=61)
    services.request_password_reset(mobile)
    assert SmsCode.objects.filter(mobile=mobile).count() == 2


def test_ten_codes_per_day(mobile):
    for _ in range(10):
        services.request_password_reset(mobile)
        age_codes(mobile, minutes=2)
    with pytest.raises(RateLimited) as exc:
        services.request_password_reset(mobile)
    assert exc.value.code == "sms_daily_limit"
    assert "今日获取验证码次数已达上限" in exc.value.message
    age_codes(mobile, hours=25)
    services.request_password_reset(mobile)
    assert SmsMessage.objects.filter(mobile=mobile, purpose="password_reset").count() == 11


def test_invalid_mobile_format(client):
    response = client.post(FORGOT, {"mobile": "12345"})
    assert "手机号码格式不正确" in page_text(response)
    assert not SmsCode.objects.exists()


def test_reset_with_the_code_then_login_with_the_new_password(client, mobile):
    services.request_password_reset(mobile)
    code = sent_code(mobile)
    User.objects.filter(mobile=mobile).update(locked_until=timezone.now() + timedelta(minutes=20), failed_login_count=3)
    response = client.post(
        RESET, {"mobile": mobile, "code": code, "password": PASSWORD, "password2": PASSWORD}, follow=True
    )
    assert "密码已重置，请使用新密码登录" in page_text(response)
    user = User.objects.get(mobile=mobile)
    assert user.check_password(PASSWORD) and user.locked_until is None
    assert SmsCode.objects.get(mobile=mobile).used_at is not None
    response = Client().post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_wrong_expired_and_reused_codes_get_the_same_message(client, mobile):
    services.request_password_reset(mobile)
    code = sent_code(mobile)
    wrong = "000000" if code != "000000" else "111111"

    def post(value, password=PASSWORD):
        return page_text(
            client.post(RESET, {"mobile": mobile, "code": value, "password": password, "password2": password})
        )

    assert services.GENERIC_CODE_INVALID in post(wrong)
    assert SmsCode.objects.get(mobile=mobile).attempts == 1
    # Right code, weak password: nothing consumed.
    assert "密码长度至少为8位" in post(code, "weak")
    assert SmsCode.objects.get(mobile=mobile).used_at is None
    assert "密码已重置" in page_text(
        client.post(RESET, {"mobile": mobile, "code": code, "password": PASSWORD, "password2": PASSWORD}, follow=True)
    )
    assert services.GENERIC_CODE_INVALID in post(code, NEW_PASSWORD)  # reused
    assert User.objects.get(mobile=mobile).check_password(PASSWORD)
    # Expired.
    age_codes(mobile, minutes=2)
    services.request_password_reset(mobile)
    code = sent_code(mobile)
    SmsCode.objects.filter(mobile=mobile, used_at__isnull=True).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services.GENERIC_CODE_INVALID in post(code, NEW_PASSWORD)
    assert User.objects.get(mobile=mobile).check_password(PASSWORD)


def test_wrong_guesses_are_counted_and_exhaust_the_code(mobile):
    services.request_password_reset(mobile)
    code = sent_code(mobile)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ServiceError):
            services.reset_password_with_code(mobile, wrong, PASSWORD)
    assert SmsCode.objects.get(mobile=mobile).attempts == 5
    with pytest.raises(ServiceError) as exc:
        services.reset_password_with_code(mobile, code, PASSWORD)
    assert exc.value.code == "invalid_code"
    assert not User.objects.get(mobile=mobile).check_password(PASSWORD)


def test_unknown_number_cannot_reset(mobile):
    services.request_password_reset(UNKNOWN)
    with pytest.raises(ServiceError) as exc:
        services.reset_password_with_code(UNKNOWN, "123456", PASSWORD)
    assert exc.value.message == services.GENERIC_CODE_INVALID


def test_reset_cannot_reuse_a_recent_password(mobile):
    from eguarantee.accounts.demo import DEMO_PASSWORD

    services.request_password_reset(mobile)
    with pytest.raises(ServiceError) as exc:
        services.reset_password_with_code(mobile, sent_code(mobile), DEMO_PASSWORD)
    assert exc.value.code == "weak_password"
    assert SmsCode.objects.get(mobile=mobile).used_at is None
