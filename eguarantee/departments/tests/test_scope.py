"""Data scope: jurisdiction_departments (what later modules use) and the rule lists."""

import pytest
from django.urls import reverse

from eguarantee.accounts.models import User
from eguarantee.departments import selectors, services
from eguarantee.departments.models import DepartmentProfile

from .helpers import department, rule

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(demo_users):
    """省厅 ← 厦门市建设局 (demo) ← 思明区建设局; 福州市建设局 under nobody."""
    city = demo_users["department_admin"].organization
    province = department("福建省住房和城乡建设厅", "350000")
    district = department("厦门市思明区建设局", "350203")
    fuzhou = department("福州市建设局", "350100")
    DepartmentProfile.objects.create(organization=city, parent=province)
    DepartmentProfile.objects.create(organization=district, parent=city)
    return {"province": province, "city": city, "district": district, "fuzhou": fuzhou}


def staff_of(org, n):
    return User.objects.create(username=f"staff{n}", full_name="部门人员", organization=org, mobile=f"1360000{n:04d}")


def names(qs):
    return sorted(o.name for o in qs)


def test_a_department_sees_itself_and_the_departments_below(tree, demo_users):
    assert names(selectors.jurisdiction_departments(demo_users["department_inspector"])) == [
        "厦门市建设局",
        "厦门市思明区建设局",
    ]
    assert names(selectors.jurisdiction_departments(staff_of(tree["province"], 1))) == [
        "厦门市建设局",
        "厦门市思明区建设局",
        "福建省住房和城乡建设厅",
    ]  # 福州市建设局 names no parent: region containment alone does not open it
    assert names(selectors.jurisdiction_departments(staff_of(tree["district"], 2))) == ["厦门市思明区建设局"]


def test_platform_sees_every_department_and_others_none(tree, demo_users):
    assert selectors.jurisdiction_departments(demo_users["platform_auditor"]).count() == 4
    for role in ("applicant_admin", "guarantor_reviewer", "beneficiary_operator", "external_system"):
        assert not selectors.jurisdiction_departments(demo_users[role]).exists()


def test_jurisdiction_is_cheap(tree, demo_users, django_assert_max_num_queries):
    user = staff_of(tree["province"], 3)
    user = User.objects.select_related("organization").get(pk=user.pk)
    with django_assert_max_num_queries(4):
        assert len(list(selectors.jurisdiction_departments(user))) == 3


def test_rules_visible_to_a_department(tree, demo_users, client_for, api_for):
    own = rule(tree["city"], "350200", note="市局")
    lower = rule(tree["district"], "350203", note="区局")
    above = rule(tree["province"], "350000", note="省厅")
    other = rule(tree["fuzhou"], "350100", note="福州")
    user = demo_users["department_inspector"]
    assert set(selectors.rules_for(user)) == {own, lower}
    assert set(selectors.rules_for(demo_users["platform_admin"])) == {own, lower, above, other}
    assert not selectors.rules_for(demo_users["applicant_admin"]).exists()
    body = api_for("department_inspector").get(reverse("api:jurisdiction-rule-list")).json()
    assert sorted(r["id"] for r in body["results"]) == sorted([own.pk, lower.pk])
    text = client_for("department_admin").get(reverse("departments:rule_list")).content.decode()
    assert f'href="/departments/rules/{own.pk}/"' in text and f'href="/departments/rules/{other.pk}/"' not in text
    assert client_for("department_admin").get(reverse("departments:rule_detail", args=[above.pk])).status_code == 403
    assert client_for("department_admin").get(reverse("departments:rule_detail", args=[987654])).status_code == 404


def test_higher_department_sees_but_does_not_edit_a_lower_profile(tree, client_for):
    client = client_for("department_admin")
    assert client.get(reverse("departments:department_detail", args=[tree["district"].pk])).status_code == 200
    assert client.get(reverse("departments:department_edit", args=[tree["district"].pk])).status_code == 403
    assert client.get(reverse("departments:department_staff", args=[tree["district"].pk])).status_code == 403
    assert client.get(reverse("departments:department_detail", args=[tree["province"].pk])).status_code == 403
    text = client.get(reverse("departments:department_list")).content.decode()
    links = {org: f'href="/departments/{tree[org].pk}/"' in text for org in tree}
    assert links == {"city": True, "district": True, "province": False, "fuzhou": False}


def test_api_department_patch_is_scoped(tree, api_for, demo_users):
    api = api_for("department_admin")
    url = reverse("api:department-detail", args=[tree["city"].pk])
    response = api.patch(url, {"contact_name": "王科长", "duties": "房建"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["contact_name"] == "王科长" and response.json()["level_label"] == "市级"
    response = api.patch(
        reverse("api:department-detail", args=[tree["district"].pk]), {"duties": "越权"}, format="json"
    )
    assert response.status_code == 403
    assert DepartmentProfile.objects.get(organization=tree["district"]).duties == ""
    services.update_profile(tree["city"], actor=demo_users["platform_admin"], data={"parent": None})
    assert DepartmentProfile.objects.get(organization=tree["city"]).parent is None
