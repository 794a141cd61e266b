"""Master-data journeys in a real browser: a guarantor's administrator edits a clause, writes
a template and downloads its preview PDF; a department's inspector checks a guarantee number."""

import datetime
import io

import pytest
from django.utils.timezone import localdate as today
from pypdf import PdfReader

from eguarantee.accounts import demo
from eguarantee.catalog.choices import TemplateStatus
from eguarantee.catalog.models import GuaranteeTemplate, GuaranteeType
from eguarantee.core.testing_browser import login
from eguarantee.guarantees.models import Inspection
from eguarantee.guarantees.tests.factories import issued
from eguarantee.guarantors import services as guarantor_services
from eguarantee.guarantors.models import Clause
from eguarantee.guarantors.tests.helpers import profile_for

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def pdf_text(content):
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_guarantor_edits_a_clause_writes_a_template_and_reads_its_preview_pdf(page, demo_users, assert_styled):
    admin = demo_users["guarantor_admin"]
    profile_for(admin.organization, short_code="HXDB")
    clause = guarantor_services.create_clause(
        actor=admin,
        guarantor=admin.organization,
        guarantee_type=GuaranteeType.objects.get(code="bid"),
        data={
            "title": "投标保函条款",
            "body": "一、保证人在收到受益人书面索赔通知后七个工作日内付款。",
            "effective_from": today(),
        },
    )
    guarantor_services.publish_clause(clause, actor=admin)
    login(page, "guarantor_admin", demo.DEMO_PASSWORD)

    # A published clause is never changed in place: the edit becomes version 2.
    page.get_by_role("link", name="业务条款").first.click()
    page.get_by_role("link", name="投标保函条款").first.click()
    page.get_by_role("link", name="修改（发布新版本）").click()
    page.fill("#id_body", "一、保证人在收到受益人书面索赔通知后五个工作日内付款。")
    page.fill("#id_effective_from", (today() + datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="保存").click()
    page.locator("#versions").get_by_text("v2").wait_for()
    assert Clause.objects.filter(guarantor=admin.organization).count() == 2
    assert Clause.objects.get(version=2).body.endswith("五个工作日内付款。")
    assert Clause.objects.get(version=1).body.endswith("七个工作日内付款。")

    page.get_by_role("link", name="保函模板").first.click()
    assert_styled(page)
    page.get_by_role("link", name="新增").click()
    page.select_option("#id_guarantee_type", label="投标保函")
    page.fill("#id_name", "海峡投标保函（浏览器）")
    # A placeholder the platform does not know is refused, with the names it does know.
    page.fill("#id_body", "# 投标保函\n\n致：{{受益人}}\n\n本保函担保金额为{{保费}}。")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_text("保费").first.wait_for()
    assert "担保金额大写" in page.content()
    assert not GuaranteeTemplate.objects.filter(name="海峡投标保函（浏览器）").exists()

    page.fill(
        "#id_body", "# 投标保函\n\n致：{{受益人}}\n\n本保函担保金额为{{担保金额大写}}（{{担保金额}}）。\n\n{{二维码}}"
    )
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_text("模板已保存为草稿").wait_for()
    template = GuaranteeTemplate.objects.get(name="海峡投标保函（浏览器）")
    assert template.status == TemplateStatus.DRAFT

    href = page.locator("#preview-pdf").get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    assert "海峡工程担保股份有限公司" in text  # the header: the guarantor's name
    assert "人民币捌拾万元整" in text and "厦门市城市建设投资集团有限公司" in text

    page.locator("#publish").click()
    page.get_by_role("button", name="确认发布模板").click()
    page.get_by_text("模板已发布").wait_for()
    template.refresh_from_db()
    assert template.status == TemplateStatus.PUBLISHED


def test_department_inspector_checks_a_guarantee_number(page, demo_users):
    guarantee = issued(demo_users)
    login(page, "department_inspector", demo.DEMO_PASSWORD)
    page.get_by_role("link", name="电子保函查验").first.click()
    page.fill("#id_number", guarantee.number)
    page.fill("#id_code", "FORGED99")
    page.get_by_role("button", name="查验").click()
    page.get_by_text("查验结果：验真码不符").wait_for()
    page.fill("#id_code", guarantee.verification_code)
    page.get_by_role("button", name="查验").click()
    page.get_by_text("查验结果：真实有效").wait_for()
    assert page.locator("#inspect-table").get_by_text(guarantee.number).is_visible()
    assert list(Inspection.objects.order_by("id").values_list("result", flat=True)) == ["mismatch", "genuine"]
