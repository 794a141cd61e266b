"""Account journeys in a real browser: register → approve → first login, forced password
change, lockout, password recovery by SMS."""

import re

import pytest
from django.utils import timezone
from stdnum.cn import uscc

from eguarantee.accounts import demo, services
from eguarantee.accounts.choices import OrgStatus
from eguarantee.accounts.models import Organization, Role, User
from eguarantee.core.testing_browser import login
from eguarantee.notifications.models import SmsMessage

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

STRONG = "Lujiang@2026x"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def test_register_approve_first_login(page, demo_users, tmp_path, assert_styled):
    licence = tmp_path / "licence.png"
    licence.write_bytes(PNG)
    body = "91350203MA31X0Y7Q"
    credit_code = body + uscc.calc_check_digit(body)

    page.goto("/accounts/register/")
    assert_styled(page)
    page.select_option("#id_org_type", "applicant")
    page.fill("#id_name", "厦门浏览器测试建设有限公司")
    page.fill("#id_credit_code", credit_code)
    page.fill("#id_region_code", "350203")
    page.fill("#id_address", "福建省厦门市思明区")
    page.set_input_files("#id_business_licence", str(licence))
    page.fill("#id_full_name", "王测试")
    page.fill("#id_mobile", "13712345678")
    page.fill("#id_username", "browser_applicant")
    page.fill("#id_password", STRONG)
    page.fill("#id_password2", STRONG)
    page.get_by_role("button", name="提交注册申请").click()
    page.get_by_role("heading", name="注册申请已提交").wait_for()
    assert Organization.objects.get(credit_code=credit_code).status == OrgStatus.PENDING

    login(page, "browser_applicant", STRONG)
    page.get_by_text("您的注册申请正在审批中").wait_for()

    login(page, "platform_admin", demo.DEMO_PASSWORD)
    page.get_by_role("link", name="新账号审批").first.click()
    page.get_by_role("link", name="厦门浏览器测试建设有限公司").click()
    page.get_by_text("browser_applicant").wait_for()
    page.get_by_role("button", name="审批通过").click()
    page.get_by_text("已审批通过").wait_for()
    assert Organization.objects.get(credit_code=credit_code).status == OrgStatus.APPROVED
    page.context.clear_cookies()

    login(page, "browser_applicant", STRONG)
    page.get_by_role("heading", name="工作台").wait_for()
    assert_styled(page)


def test_admin_created_user_must_change_password(page, demo_users):
    applicant_org = demo_users["applicant_admin"].organization
    services.create_user(
        actor=demo_users["platform_admin"],
        organization=applicant_org,
        data={"username": "new_clerk", "full_name": "新经办人", "mobile": "13712340001", "email": ""},
        password="Initial@2026",
        roles=[],
    )
    assert User.objects.get(username="new_clerk").must_change_password

    login(page, "new_clerk", "Initial@2026")
    page.get_by_role("heading", name="修改密码").wait_for()
    assert "/accounts/password/change/" in page.url
    page.fill("#id_old_password", "Initial@2026")
    page.fill("#id_password", "abcdefgh")
    page.fill("#id_password2", "abcdefgh")
    page.get_by_role("button", name="修改密码").click()
    page.get_by_text("密码须包含大写字母、小写字母、数字、特殊字符中的至少3类").wait_for()

    page.fill("#id_old_password", "Initial@2026")
    page.fill("#id_password", STRONG)
    page.fill("#id_password2", STRONG)
    page.get_by_role("button", name="修改密码").click()
    page.get_by_role("heading", name="工作台").wait_for()
    assert not User.objects.get(username="new_clerk").must_change_password
    page.goto("/accounts/profile/")  # no longer sent back to the change form
    assert "/accounts/profile/" in page.url


def test_five_wrong_passwords_lock_the_account(page, demo_users):
    for attempt in range(1, 5):
        login(page, "applicant_operator", "Wrong@2026x")
        page.get_by_text(f"用户名或密码错误，还可尝试{5 - attempt}次。").wait_for()
    login(page, "applicant_operator", "Wrong@2026x")
    page.get_by_text("密码连续错误5次，账号已锁定30分钟。").wait_for()

    login(page, "applicant_operator", demo.DEMO_PASSWORD)
    page.get_by_text("账号已临时锁定").wait_for()
    assert "/accounts/login/" in page.url
    assert User.objects.get(username="applicant_operator").locked_until > timezone.now()


def test_password_recovery_by_sms(page, demo_users):
    user = demo_users["beneficiary_operator"]
    page.goto("/accounts/login/")
    page.get_by_role("link", name="忘记密码？").click()
    page.fill("#id_mobile", user.mobile)
    page.get_by_role("button", name="获取验证码").click()
    page.get_by_role("heading", name="重置密码").wait_for()
    assert page.input_value("#id_mobile") == user.mobile

    sms = SmsMessage.objects.filter(mobile=user.mobile).latest("created_at")
    assert sms.status == SmsMessage.Status.SENT  # delivered on commit, in the server thread
    code = re.search(r"验证码(\d{6})", sms.content).group(1)
    page.fill("#id_code", code)
    page.fill("#id_password", STRONG)
    page.fill("#id_password2", STRONG)
    page.get_by_role("button", name="重置密码").click()
    page.get_by_text("密码已重置，请使用新密码登录。").wait_for()

    login(page, "beneficiary_operator", demo.DEMO_PASSWORD)
    page.get_by_text("用户名或密码错误").wait_for()
    login(page, "beneficiary_operator", STRONG)
    page.get_by_role("heading", name="工作台").wait_for()
    assert Role.objects.filter(user=user, code="beneficiary_operator").exists()
