"""The 归口 pages and API: the preview, rule forms, the resolve endpoint's answers to bad
parameters, the API's error codes, demo data."""

import pytest
from django.urls import reverse

from eguarantee.core.testing import assert_api_error
from eguarantee.departments import demo
from eguarantee.departments.models import DepartmentProfile, JurisdictionRule
from eguarantee.projects.choices import ProjectType

from .helpers import department, rule

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(demo_users):
    return demo_users["department_admin"].organization


@pytest.fixture
def seeded(demo_users):
    demo.seed_demo(demo_users)
    return {r.note: r for r in JurisdictionRule.objects.all()}


def snapshot():
    return sorted(JurisdictionRule.objects.values_list("pk", "project_type", "region_code", "department_id", "enabled"))


# ---------------------------------------------------------------- preview page


def test_preview_shows_department_rule_and_chain(client_for, seeded):
    response = client_for("department_inspector").get(
        reverse("departments:resolve"), {"project_type": "municipal", "region_code": "350203"}
    )
    text = response.content.decode()
    city_rule = JurisdictionRule.objects.get(project_type="municipal", region_code="350200")
    province_rule = JurisdictionRule.objects.get(project_type="municipal", region_code="350000")
    assert '<span id="resolved-department">厦门市建设局</span>' in text
    assert f"编号 {city_rule.pk}" in text and "福建省厦门市思明区" in text
    assert "区县级" in text and "市级" in text and "省级" in text
    assert "被更具体的规则覆盖" in text and f"编号 {province_rule.pk} → 福建省住房和城乡建设厅" in text
    # the inspector may open its own department's rule, not the province's
    assert reverse("departments:rule_detail", args=[city_rule.pk]) in text
    assert reverse("departments:rule_detail", args=[province_rule.pk]) not in text


def test_preview_without_a_rule_offers_to_add_one(client_for, seeded):
    text = (
        client_for("platform_admin")
        .get(reverse("departments:resolve"), {"project_type": "water", "region_code": "350203"})
        .content.decode()
    )
    assert "未找到归口部门" in text
    assert "/departments/rules/add/?project_type=water&amp;region_code=350203" in text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"project_type": "", "region_code": "350203"}, "请选择有效的工程类型"),
        ({"project_type": "spaceport", "region_code": "350203"}, "选择一个有效的选项"),
        ({"project_type": "building", "region_code": ""}, "行政区划代码应为6位数字"),
        ({"project_type": "building", "region_code": "35x203"}, "行政区划代码应为6位数字"),
        ({"project_type": "building", "region_code": "999999"}, "不存在或已撤销"),
        ({"project_type": "building", "region_code": "3502031234567890123456"}, "20"),
        ({"project_type": "building", "region_code": "\x00"}, ""),
    ],
)
def test_preview_bad_input_is_explained_on_the_page(client_for, seeded, query, message):
    response = client_for("platform_admin").get(reverse("departments:resolve"), query)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="resolution"' not in text and "invalid-feedback" in text
    assert message in text


# ---------------------------------------------------------------- resolve API


def test_resolve_api(api_for, seeded):
    body = (
        api_for("department_admin")
        .get(reverse("api:jurisdiction-rule-resolve"), {"project_type": "building", "region_code": "350203"})
        .json()
    )
    city_rule = JurisdictionRule.objects.get(project_type="building", region_code="350200")
    assert body["department"]["name"] == "厦门市建设局"
    assert body["rule"]["id"] == city_rule.pk
    assert [(c["region_code"], c["chosen"], bool(c["rule"])) for c in body["candidates"]] == [
        ("350203", False, False),
        ("350200", True, True),
        ("350000", False, True),
    ]
    body = (
        api_for("platform_admin")
        .get(reverse("api:jurisdiction-rule-resolve"), {"project_type": "building", "region_code": "350102"})
        .json()
    )
    assert body["department"]["name"] == "福建省住房和城乡建设厅"
    body = (
        api_for("platform_admin")
        .get(reverse("api:jurisdiction-rule-resolve"), {"project_type": "power", "region_code": "350102"})
        .json()
    )
    assert body["department"] is None and body["rule"] is None


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({}, "invalid_project_type"),
        ({"region_code": "350203"}, "invalid_project_type"),
        ({"project_type": "spaceport", "region_code": "350203"}, "invalid_project_type"),
        ({"project_type": "building"}, "invalid_region_code"),
        ({"project_type": "building", "region_code": "3502"}, "invalid_region_code"),
        ({"project_type": "building", "region_code": "%00"}, "invalid_region_code"),
        ({"project_type": "building", "region_code": "999999"}, "unknown_region_code"),
        ({"project_type": "building", "region_code": "350203" * 50}, "invalid_region_code"),
    ],
)
def test_resolve_api_bad_parameters_are_400_json(api_for, seeded, query, code):
    response = api_for("platform_admin").get(reverse("api:jurisdiction-rule-resolve"), query)
    body = assert_api_error(response, 400, code)
    assert body["error"]["details"]  # names the parameter at fault


# ---------------------------------------------------------------- rule forms and API writes


def test_rule_form_creates_and_refuses_with_the_reason(client_for, city):
    client = client_for("platform_admin")
    response = client.post(
        reverse("departments:rule_add"),
        {"project_type": "building", "region_code": "350200", "department": city.pk, "enabled": "on"},
        follow=True,
    )
    assert "归口规则已保存" in response.content.decode()
    existing = JurisdictionRule.objects.get()
    other = department("厦门市交通运输局", "350200")
    before = snapshot()
    for post, fragment in [
        ({"region_code": "350200", "department": other.pk, "enabled": "on"}, f"编号 {existing.pk}"),
        ({"region_code": "350102", "department": city.pk, "enabled": "on"}, "不包含行政区划 350102"),
        ({"region_code": "999999", "department": city.pk}, "不存在或已撤销"),
    ]:
        response = client.post(reverse("departments:rule_add"), {"project_type": "building", **post})
        assert response.status_code == 200 and fragment in response.content.decode()
    assert snapshot() == before


def test_rule_form_prefills_from_the_preview(client_for):
    text = (
        client_for("platform_admin")
        .get(reverse("departments:rule_add"), {"project_type": "water", "region_code": "350203"})
        .content.decode()
    )
    assert 'value="350203"' in text and '<option value="water" selected>' in text
    assert 'id="region-code-options"' in text and "福建省厦门市思明区" in text


def test_bulk_disable_and_enable(client_for, city):
    first, second = rule(city, "350200"), rule(city, "350203")
    client = client_for("platform_admin")
    client.post(reverse("departments:rule_list"), {"bulk_action": "disable", "pk": [first.pk, second.pk]})
    assert not JurisdictionRule.objects.filter(enabled=True).exists()
    response = client.post(reverse("departments:rule_list"), {"bulk_action": "enable", "pk": [first.pk]}, follow=True)
    assert "成功 1 条" in response.content.decode()
    assert list(JurisdictionRule.objects.filter(enabled=True)) == [first]


def test_api_rule_errors_have_stable_codes(api_for, city, demo_users):
    api = api_for("platform_admin")
    url = reverse("api:jurisdiction-rule-list")
    created = api.post(url, {"project_type": "building", "region_code": "350200", "department": city.pk}, format="json")
    assert created.status_code == 201 and created.json()["department_name"] == "厦门市建设局"
    before = snapshot()
    other = department("厦门市交通运输局", "350200")
    applicant = demo_users["applicant_admin"].organization
    for body, status, code in [
        ({"project_type": "building", "region_code": "350200", "department": other.pk}, 409, "rule_conflict"),
        ({"project_type": "building", "region_code": "350200", "department": city.pk}, 409, "rule_conflict"),
        (
            {"project_type": "building", "region_code": "350102", "department": city.pk},
            400,
            "region_outside_department",
        ),
        ({"project_type": "building", "region_code": "350203", "department": applicant.pk}, 400, "not_department"),
        ({"project_type": "building", "region_code": "12", "department": city.pk}, 400, "invalid_region_code"),
        ({"project_type": "rocket", "region_code": "350203", "department": city.pk}, 400, "invalid_project_type"),
        ({"project_type": "building", "region_code": "350203", "department": 987654}, 400, "validation_error"),
        ({"project_type": "building", "region_code": "350203"}, 400, "validation_error"),
    ]:
        body_out = assert_api_error(api.post(url, body, format="json"), status, code)
        if code == "rule_conflict":
            assert body_out["error"]["details"]["existing_rule"] == created.json()["id"]
    assert snapshot() == before
    response = api.patch(
        reverse("api:jurisdiction-rule-detail", args=[created.json()["id"]]), {"region_code": "350102"}, format="json"
    )
    assert_api_error(response, 400, "region_outside_department")
    assert snapshot() == before


def test_api_refuses_department_staff_writes(api_for, city):
    existing = rule(city, "350200")
    api = api_for("department_admin")
    response = api.post(
        reverse("api:jurisdiction-rule-list"),
        {"project_type": "water", "region_code": "350203", "department": city.pk},
        format="json",
    )
    assert_api_error(response, 403, "permission_denied")
    assert_api_error(api.delete(reverse("api:jurisdiction-rule-detail", args=[existing.pk])), 403, "permission_denied")
    assert snapshot() == [(existing.pk, "building", "350200", city.pk, True)]


def test_api_bad_parent_leaves_profile_unchanged(api_for, city, demo_users):
    api = api_for("platform_admin")
    url = reverse("api:department-detail", args=[city.pk])
    assert api.patch(url, {"duties": "原职责"}, format="json").status_code == 200
    for body, code in [
        ({"parent": demo_users["applicant_admin"].organization_id, "duties": "改"}, "not_department"),
        ({"parent": department("厦门市交通运输局", "350200").pk, "duties": "改"}, "invalid_parent"),
        ({"parent": 987654}, "validation_error"),
        ({"contact_email": "bad"}, "validation_error"),
    ]:
        assert_api_error(api.patch(url, body, format="json"), 400, code)
    assert DepartmentProfile.objects.get(organization=city).duties == "原职责"


@pytest.mark.parametrize(
    "url",
    [
        "/departments/?q=%00&level=%00&region_code=%00",
        "/departments/rules/?q=%00&sort=%00&page=%00&enabled=%00&department=abc",
        "/departments/rules/?level=moon&export=xlsx",
        "/api/v1/jurisdiction-rules/?region_code=%00&ordering=%00",
        "/api/v1/departments/?level=%00&parent=x",
        "/departments/rules/resolve/?project_type=%00&region_code=%00",
    ],
)
def test_hostile_query_strings(client_for, url):
    response = client_for("platform_admin").get(url)
    assert response.status_code < 500
    if url.startswith("/api/") and response.status_code >= 400:
        assert response.json()["error"]["code"]


def test_demo_data_is_idempotent_and_shows_most_specific_wins(demo_users):
    demo.seed_demo(demo_users)
    first = (snapshot(), DepartmentProfile.objects.count())
    demo.seed_demo(demo_users)
    assert (snapshot(), DepartmentProfile.objects.count()) == first
    from eguarantee.departments.selectors import resolve_department

    assert resolve_department(ProjectType.BUILDING, "350203").name == "厦门市建设局"
    assert resolve_department(ProjectType.BUILDING, "350102").name == "福建省住房和城乡建设厅"
    city = DepartmentProfile.objects.get(organization=demo_users["department_admin"].organization)
    assert city.parent.name == "福建省住房和城乡建设厅"


def test_menu_shows_the_module(client_for):
    text = client_for("department_inspector").get(reverse("departments:rule_list")).content.decode()
    assert "行政管理部门配置管理" in text and "归口查询" in text
    text = client_for("applicant_admin").get(reverse("core:dashboard")).content.decode()
    assert "行政管理部门配置管理" not in text
