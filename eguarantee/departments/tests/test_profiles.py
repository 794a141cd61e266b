"""Department profiles (6.3.1): level from the region code, the parent rule, who edits what,
and the staff page."""

import pytest
from django.urls import reverse

from eguarantee.core.exceptions import NotAllowed, ServiceError
from eguarantee.departments import services
from eguarantee.departments.models import DepartmentProfile

from .helpers import department

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(demo_users):
    return demo_users["platform_admin"]


@pytest.fixture
def city(demo_users):
    return demo_users["department_admin"].organization


@pytest.fixture
def province(db):
    return department("福建省住房和城乡建设厅", "350000")


def profiles():
    return sorted(DepartmentProfile.objects.values_list("organization_id", "parent_id", "duties", "contact_name"))


def test_level_follows_the_region_code(admin, city, province):
    district = department("厦门市思明区建设局", "350203")
    labels = {}
    for org in (province, city, district):
        labels[org.region_code] = services.update_profile(org, actor=admin, data={}).level_label
    assert labels == {"350000": "省级", "350200": "市级", "350203": "区县级"}
    city.region_code = "350203"  # the organization moved: its level moves with it
    city.save()
    assert DepartmentProfile.objects.get(organization=city).level_label == "区县级"


def test_parent_must_be_higher_and_contain_the_region(admin, city, province):
    services.update_profile(city, actor=admin, data={"parent": province, "duties": "房建市政"})
    assert DepartmentProfile.objects.get(organization=city).parent == province
    fuzhou = department("福州市建设局", "350100")
    district = department("厦门市思明区建设局", "350203")
    peer = department("厦门市交通运输局", "350200")
    beijing = department("北京市住房和城乡建设委员会", "110000")
    before = profiles()
    for org, parent, fragment in [
        (district, fuzhou, "不包含"),  # another city's department
        (district, beijing, "不包含"),  # another province
        (city, peer, "行政级别必须高于"),  # same level
        (province, city, "行政级别必须高于"),  # lower level
        (city, city, "不能是本部门自己"),
    ]:
        with pytest.raises(ServiceError) as exc:
            services.update_profile(org, actor=admin, data={"parent": parent, "duties": "改"})
        assert exc.value.code == "invalid_parent" and fragment in exc.value.message, (org, parent)
    assert profiles() == before


def test_non_departments_are_refused(admin, city, demo_users):
    applicant = demo_users["applicant_admin"].organization
    with pytest.raises(ServiceError) as exc:
        services.update_profile(city, actor=admin, data={"parent": applicant})
    assert exc.value.code == "not_department"
    with pytest.raises(ServiceError) as exc:
        services.create_profile(actor=admin, organization=applicant, data={})
    assert exc.value.code == "not_department"
    assert profiles() == []


def test_department_admin_edits_only_its_own_profile(demo_users, city):
    actor = demo_users["department_admin"]
    services.update_profile(city, actor=actor, data={"contact_name": "王科长", "contact_phone": "0592-1234567"})
    assert profiles() == [(city.pk, None, "", "王科长")]
    other = department("福州市建设局", "350100")
    with pytest.raises(NotAllowed):
        services.update_profile(other, actor=actor, data={"contact_name": "越权"})
    with pytest.raises(NotAllowed):
        services.update_profile(city, actor=demo_users["department_inspector"], data={"contact_name": "越权"})
    assert profiles() == [(city.pk, None, "", "王科长")]


def test_create_twice_and_bad_email_are_refused(admin, city):
    services.create_profile(actor=admin, organization=city, data={"duties": "一"})
    with pytest.raises(ServiceError) as exc:
        services.create_profile(actor=admin, organization=city, data={"duties": "二"})
    assert exc.value.code == "profile_exists"
    with pytest.raises(ServiceError) as exc:
        services.update_profile(city, actor=admin, data={"contact_email": "not-an-email"})
    assert exc.value.field == "contact_email"
    assert profiles() == [(city.pk, None, "一", "")]


def test_deleting_a_profile_keeps_the_department(admin, city, province):
    services.update_profile(city, actor=admin, data={"parent": province})
    services.update_profile(province, actor=admin, data={"duties": "省级"})
    services.delete_profile(province, actor=admin)
    assert profiles() == [(city.pk, province.pk, "", "")]  # the child still names its parent
    with pytest.raises(ServiceError) as exc:
        services.delete_profile(province, actor=admin)
    assert exc.value.code == "no_profile"


# ---------------------------------------------------------------- pages


def test_edit_page_saves_and_shows_errors_inline(client_for, city, province):
    client = client_for("platform_admin")
    url = reverse("departments:department_edit", args=[city.pk])
    response = client.post(url, {"parent": province.pk, "duties": "负责厦门", "contact_name": "李四"}, follow=True)
    text = response.content.decode()
    assert "部门档案已保存" in text and "福建省住房和城乡建设厅" in text and "市级" in text
    peer = department("厦门市交通运输局", "350200")
    response = client.post(url, {"parent": peer.pk, "duties": "改掉"})
    assert response.status_code == 200 and "上级部门的行政级别必须高于本部门" in response.content.decode()
    assert DepartmentProfile.objects.get(organization=city).duties == "负责厦门"


def test_department_admin_edits_own_profile_page_but_not_another(client_for, city):
    client = client_for("department_admin")
    response = client.post(
        reverse("departments:department_edit", args=[city.pk]), {"contact_name": "王科长"}, follow=True
    )
    assert "部门档案已保存" in response.content.decode()
    other = department("福州市建设局", "350100")
    assert client.get(reverse("departments:department_edit", args=[other.pk])).status_code == 403
    assert client.post(reverse("departments:department_edit", args=[other.pk]), {"duties": "x"}).status_code == 403
    assert not DepartmentProfile.objects.filter(organization=other).exists()


def test_create_page_lists_departments_without_profile(client_for, city, province, admin):
    services.update_profile(city, actor=admin, data={})
    client = client_for("platform_admin")
    text = client.get(reverse("departments:department_add")).content.decode()
    assert "福建省住房和城乡建设厅" in text and f'value="{city.pk}"' not in text.split("上级部门")[0]
    response = client.post(
        reverse("departments:department_add"), {"organization": province.pk, "duties": "全省"}, follow=True
    )
    assert "部门档案已建立" in response.content.decode()
    assert DepartmentProfile.objects.get(organization=province).duties == "全省"


def test_staff_page_lists_staff_and_roles_with_links(client_for, demo_users, city):
    response = client_for("department_admin").get(reverse("departments:department_staff", args=[city.pk]))
    text = response.content.decode()
    for role in ("department_admin", "department_inspector"):
        user = demo_users[role]
        assert reverse("accounts:user_detail", args=[user.pk]) in text
        assert reverse("accounts:user_roles", args=[user.pk]) in text  # the foundation's role assignment
    assert "主管部门管理员" in text and "主管部门查验员" in text
    assert "applicant_admin" not in text
    # the platform's system administrator sees the staff but does not assign roles (三权分立)
    text = client_for("platform_admin").get(reverse("departments:department_staff", args=[city.pk])).content.decode()
    assert "department_inspector" in text and "分配角色</a>" not in text


def test_list_filters_by_level_and_exports(client_for, city, province):
    client = client_for("platform_admin")
    text = client.get(reverse("departments:department_list"), {"level": "province"}).content.decode()
    assert f'href="/departments/{province.pk}/"' in text and f'href="/departments/{city.pk}/"' not in text
    response = client.get(reverse("departments:department_list"), {"level": "city", "export": "xlsx"})
    from io import BytesIO

    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][0] == "部门名称" and [r[0] for r in rows[1:]] == ["厦门市建设局"]


def test_edit_pages_show_the_saved_values(client_for, city, province, admin):
    services.update_profile(city, actor=admin, data={"parent": province, "duties": "负责厦门房建"})
    text = client_for("department_admin").get(reverse("departments:department_edit", args=[city.pk])).content.decode()
    assert "负责厦门房建</textarea>" in text
    assert f'<option value="{province.pk}" selected>' in text
    from .helpers import rule

    existing = rule(city, "350203", note="思明")
    text = client_for("platform_admin").get(reverse("departments:rule_edit", args=[existing.pk])).content.decode()
    assert 'value="350203"' in text and 'value="思明"' in text and f'<option value="{city.pk}" selected>' in text
