"""Permission-matrix lines for departments: profiles, staff, 归口 rules, the preview (pages and
API). Only the platform's system administrator maintains rules; departments read theirs."""

from eguarantee.accounts.models import Organization
from eguarantee.core.matrix import ADMIN, DEPARTMENTS, SECURITY, Route, pk
from eguarantee.departments.models import JurisdictionRule
from eguarantee.projects.choices import ProjectType

from .helpers import department, fresh_district, rule

NAMESPACES = {"departments"}

VIEW_PROFILE = ADMIN | SECURITY | DEPARTMENTS
CHANGE_PROFILE = ADMIN | {"department_admin"}
VIEW_STAFF = ADMIN | SECURITY | {"department_admin"}  # also needs accounts.view_user
VIEW_RULE = ADMIN | DEPARTMENTS


def demo_department(o):
    return {"pk": o.org_of("department_admin").pk}


def demo_rule(o):
    """The demo department's building rule for 厦门市 (one per run, whatever asks first)."""
    found, _ = JurisdictionRule.objects.get_or_create(
        project_type=ProjectType.BUILDING,
        region_code="350200",
        enabled=True,
        defaults={"department": o.org_of("department_admin")},
    )
    return found


def fresh_rule(o, enabled=True):
    return rule(o.org_of("department_admin"), fresh_district(), ProjectType.MUNICIPAL, enabled=enabled)


RESOLVE_QUERY = {"project_type": "building", "region_code": "350203"}

ROUTES = [
    # ---- department profiles (6.3.1)
    Route("departments:department_list", VIEW_PROFILE),
    Route("departments:department_add", ADMIN),
    Route("departments:department_detail", VIEW_PROFILE, demo_department),
    Route("departments:department_edit", CHANGE_PROFILE, demo_department),
    Route("departments:department_delete", ADMIN, demo_department),
    Route("departments:department_staff", VIEW_STAFF, demo_department),
    # ---- 归口 rules (6.3.2)
    Route("departments:rule_list", VIEW_RULE),
    Route("departments:rule_add", ADMIN),
    Route("departments:resolve", VIEW_RULE),
    Route("departments:resolve", VIEW_RULE, data=RESOLVE_QUERY),
    Route("departments:rule_detail", VIEW_RULE, pk(demo_rule)),
    Route("departments:rule_edit", ADMIN, pk(demo_rule)),
    Route("departments:rule_delete", ADMIN, pk(demo_rule)),
    Route("departments:rule_enable", ADMIN, pk(lambda o: fresh_rule(o, enabled=False))),
    Route("departments:rule_disable", ADMIN, pk(demo_rule)),
    # ---- API
    Route("api:department-list", VIEW_PROFILE),
    Route("api:department-detail", VIEW_PROFILE, demo_department),
    Route("api:department-detail", CHANGE_PROFILE, demo_department, method="patch", data={"contact_name": "张三"}),
    Route("api:jurisdiction-rule-list", VIEW_RULE),
    Route(
        "api:jurisdiction-rule-list",
        ADMIN,
        method="post",
        ok=201,
        data=lambda o: {
            "project_type": "water",
            "region_code": fresh_district(),
            "department": o.org_of("department_admin").pk,
        },
    ),
    Route("api:jurisdiction-rule-detail", VIEW_RULE, pk(demo_rule)),
    Route("api:jurisdiction-rule-detail", ADMIN, pk(demo_rule), method="patch", data={"note": "调整"}),
    Route("api:jurisdiction-rule-detail", ADMIN, pk(fresh_rule), method="delete", ok=204),
    Route("api:jurisdiction-rule-enable", ADMIN, pk(lambda o: fresh_rule(o, enabled=False)), method="post"),
    Route("api:jurisdiction-rule-disable", ADMIN, pk(fresh_rule), method="post"),
    Route("api:jurisdiction-rule-resolve", VIEW_RULE, data=RESOLVE_QUERY),
]


def other_city_department(users):
    return Organization.objects.filter(name="福州市建设局").first() or department("福州市建设局", "350100")


def other_city_rule(users):
    dept = other_city_department(users)
    return JurisdictionRule.objects.filter(department=dept).first() or rule(dept, "350100")


# A department sees its own (and its lower departments') profile and rules; another city's
# department answers 403, as does an organization that is not a department.
SCOPE = [
    ("department_admin", "departments:department_detail", other_city_department, 403),
    ("department_inspector", "departments:department_detail", other_city_department, 403),
    ("department_admin", "departments:department_detail", lambda u: u["applicant_admin"].organization, 403),
    ("department_admin", "departments:department_edit", other_city_department, 403),
    ("department_admin", "departments:department_staff", other_city_department, 403),
    ("department_admin", "departments:rule_detail", other_city_rule, 403),
    ("department_inspector", "api:jurisdiction-rule-detail", other_city_rule, 403),
    ("department_admin", "api:department-detail", other_city_department, 403),
    ("department_admin", "departments:department_detail", lambda u: u["department_admin"].organization, 200),
    ("platform_admin", "departments:department_detail", other_city_department, 200),
    ("platform_admin", "departments:rule_detail", other_city_rule, 200),
]
