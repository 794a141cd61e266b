"""Project journey in a real browser: the applicant enters a project with two sections
(the second added with the 添加标段 button), uploads the tender notice, and finds both on
the project's page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from eguarantee.accounts import demo
from eguarantee.core.testing_browser import login
from eguarantee.projects.models import Project

from .factories import PDF

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_applicant_enters_project_with_sections_and_document(page, demo_users, tmp_path, assert_styled):
    notice = tmp_path / "招标公告.pdf"
    notice.write_bytes(PDF)
    opening = (timezone.localtime() + timedelta(days=20)).strftime("%Y-%m-%dT09:30")

    login(page, "applicant_operator", demo.DEMO_PASSWORD)
    page.get_by_role("link", name="工程项目", exact=True).first.click()
    assert_styled(page)
    page.get_by_role("link", name="新增").click()
    page.get_by_role("heading", name="录入工程项目").wait_for()
    page.fill("#id_number", "E3502030001202612001")
    page.fill("#id_name", "思明区浏览器测试道路工程")
    page.select_option("#id_project_type", label="市政公用工程")
    page.fill("#id_region_code", "350203")
    page.fill("#id_contract_estimate", "6800000")
    page.fill("#id_bid_opening_at", opening)
    page.select_option("#id_beneficiary", label="厦门市城市建设投资集团有限公司")
    # The create form offers two section rows; a third comes from the button.
    page.fill("#id_sections-0-number", "01")
    page.fill("#id_sections-0-name", "第一标段（道路）")
    page.fill("#id_sections-0-bid_bond_amount", "60000")
    page.fill("#id_sections-1-number", "02")
    page.fill("#id_sections-1-name", "第二标段（排水）")
    page.fill("#id_sections-1-bid_bond_amount", "40000")
    page.get_by_role("button", name="添加标段").click()
    page.locator("#id_sections-2-number").wait_for()
    assert page.input_value("#id_sections-TOTAL_FORMS") == "3"
    page.get_by_role("button", name="保存").click()
    page.get_by_text("项目已录入").wait_for()

    project = Project.objects.get(number="E3502030001202612001")
    assert sorted(project.sections.values_list("number", flat=True)) == ["01", "02"]
    page.get_by_role("link", name="上传资料").first.click()
    page.select_option("#id_doc_type", label="招标公告")
    page.set_input_files("#id_file", str(notice))
    page.get_by_role("button", name="保存").click()
    page.get_by_text("项目资料已上传").wait_for()

    sections = page.locator("#sections")
    assert "第一标段（道路）" in sections.inner_text() and "第二标段（排水）" in sections.inner_text()
    assert "60,000.00" in sections.inner_text()
    documents = page.locator("#documents")
    assert "招标公告.pdf" in documents.inner_text()
    assert project.documents.get().original_name == "招标公告.pdf"

    # Entering the same number again offers the existing project at once (htmx check).
    page.goto("/projects/add/")
    page.fill("#id_number", "E3502030001202612001")
    page.locator("#number-exists").wait_for()
    assert "该项目编号已存在：思明区浏览器测试道路工程" in page.locator("#number-exists").inner_text()
