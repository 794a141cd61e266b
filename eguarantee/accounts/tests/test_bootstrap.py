import pytest
from django.core.management import CommandError, call_command
from stdnum.cn import uscc

from eguarantee.accounts.choices import OrgType
from eguarantee.accounts.models import Organization, User

pytestmark = pytest.mark.django_db

CODE = "91350200MA00000" + "01"
CODE = CODE[:17] + uscc.calc_check_digit(CODE[:17])
ARGS = [
    "--name",
    "工程担保服务中心",
    "--credit-code",
    CODE,
    "--region",
    "350200",
    "--username",
    "sysadmin",
    "--full-name",
    "张三",
    "--mobile",
    "13912345678",
]


def test_bootstrap_creates_the_platform_and_an_administrator_who_must_change_the_password(monkeypatch):
    monkeypatch.setenv("PLATFORM_ADMIN_PASSWORD", "Start#2026pass")
    call_command("bootstrap_platform", *ARGS)
    org = Organization.objects.get(org_type=OrgType.PLATFORM)
    admin = User.objects.get(username="sysadmin")
    assert admin.organization == org and admin.must_change_password
    assert admin.check_password("Start#2026pass")
    assert admin.has_perm("accounts.approve_organization")
    with pytest.raises(CommandError, match="已存在"):
        call_command("bootstrap_platform", *ARGS)


def test_bootstrap_refuses_a_weak_password_and_writes_nothing(monkeypatch):
    monkeypatch.setenv("PLATFORM_ADMIN_PASSWORD", "weak")
    with pytest.raises(CommandError, match="密码"):
        call_command("bootstrap_platform", *ARGS)
    assert not Organization.objects.filter(org_type=OrgType.PLATFORM).exists()
    assert not User.objects.filter(username="sysadmin").exists()
