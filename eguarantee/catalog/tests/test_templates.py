"""Guarantee templates (6.4.2): drafts, publishing, versions, the placeholder language and
the PDF preview, per guarantor and as the platform's default."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from eguarantee.accounts import demo
from eguarantee.accounts.choices import OrgStatus, OrgType
from eguarantee.accounts.models import Organization
from eguarantee.catalog import placeholders, selectors, services
from eguarantee.catalog.choices import TemplateStatus
from eguarantee.catalog.models import GuaranteeTemplate, GuaranteeType
from eguarantee.core.exceptions import Conflict, NotAllowed
from eguarantee.core.testing import assert_api_error

pytestmark = pytest.mark.django_db

BODY = "# 投标保函\n\n致：{{受益人}}\n\n保函编号：{{保函编号}}，担保金额：{{担保金额大写}}。\n\n{{条款}}"


@pytest.fixture
def bid():
    return GuaranteeType.objects.get(code="bid")


def draft(user, bid, body=BODY, **data):
    return services.save_template(
        actor=user, data={"guarantee_type": bid, "name": "海峡投标保函", "body": body, **data}
    )


def pdf_text(content):
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_guarantor_admin_drafts_for_its_own_institution(demo_users, client_for, bid):
    admin = demo_users["guarantor_admin"]
    response = client_for("guarantor_admin").post(
        reverse("catalog:template_add"), {"guarantee_type": bid.pk, "name": "海峡投标保函", "body": BODY}, follow=True
    )
    assert "模板已保存为草稿" in response.content.decode()
    template = GuaranteeTemplate.objects.get(name="海峡投标保函")
    assert template.guarantor == admin.organization and template.status == TemplateStatus.DRAFT
    assert template.version == 1 and template.created_by == admin


def test_unknown_placeholder_is_refused_with_the_allowed_names(client_for, bid):
    before = GuaranteeTemplate.objects.count()
    response = client_for("guarantor_admin").post(
        reverse("catalog:template_add"), {"guarantee_type": bid.pk, "name": "错误模板", "body": "金额：{{保费金额}}"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "保费金额" in page and "担保金额大写" in page  # the unknown name, and what is allowed
    assert GuaranteeTemplate.objects.count() == before


@pytest.mark.parametrize(
    "body",
    ["{% for x in y %}{{保函编号}}{% endfor %}", "<script>alert(1)</script>", "${7*7}", "<b>粗体</b>{{保函编号}}"],
)
def test_markup_that_could_run_is_refused(demo_users, bid, body):
    with pytest.raises(services.ServiceError) as exc:
        draft(demo_users["guarantor_admin"], bid, body=body)
    assert exc.value.code == "invalid_template"
    assert not GuaranteeTemplate.objects.exists() or not GuaranteeTemplate.objects.filter(body=body).exists()


def test_publish_retires_the_previous_version_and_freezes_the_text(demo_users, client_for, bid):
    admin = demo_users["guarantor_admin"]
    first = draft(admin, bid)
    services.publish_template(first, actor=admin)
    assert selectors.template_in_force(admin.organization, bid) == first
    with pytest.raises(Conflict) as exc:
        services.save_template(actor=admin, data={"body": BODY + "\n\n补充"}, template=first)
    assert exc.value.code == "template_not_draft"
    client = client_for("guarantor_admin")
    response = client.post(reverse("catalog:template_new_version", args=[first.pk]))
    second = GuaranteeTemplate.objects.get(guarantor=admin.organization, version=2)
    assert response["Location"] == reverse("catalog:template_edit", args=[second.pk])
    client.post(
        reverse("catalog:template_edit", args=[second.pk]), {"name": "海峡投标保函", "body": BODY + "\n\n第二版"}
    )
    client.post(reverse("catalog:template_publish", args=[second.pk]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (TemplateStatus.RETIRED, TemplateStatus.PUBLISHED)
    assert first.body == BODY and second.body.endswith("第二版")
    assert selectors.template_in_force(admin.organization, bid) == second


def test_the_platform_default_applies_when_a_guarantor_has_none(demo_users, bid):
    platform = demo_users["platform_admin"]
    default = draft(platform, bid, guarantor=None)
    services.publish_template(default, actor=platform)
    assert default.guarantor is None
    assert selectors.template_in_force(demo_users["guarantor_admin"].organization, bid) == default
    assert selectors.template_in_force(None, bid) == default


def test_only_drafts_are_deleted(demo_users, client_for, bid):
    admin = demo_users["guarantor_admin"]
    template = draft(admin, bid)
    services.publish_template(template, actor=admin)
    response = client_for("guarantor_admin").post(reverse("catalog:template_delete", args=[template.pk]), follow=True)
    assert "已发布过的模板不能删除" in response.content.decode()
    assert GuaranteeTemplate.objects.filter(pk=template.pk).exists()
    other = services.new_version(template, actor=admin)
    services.delete_template(other, actor=admin)
    assert not GuaranteeTemplate.objects.filter(pk=other.pk).exists()


def test_another_guarantor_cannot_see_or_touch_a_template(demo_users, client_for, bid):
    template = draft(demo_users["guarantor_admin"], bid)
    rival = Organization.objects.create(
        name="另一家担保公司",
        credit_code=demo.credit_code("91350213", 77),
        org_type=OrgType.GUARANTOR,
        region_code="350203",
        status=OrgStatus.APPROVED,
    )
    outsider = demo_users["guarantor_reviewer"]
    outsider.organization = rival
    outsider.save()
    client = client_for("guarantor_reviewer")
    assert client.get(reverse("catalog:template_detail", args=[template.pk])).status_code == 403
    assert "海峡投标保函" not in client.get(reverse("catalog:template_list")).content.decode()
    with pytest.raises(NotAllowed):
        services.publish_template(template, actor=outsider)


def test_preview_is_a_real_pdf_with_the_sample_data(demo_users, client_for, bid):
    template = draft(demo_users["guarantor_admin"], bid)
    response = client_for("guarantor_reviewer").get(reverse("catalog:template_preview", args=[template.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    sample = placeholders.sample_values()
    assert "投标保函" in text and sample["保函编号"] in text and sample["担保金额大写"] in text
    assert demo_users["guarantor_admin"].organization.name in text  # the header names the guarantor


def test_api_templates(demo_users, api_for, bid):
    api = api_for("guarantor_admin")
    body = {"guarantee_type": bid.pk, "name": "接口模板", "body": BODY}
    created = api.post("/api/v1/guarantee-templates/", body, format="json")
    assert created.status_code == 201, created.content
    template_id = created.json()["id"]
    assert created.json()["guarantor"] == demo_users["guarantor_admin"].organization_id
    error = assert_api_error(
        api.post("/api/v1/guarantee-templates/", {**body, "body": "{{不存在}}"}, format="json"), 400, "invalid_template"
    )
    assert "不存在" in error["error"]["message"] and error["error"]["details"]["body"]
    patched = api.patch(f"/api/v1/guarantee-templates/{template_id}/", {"title": "投标保函（电子）"}, format="json")
    assert patched.json()["title"] == "投标保函（电子）"
    assert api.post(f"/api/v1/guarantee-templates/{template_id}/publish/").json()["status"] == "published"
    assert_api_error(
        api.patch(f"/api/v1/guarantee-templates/{template_id}/", {"title": "改"}, format="json"),
        409,
        "template_not_draft",
    )
    preview = api.get(f"/api/v1/guarantee-templates/{template_id}/preview/")
    assert preview.status_code == 200 and preview.content.startswith(b"%PDF")
    names = [p["name"] for p in api.get("/api/v1/guarantee-templates/placeholders/").json()]
    assert "保函编号" in names and "二维码" in names
    assert_api_error(api_for("applicant_admin").get("/api/v1/guarantee-templates/"), 403, "permission_denied")
