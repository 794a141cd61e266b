"""Roles and permissions (6.11.3)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from eguarantee.accounts import services
from eguarantee.accounts.models import Role
from eguarantee.core.exceptions import Conflict, NotAllowed

from .helpers import page_text

pytestmark = pytest.mark.django_db


def role_post(**overrides):
    data = {
        "name": "单位查询员",
        "code": "applicant_viewer",
        "org_type": "applicant",
        "description": "只读查看",
        "enabled": "on",
        "permissions": ["accounts.view_user", "accounts.view_organization"],
    }
    data.update(overrides)
    return data


def perms(role):
    return sorted(f"{a}.{c}" for a, c in role.permissions.values_list("content_type__app_label", "codename"))


def test_role_pages_render(client_for):
    security = client_for("platform_security")
    role = Role.objects.get(code="applicant_admin")
    for name, args in [
        ("accounts:role_list", []),
        ("accounts:role_add", []),
        ("accounts:role_detail", [role.pk]),
        ("accounts:role_edit", [role.pk]),
    ]:
        assert security.get(reverse(name, args=args)).status_code == 200, name
    assert "申请人管理员" in page_text(security.get(reverse("accounts:role_detail", args=[role.pk])))
    # An organization administrator sees only its own type's roles.
    text = page_text(client_for("applicant_admin").get(reverse("accounts:role_list")))
    assert "申请人经办人" in text and "保证人审核员" not in text


def test_create_role_with_permission_tree(client_for, demo_users):
    security = client_for("platform_security")
    response = security.post(reverse("accounts:role_add"), role_post(), follow=True)
    assert "角色已保存" in page_text(response)
    role = Role.objects.get(code="applicant_viewer")
    assert role.enabled and not role.builtin
    assert perms(role) == ["accounts.view_organization", "accounts.view_user"]
    # Edit: the tree replaces the permissions.
    security.post(reverse("accounts:role_edit", args=[role.pk]), role_post(permissions=["accounts.view_role"]))
    assert perms(role) == ["accounts.view_role"]
    # The holder gets exactly those permissions.
    operator = demo_users["applicant_operator"]
    services.assign_roles(operator, actor=demo_users["platform_security"], roles=[role])
    assert client_for("applicant_operator").get(reverse("accounts:role_list")).status_code == 200


def test_duplicate_role_name_and_code(client_for):
    security = client_for("platform_security")
    response = security.post(reverse("accounts:role_add"), role_post(name="申请人管理员"))
    assert "已有同名角色" in page_text(response)
    response = security.post(reverse("accounts:role_add"), role_post(code="applicant_admin"))
    assert "已有相同编码的角色" in page_text(response)
    assert not Role.objects.filter(name="单位查询员").exists()


def test_builtin_role_code_is_fixed(client_for):
    role = Role.objects.get(code="applicant_operator")
    response = client_for("platform_security").post(
        reverse("accounts:role_edit", args=[role.pk]), role_post(name=role.name, code="renamed")
    )
    assert "内置角色的编码不能修改" in page_text(response)
    assert Role.objects.filter(code="applicant_operator").exists()


def test_disabling_a_role_takes_effect_on_the_next_request(client_for):
    admin = client_for("platform_admin")
    assert admin.get(reverse("accounts:user_list")).status_code == 200
    role = Role.objects.get(code="platform_admin")
    response = client_for("platform_security").post(reverse("accounts:role_disable", args=[role.pk]), follow=True)
    assert "操作成功" in page_text(response)
    assert not Role.objects.get(pk=role.pk).enabled
    assert admin.get(reverse("accounts:user_list")).status_code == 403
    client_for("platform_security").post(reverse("accounts:role_enable", args=[role.pk]))
    assert admin.get(reverse("accounts:user_list")).status_code == 200


def test_permission_and_membership_changes_take_effect_on_the_next_request(client_for, demo_users):
    """Permission sets are cached per process; every way of changing them must show at once."""
    admin = client_for("applicant_admin")
    url = reverse("accounts:user_list")
    assert admin.get(url).status_code == 200
    role = Role.objects.get(code="applicant_admin")
    role.permissions.remove(role.permissions.get(codename="view_user"))
    assert admin.get(url).status_code == 403
    role.permissions.add(Permission.objects.get(codename="view_user"))
    assert admin.get(url).status_code == 200
    user = demo_users["applicant_admin"]
    user.groups.remove(role)
    assert admin.get(url).status_code == 403
    role.user_set.add(user)
    assert admin.get(url).status_code == 200


def test_saving_an_old_copy_of_a_user_keeps_the_permission_stamp(demo_users):
    stale = demo_users["applicant_admin"]
    stamp = stale.permissions_stamp
    Role.objects.get(code="applicant_admin").permissions.clear()
    stale.full_name = "改名"
    stale.save()
    stale.refresh_from_db()
    assert stale.permissions_stamp > stamp and stale.full_name == "改名"


def test_delete_refused_while_assigned_and_for_builtin(client_for, demo_users):
    security_user = demo_users["platform_security"]
    builtin = Role.objects.get(code="guarantor_reviewer")
    with pytest.raises(Conflict) as exc:
        services.delete_role(builtin, actor=security_user)
    assert exc.value.code == "role_in_use"
    response = client_for("platform_security").post(reverse("accounts:role_delete", args=[builtin.pk]), follow=True)
    assert "该角色仍分配给1个用户" in page_text(response)
    demo_users["guarantor_reviewer"].groups.clear()
    with pytest.raises(Conflict) as exc:
        services.delete_role(builtin, actor=security_user)
    assert exc.value.code == "builtin_role"
    assert Role.objects.filter(pk=builtin.pk).exists()
    custom = services.save_role(actor=security_user, data={"name": "临时", "code": "tmp", "org_type": "guarantor"})
    response = client_for("platform_security").post(reverse("accounts:role_delete", args=[custom.pk]), follow=True)
    assert "角色已删除" in page_text(response)
    assert not Role.objects.filter(pk=custom.pk).exists()


def test_only_security_admin_manages_roles(client_for, demo_users):
    assert client_for("platform_admin").get(reverse("accounts:role_add")).status_code == 403
    with pytest.raises(NotAllowed):
        services.save_role(actor=demo_users["platform_admin"], data={"name": "x", "code": "x", "org_type": "applicant"})
    assert client_for("applicant_admin").post(reverse("accounts:role_add"), role_post()).status_code == 403
    assert not Role.objects.filter(code="applicant_viewer").exists()


def test_module_defaults_reach_existing_roles_once(demo_users, monkeypatch):
    """A module added later brings its default permissions to the built-in roles that exist
    already; a default an administrator took away afterwards is not given back."""
    from eguarantee.accounts import roles

    role = Role.objects.get(code="applicant_operator")
    assert "accounts.view_user" not in perms(role)
    original = roles.default_grants

    def with_new_module():
        grants = original()
        grants["applicant_operator"].append("accounts.view_user")
        return grants

    monkeypatch.setattr(roles, "default_grants", with_new_module)
    services.ensure_default_roles()
    assert "accounts.view_user" in perms(role)
    role.permissions.remove(Permission.objects.get(codename="view_user"))
    services.ensure_default_roles()
    assert "accounts.view_user" not in perms(role)


def test_a_grant_to_an_unknown_role_is_a_programming_error(monkeypatch):
    import types

    from eguarantee.accounts import roles

    fake = types.SimpleNamespace(__name__="eguarantee.fake.roles", GRANTS={"no_such_role": ["accounts.view_user"]})
    monkeypatch.setattr(roles, "app_modules", lambda *args, **kwargs: [fake])
    with pytest.raises(ValueError, match="no_such_role"):
        roles.default_grants()
