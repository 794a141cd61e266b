"""Data builders shared by the departments tests and matrix lines."""

from eguarantee.accounts import demo
from eguarantee.accounts.choices import OrgStatus, OrgType
from eguarantee.accounts.models import Organization
from eguarantee.core import regions
from eguarantee.departments.models import JurisdictionRule
from eguarantee.projects.choices import ProjectType


def department(name, region_code, serial=None):
    """A department organization (approved) in region_code."""
    serial = serial or 5000 + Organization.objects.count()
    return Organization.objects.create(
        name=name,
        credit_code=demo.credit_code(f"11{region_code}", serial),
        org_type=OrgType.DEPARTMENT,
        region_code=region_code,
        status=OrgStatus.APPROVED,
    )


def city_department(users):
    """The demo department: 厦门市建设局, 350200."""
    return users["department_admin"].organization


def rule(dept, region_code, project_type=ProjectType.BUILDING, enabled=True, note=""):
    return JurisdictionRule.objects.create(
        project_type=project_type, region_code=region_code, department=dept, enabled=enabled, note=note
    )


def fresh_district(parent="350200"):
    """A district of `parent` that no rule uses yet."""
    used = set(JurisdictionRule.objects.values_list("region_code", flat=True))
    return next(code for code, _ in regions.children(parent) if code not in used)
