"""User management (6.11.2): platform and organization administrators."""

import pytest
from django.test import Client
from django.urls import reverse

from eguarantee.accounts import services
from eguarantee.accounts.choices import UserStatus
from eguarantee.accounts.demo import DEMO_PASSWORD
from eguarantee.accounts.models import Role, User
from eguarantee.core.exceptions import Conflict, NotAllowed, ServiceError

from .helpers import PASSWORD, page_text

pytestmark = pytest.mark.django_db


def user_post(organization, **overrides):
    data = {
        "organization": organization.pk,
        "username": "zhangwei",
        "full_name": "张伟",
        "mobile": "13611112222",
        "email": "zw@example.com",
        "password": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def test_platform_admin_creates_a_user_in_any_organization(demo_users, client_for):
    guarantor = demo_users["guarantor_admin"].organization
    before = User.objects.count()
    response = client_for("platform_admin").post(reverse("accounts:user_add"), user_post(guarantor), follow=True)
    assert "用户已创建，首次登录须修改密码" in page_text(response)
    user = User.objects.get(username="zhangwei")
    assert User.objects.count() == before + 1
    assert user.organization == guarantor and user.must_change_password and user.check_password(PASSWORD)


def test_platform_admin_is_not_offered_roles_it_may_not_assign(demo_users, client_for):
    """Roles are the security administrator's (三权分立): the add form must not offer
    checkboxes whose use would only end in a permission error."""
    admin = client_for("platform_admin")
    text = page_text(admin.get(reverse("accounts:user_add")))
    assert 'name="roles"' not in text
    guarantor = demo_users["guarantor_admin"].organization
    role = Role.objects.get(code="guarantor_reviewer")
    admin.post(reverse("accounts:user_add"), user_post(guarantor, roles=[role.pk]))
    assert not User.objects.get(username="zhangwei").groups.exists()


def test_user_pages_render(demo_users, client_for):
    admin = client_for("platform_admin")
    target = demo_users["applicant_operator"]
    for name, args in [
        ("accounts:user_list", []),
        ("accounts:user_add", []),
        ("accounts:user_detail", [target.pk]),
        ("accounts:user_edit", [target.pk]),
        ("accounts:user_lock", [target.pk]),
        ("accounts:user_reset_password", [target.pk]),
        ("accounts:profile", []),
    ]:
        response = admin.get(reverse(name, args=args))
        assert response.status_code == 200, name
    assert target.full_name in page_text(admin.get(reverse("accounts:user_detail", args=[target.pk])))
    response = client_for("applicant_admin").get(reverse("accounts:user_list"))
    text = page_text(response)
    assert "applicant_operator" in text and "guarantor_admin" not in text


def test_platform_admin_edits_locks_unlocks_and_deactivates(demo_users, client_for):
    admin = client_for("platform_admin")
    target = demo_users["guarantor_reviewer"]
    response = admin.post(
        reverse("accounts:user_edit", args=[target.pk]),
        {"username": target.username, "full_name": "改名后", "mobile": target.mobile, "email": "new@example.com"},
        follow=True,
    )
    assert "用户信息已保存" in page_text(response)
    target.refresh_from_db()
    assert target.full_name == "改名后" and target.email == "new@example.com"
    admin.post(reverse("accounts:user_lock", args=[target.pk]))
    assert User.objects.get(pk=target.pk).status == UserStatus.LOCKED
    login = Client().post(reverse("accounts:login"), {"username": target.username, "password": DEMO_PASSWORD})
    assert "该账号已被管理员锁定" in page_text(login)
    admin.post(reverse("accounts:user_unlock", args=[target.pk]))
    assert User.objects.get(pk=target.pk).status == UserStatus.ACTIVE
    response = admin.post(reverse("accounts:user_delete", args=[target.pk]), follow=True)
    assert "账号已注销，历史记录保留" in page_text(response)
    target.refresh_from_db()
    assert target.status == UserStatus.DEACTIVATED and not target.is_active and target.deactivated_at
    login = Client().post(reverse("accounts:login"), {"username": target.username, "password": DEMO_PASSWORD})
    assert "该账号已注销" in page_text(login)
    # Deactivated accounts cannot be edited any more.
    response = admin.post(
        reverse("accounts:user_edit", args=[target.pk]),
        {"username": target.username, "full_name": "再改", "mobile": target.mobile, "email": ""},
    )
    assert "该账号已注销，不能修改" in page_text(response)


def test_org_admin_manages_only_its_own_users(demo_users, client_for):
    org_admin = client_for("applicant_admin")
    own = demo_users["applicant_operator"]
    other = demo_users["guarantor_reviewer"]
    assert org_admin.post(reverse("accounts:user_lock", args=[own.pk])).status_code == 302
    assert User.objects.get(pk=own.pk).status == UserStatus.LOCKED
    # Another organization's user: 403, as the issue asks (an unknown id would be 404).
    for name in ("accounts:user_detail", "accounts:user_edit", "accounts:user_lock", "accounts:user_delete"):
        assert org_admin.get(reverse(name, args=[other.pk])).status_code == 403, name
    assert org_admin.post(reverse("accounts:user_lock", args=[other.pk])).status_code == 403
    assert User.objects.get(pk=other.pk).status == UserStatus.ACTIVE
    # The service refuses it as well, whatever the caller.
    with pytest.raises(NotAllowed) as exc:
        services.set_user_locked(other, actor=demo_users["applicant_admin"], locked=True)
    assert exc.value.status == 403 and "不能管理其他单位的用户" in exc.value.message
    with pytest.raises(NotAllowed):
        services.create_user(
            actor=demo_users["applicant_admin"],
            organization=other.organization,
            data={"username": "intruder", "full_name": "X", "mobile": "13611110000"},
            password=PASSWORD,
        )
    assert not User.objects.filter(username="intruder").exists()


def test_org_admin_create_form_offers_only_its_organization_and_roles(demo_users, client_for):
    org_admin = client_for("applicant_admin")
    text = page_text(org_admin.get(reverse("accounts:user_add")))
    assert "厦门鹭江建设工程有限公司" in text and "海峡工程担保股份有限公司" not in text
    assert "申请人经办人" in text and "保证人审核员" not in text
    guarantor = demo_users["guarantor_admin"].organization
    response = org_admin.post(reverse("accounts:user_add"), user_post(guarantor))
    assert "选择一个有效的选项" in page_text(response)
    assert not User.objects.filter(username="zhangwei").exists()
    operator_role = Role.objects.get(code="applicant_operator")
    own_org = demo_users["applicant_admin"].organization
    response = org_admin.post(reverse("accounts:user_add"), user_post(own_org, roles=[operator_role.pk]), follow=True)
    assert "用户已创建" in page_text(response)
    assert list(User.objects.get(username="zhangwei").groups.values_list("role__code", flat=True)) == [
        "applicant_operator"
    ]


def test_create_user_errors_write_nothing(demo_users, client_for):
    org_admin = client_for("applicant_admin")
    org = demo_users["applicant_admin"].organization
    before = User.objects.count()
    for overrides, message in [
        ({"mobile": demo_users["guarantor_admin"].mobile}, "该手机号码已被其他账号使用"),
        ({"username": "GUARANTOR_ADMIN"}, "该用户名已被使用"),
        ({"password": "weakpass", "password2": "weakpass"}, "至少3类"),
        ({"password": "Zhangwei#2026", "password2": "Zhangwei#2026"}, "密码不能包含用户名"),
        ({"mobile": "123"}, "手机号码格式不正确"),
    ]:
        response = org_admin.post(reverse("accounts:user_add"), user_post(org, **overrides))
        assert message in page_text(response), overrides
    assert User.objects.count() == before


def test_cannot_lock_or_deactivate_oneself(demo_users, client_for):
    me = demo_users["applicant_admin"]
    with pytest.raises(NotAllowed):
        services.deactivate_user(me, actor=me)
    with pytest.raises(NotAllowed):
        services.set_user_locked(me, actor=me, locked=True)
    response = client_for("applicant_admin").post(reverse("accounts:user_delete", args=[me.pk]), follow=True)
    assert "不能注销自己的账号" in page_text(response)
    me.refresh_from_db()
    assert me.status == UserStatus.ACTIVE and me.is_active


def test_state_conflicts(demo_users):
    admin, target = demo_users["platform_admin"], demo_users["beneficiary_operator"]
    with pytest.raises(Conflict) as exc:
        services.set_user_locked(target, actor=admin, locked=False)
    assert "未被锁定" in exc.value.message
    services.set_user_locked(target, actor=admin, locked=True)
    with pytest.raises(Conflict):
        services.set_user_locked(target, actor=admin, locked=True)
    services.deactivate_user(target, actor=admin)
    with pytest.raises(Conflict):
        services.deactivate_user(target, actor=admin)
    assert User.objects.filter(pk=target.pk).exists()


def test_operator_without_permission_gets_403(client_for, demo_users):
    operator = client_for("applicant_operator")
    assert operator.get(reverse("accounts:user_list")).status_code == 403
    assert operator.post(reverse("accounts:user_lock", args=[demo_users["applicant_admin"].pk])).status_code == 403


def test_role_assignment_limited_to_the_organizations_type(demo_users, client_for):
    security = demo_users["platform_security"]
    target = demo_users["applicant_operator"]
    with pytest.raises(ServiceError) as exc:
        services.assign_roles(target, actor=security, roles=[Role.objects.get(code="guarantor_reviewer")])
    assert exc.value.code == "role_not_assignable"
    services.assign_roles(target, actor=security, roles=[Role.objects.get(code="applicant_admin")])
    assert list(target.groups.values_list("role__code", flat=True)) == ["applicant_admin"]
    # The page offers only the roles of that type.
    page = client_for("platform_security").get(reverse("accounts:user_roles", args=[target.pk]))
    assert "申请人管理员" in page_text(page) and "保证人审核员" not in page_text(page)
    # A disabled role cannot be handed out.
    Role.objects.filter(code="applicant_operator").update(enabled=False)
    with pytest.raises(ServiceError):
        services.assign_roles(target, actor=security, roles=[Role.objects.get(code="applicant_operator")])


def test_admin_reset_password_forces_change(demo_users, client_for):
    target = demo_users["applicant_operator"]
    response = client_for("applicant_admin").post(
        reverse("accounts:user_reset_password", args=[target.pk]), {"password": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password(PASSWORD) and target.must_change_password


def test_bulk_lock_reports_each_result(demo_users, client_for):
    me, other = demo_users["applicant_admin"], demo_users["applicant_operator"]
    response = client_for("applicant_admin").post(
        reverse("accounts:user_list"), {"bulk_action": "lock", "pk": [me.pk, other.pk]}, follow=True
    )
    text = page_text(response)
    assert "锁定：成功 1 条" in text and "不能锁定自己的账号" in text
    assert User.objects.get(pk=other.pk).status == UserStatus.LOCKED
    assert User.objects.get(pk=me.pk).status == UserStatus.ACTIVE


def test_detail_pages_show_times_in_beijing_time(demo_users, client_for):
    import datetime

    user = demo_users["applicant_operator"]
    user.password_changed_at = datetime.datetime(2026, 3, 1, 16, 30, tzinfo=datetime.UTC)
    user.save()
    page = client_for("applicant_admin").get(reverse("accounts:user_detail", args=[user.pk])).content.decode()
    assert "2026-03-02 00:30" in page and "+00:00" not in page
