"""Demo organizations and users, one per built-in role, for `make run` and the tests."""

from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc

from .choices import OrgStatus, OrgType
from .models import Organization, PasswordHistory, Role, User
from .roles import DEFAULT_ROLES

DEMO_PASSWORD = "Demo@2026!"

DEMO_ORGS = [
    (OrgType.PLATFORM, "工程担保在线服务平台运营中心", "350200", "91350200"),
    (OrgType.APPLICANT, "厦门鹭江建设工程有限公司", "350203", "91350203"),
    (OrgType.GUARANTOR, "海峡工程担保股份有限公司", "350200", "91350211"),
    (OrgType.BENEFICIARY, "厦门市城市建设投资集团有限公司", "350200", "91350212"),
    (OrgType.DEPARTMENT, "厦门市建设局", "350200", "11350200"),
    (OrgType.EXTERNAL, "厦门市公共资源交易中心", "350200", "12350200"),
]


def credit_code(prefix, serial):
    body = f"{prefix}{serial:09d}"[:17]
    return body + uscc.calc_check_digit(body)


def demo_mobile(index):
    return f"1390000{index:04d}"


@transaction.atomic
def seed():
    """Idempotent: existing demo records are left alone. Returns {role code: user}."""
    orgs = {}
    for serial, (org_type, name, region, prefix) in enumerate(DEMO_ORGS, start=1):
        org, _ = Organization.objects.get_or_create(
            credit_code=credit_code(prefix, serial),
            defaults={
                "name": name,
                "org_type": org_type,
                "region_code": region,
                "status": OrgStatus.APPROVED,
                "address": "福建省厦门市",
                "contact_name": "演示联系人",
                "contact_phone": "0592-0000000",
                "reviewed_at": timezone.now(),
                "review_comment": "演示数据",
            },
        )
        orgs[org_type] = org
    users = {}
    for index, (code, name, org_type, _perms, _desc) in enumerate(DEFAULT_ROLES, start=1):
        user = User.objects.filter(username=code).first()
        if user is None:
            user = User(username=code, full_name=f"演示{name}", organization=orgs[org_type], mobile=demo_mobile(index))
            user.set_password(DEMO_PASSWORD)
            user.password_changed_at = timezone.now()
            user.save()
            PasswordHistory.objects.create(user=user, password=user.password)
            user.groups.add(Role.objects.get(code=code))
        users[code] = user
    return users
