"""Self-registration (6.1.3) through the service and the /accounts/register/ page."""

import hashlib

import pytest
from django.urls import reverse

from eguarantee.accounts import services
from eguarantee.accounts.choices import OrgStatus, OrgType
from eguarantee.accounts.models import Organization, PasswordHistory, User
from eguarantee.core.exceptions import ServiceError
from eguarantee.notifications.models import InSiteMessage

from .helpers import PASSWORD, PDF_BYTES, PNG_BYTES, credit_code, page_text, pdf_upload, registration_post
from .helpers import service_registration as reg

pytestmark = pytest.mark.django_db

REGISTER = reverse("accounts:register")


def counts():
    return Organization.objects.count(), User.objects.count()


def test_service_creates_pending_organization_and_first_user(demo_users):
    org, user = services.register_organization(**reg())
    org.refresh_from_db()
    assert org.status == OrgStatus.PENDING
    assert org.credit_code == credit_code(1)
    assert org.licence_sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert len(org.licence_sm3) == 64
    assert org.business_licence.read() == PDF_BYTES
    assert user.organization == org
    assert [r.role.code for r in user.groups.all()] == ["applicant_admin"]
    assert user.check_password(PASSWORD)
    assert PasswordHistory.objects.filter(user=user).count() == 1
    # The platform administrator is told there is something to approve.
    note = InSiteMessage.objects.get(recipient=demo_users["platform_admin"])
    assert org.name in note.title
    assert note.link == reverse("accounts:registration_detail", args=[org.pk])


@pytest.mark.parametrize(
    ("org_type", "role"),
    [(OrgType.GUARANTOR, "guarantor_admin"), (OrgType.BENEFICIARY, "beneficiary_admin")],
)
def test_first_user_role_follows_the_organization_type(demo_users, org_type, role):
    _, user = services.register_organization(**reg(organization={"org_type": org_type}))
    assert [g.role.code for g in user.groups.all()] == [role]


def test_departments_cannot_register_themselves(demo_users):
    before = counts()
    with pytest.raises(ServiceError) as exc:
        services.register_organization(**reg(organization={"org_type": OrgType.DEPARTMENT}))
    assert exc.value.code == "invalid_org_type"
    assert counts() == before


@pytest.mark.parametrize(
    ("overrides", "code", "message"),
    [
        (
            {"organization": {"credit_code": "913502060000001010"}},
            "invalid_credit_code",
            "统一社会信用代码无效",
        ),  # check char is 6
        ({"user": {"mobile": "12345"}}, "invalid_mobile", "手机号码格式不正确"),
        ({"password": "Ab1!"}, "weak_password", "密码长度至少为8位"),
        ({"password": "alllowercase1"}, "weak_password", "至少3类"),
        ({"password": "Newcorp#2026"}, "weak_password", "密码不能包含用户名"),
        ({"licence": None}, "licence_required", "请上传营业执照"),
    ],
)
def test_service_rejects_invalid_registration_and_writes_nothing(demo_users, overrides, code, message):
    before = counts()
    with pytest.raises(ServiceError) as exc:
        services.register_organization(**reg(**overrides))
    assert exc.value.code == code
    assert message in exc.value.message
    assert counts() == before


def test_service_rejects_duplicate_credit_code_mobile_and_username(demo_users):
    services.register_organization(**reg())
    before = counts()
    cases = [
        (reg(user={"mobile": "13812345679", "username": "other1"}), "duplicate_credit_code", "已注册"),
        (
            reg(organization={"credit_code": credit_code(2)}, user={"username": "other2"}),
            "duplicate_mobile",
            "手机号码",
        ),
        (
            reg(organization={"credit_code": credit_code(3)}, user={"mobile": "13812345670"}),
            "duplicate_username",
            "用户名",
        ),
    ]
    for kwargs, code, message in cases:
        with pytest.raises(ServiceError) as exc:
            services.register_organization(**kwargs)
        assert exc.value.code == code
        assert message in exc.value.message
    assert counts() == before


def test_register_page_renders(client):
    response = client.get(REGISTER)
    assert response.status_code == 200
    assert "统一社会信用代码" in page_text(response)


def test_register_page_with_real_upload_creates_pending_registration(client, demo_users):
    before = counts()
    response = client.post(REGISTER, registration_post(business_licence=pdf_upload("执照.PDF")))
    assert response.status_code == 200
    assert "厦门测试建设有限公司" in page_text(response)
    assert counts() == (before[0] + 1, before[1] + 1)
    org = Organization.objects.get(credit_code=credit_code(1))
    assert org.status == OrgStatus.PENDING
    assert org.business_licence.name.endswith(".pdf")
    assert org.licence_sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    user = User.objects.get(username="newcorp")
    assert user.organization == org and user.mobile == "13812345678"
    assert org.contact_phone == "13812345678"
    # Until approved the new user cannot log in.
    response = client.post(reverse("accounts:login"), {"username": "newcorp", "password": PASSWORD})
    assert "您的注册申请正在审批中" in page_text(response)


def test_register_page_accepts_png(client, demo_users):
    client.post(REGISTER, registration_post(business_licence=pdf_upload("licence.png", PNG_BYTES)))
    assert Organization.objects.get(credit_code=credit_code(1)).business_licence.name.endswith(".png")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"credit_code": "91350206000000101X"}, "统一社会信用代码无效"),
        ({"mobile": "13900000004"}, "该手机号码已被其他账号使用"),  # applicant_admin's number
        ({"username": "applicant_admin"}, "该用户名已被使用"),
        ({"password": "Ab1!xyz", "password2": "Ab1!xyz"}, "密码长度至少为8位"),
        ({"password": "onlylowercase9", "password2": "onlylowercase9"}, "至少3类"),
        ({"password": "Xnewcorp#2026", "password2": "Xnewcorp#2026"}, "密码不能包含用户名"),
        ({"password2": "Mismatch#2026"}, "两次输入的密码不一致"),
        (
            {"business_licence": pdf_upload("licence.pdf", b"just some text, not a pdf at all")},
            "文件内容不是允许的类型",
        ),
        ({"business_licence": pdf_upload("licence.png", PDF_BYTES)}, "与文件内容（PDF）不符"),
        ({"business_licence": pdf_upload("licence.exe", PDF_BYTES)}, "文件扩展名"),
    ],
)
def test_register_page_shows_chinese_error_and_writes_nothing(client, demo_users, overrides, message):
    before = counts()
    response = client.post(REGISTER, registration_post(**overrides))
    assert response.status_code == 200
    assert message in page_text(response)
    assert counts() == before


def test_register_page_refuses_duplicate_credit_code(client, demo_users):
    client.post(REGISTER, registration_post())
    before = counts()
    response = client.post(
        REGISTER, registration_post(mobile="13812345671", username="another", business_licence=pdf_upload())
    )
    assert "该统一社会信用代码已注册" in page_text(response)
    assert counts() == before


def test_register_page_refuses_oversized_upload(client, demo_users, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    before = counts()
    big = PDF_BYTES + b"0" * 2048
    response = client.post(REGISTER, registration_post(business_licence=pdf_upload("big.pdf", big)))
    assert "文件过大" in page_text(response)
    assert counts() == before
