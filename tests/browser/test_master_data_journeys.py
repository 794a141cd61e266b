"""Master-data journeys in a real browser: a guarantor's administrator writes a template and
downloads its preview PDF."""

import io

import pytest
from pypdf import PdfReader

from eguarantee.accounts import demo
from eguarantee.catalog.choices import TemplateStatus
from eguarantee.catalog.models import GuaranteeTemplate
from eguarantee.core.testing_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def pdf_text(content):
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_guarantor_writes_a_template_and_reads_its_preview_pdf(page, demo_users, assert_styled):
    login(page, "guarantor_admin", demo.DEMO_PASSWORD)
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
