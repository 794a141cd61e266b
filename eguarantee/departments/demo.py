"""Demo departments and 归口 rules for `make run`: 厦门市建设局 (city) under a province-level
福建省住房和城乡建设厅, so the 归口查询 page shows the most specific rule winning —
房建 in 350203 goes to 厦门市建设局 (its 350200 rule), 房建 in 350102 (福州) to the 省厅."""

from django.db import transaction
from django.utils import timezone

from eguarantee.accounts import demo as accounts_demo
from eguarantee.accounts.choices import OrgStatus, OrgType
from eguarantee.accounts.models import Organization
from eguarantee.projects.choices import ProjectType

from .models import DepartmentProfile, JurisdictionRule

PROVINCE_DEPARTMENT = ("福建省住房和城乡建设厅", "350000", "11350000", 901)

RULES = [
    # project type, region, which department ("city" / "province"), note
    (ProjectType.BUILDING, "350200", "city", "厦门市房屋建筑工程"),
    (ProjectType.MUNICIPAL, "350200", "city", "厦门市市政公用工程"),
    (ProjectType.BUILDING, "350000", "province", "全省房屋建筑工程（设区市另有规则的除外）"),
    (ProjectType.MUNICIPAL, "350000", "province", "全省市政公用工程（设区市另有规则的除外）"),
]


def province_department():
    name, region, prefix, serial = PROVINCE_DEPARTMENT
    org, _ = Organization.objects.get_or_create(
        credit_code=accounts_demo.credit_code(prefix, serial),
        defaults={
            "name": name,
            "org_type": OrgType.DEPARTMENT,
            "region_code": region,
            "status": OrgStatus.APPROVED,
            "address": "福建省福州市",
            "contact_name": "演示联系人",
            "contact_phone": "0591-0000000",
            "reviewed_at": timezone.now(),
            "review_comment": "演示数据",
        },
    )
    return org


@transaction.atomic
def seed_demo(users):
    """Idempotent: records that exist are left as they are."""
    city = users["department_admin"].organization
    province = province_department()
    DepartmentProfile.objects.get_or_create(
        organization=province,
        defaults={
            "duties": "负责全省房屋建筑和市政基础设施工程的监督管理，指导设区市建设主管部门开展电子保函查验工作。",
            "contact_name": "省厅演示联系人",
            "contact_phone": "0591-87000000",
            "office_address": "福建省福州市鼓楼区",
        },
    )
    DepartmentProfile.objects.get_or_create(
        organization=city,
        defaults={
            "parent": province,
            "duties": "负责厦门市房屋建筑和市政公用工程电子保函的归口受理与真实性查验。",
            "contact_name": "市局演示联系人",
            "contact_phone": "0592-2000000",
            "office_address": "福建省厦门市思明区",
        },
    )
    departments = {"city": city, "province": province}
    for project_type, region, which, note in RULES:
        if not JurisdictionRule.objects.filter(project_type=project_type, region_code=region).exists():
            JurisdictionRule.objects.create(
                project_type=project_type, region_code=region, department=departments[which], note=note
            )
