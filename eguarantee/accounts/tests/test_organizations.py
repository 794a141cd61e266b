"""Organization pages: list, detail, edit, lock, licence download."""

import pytest
from django.urls import reverse

from eguarantee.accounts import services
from eguarantee.accounts.models import Organization

from .helpers import PDF_BYTES, page_text
from .helpers import service_registration as reg

pytestmark = pytest.mark.django_db


def test_organization_pages_render(demo_users, client_for):
    admin = client_for("platform_admin")
    org = demo_users["guarantor_admin"].organization
    for name, args in [
        ("accounts:organization_list", []),
        ("accounts:organization_add", []),
        ("accounts:organization_detail", [org.pk]),
        ("accounts:organization_edit", [org.pk]),
    ]:
        response = admin.get(reverse(name, args=args))
        assert response.status_code == 200, name
    assert org.credit_code in page_text(admin.get(reverse("accounts:organization_detail", args=[org.pk])))
    text = page_text(client_for("applicant_admin").get(reverse("accounts:organization_list")))
    assert "厦门鹭江建设工程有限公司" in text and "海峡工程担保股份有限公司" not in text


def test_org_admin_edits_contact_data_but_not_identity(demo_users, client_for):
    org = demo_users["applicant_admin"].organization
    response = client_for("applicant_admin").post(
        reverse("accounts:organization_edit", args=[org.pk]),
        {
            "name": "改名企图",
            "credit_code": "91350200000000000X",
            "org_type": "guarantor",
            "region_code": "350203",
            "address": "新地址",
            "legal_representative": "王五",
            "contact_name": "赵六",
            "contact_phone": "0592-1234567",
            "contact_email": "zl@example.com",
        },
        follow=True,
    )
    assert "已保存" in page_text(response)
    org.refresh_from_db()
    assert org.address == "新地址" and org.contact_name == "赵六"
    assert org.name == "厦门鹭江建设工程有限公司" and org.org_type == "applicant"
    other = demo_users["guarantor_admin"].organization
    assert client_for("applicant_admin").get(reverse("accounts:organization_edit", args=[other.pk])).status_code == 403


def test_licence_download_is_scoped(demo_users, client_for):
    org, _ = services.register_organization(**reg())
    response = client_for("platform_admin").get(reverse("accounts:organization_licence", args=[org.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
    assert client_for("applicant_admin").get(reverse("accounts:organization_licence", args=[org.pk])).status_code == 403


def test_delete_refused_while_users_exist(demo_users, client_for):
    org = demo_users["beneficiary_admin"].organization
    response = client_for("platform_admin").post(reverse("accounts:organization_delete", args=[org.pk]), follow=True)
    assert "该单位下仍有用户账号，不能删除" in page_text(response)
    assert Organization.objects.filter(pk=org.pk).exists()
