"""The guarantee journey in a real browser: the applicant applies for a bid guarantee and
submits; the guarantor accepts, approves, confirms the premium and issues; the applicant
downloads the signed PDF and opens it; the department accepts the filing; the beneficiary
releases the guarantee early."""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from eguarantee.accounts import demo
from eguarantee.accounts.tests.helpers import PDF_BYTES
from eguarantee.core.testing_browser import login
from eguarantee.guarantees.choices import FilingStatus, GuaranteeStatus
from eguarantee.guarantees.models import Guarantee

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def act(page, link, button, fill=None):
    page.get_by_role("link", name=link, exact=True).click()
    for selector, value in (fill or {}).items():
        page.fill(selector, value)
    page.get_by_role("button", name=button).click()
    page.get_by_text("操作成功").first.wait_for()


def test_bid_guarantee_from_application_to_release(page, ready, assert_styled, tmp_path):
    today = timezone.localdate()
    login(page, "applicant_operator", demo.DEMO_PASSWORD)
    page.get_by_role("link", name="电子保函", exact=True).first.click()
    assert_styled(page)
    page.get_by_role("link", name="新增").click()
    page.select_option("#id_guarantee_type", label="投标保函")
    page.select_option("#id_section", index=1)
    page.select_option("#id_guarantor", label="海峡工程担保股份有限公司")
    page.fill("#id_amount", "200000")
    page.fill("#id_start_date", (today + datetime.timedelta(days=30)).isoformat())
    page.fill("#id_end_date", (today + datetime.timedelta(days=120)).isoformat())
    page.get_by_role("button", name="保存").click()
    page.get_by_text("保函申请已保存").wait_for()
    notice = tmp_path / "招标公告.pdf"
    notice.write_bytes(PDF_BYTES)
    page.get_by_role("link", name="上传附件").click()
    page.select_option("#id_key", label="招标公告")
    page.set_input_files("#id_file", str(notice))
    page.get_by_role("button", name="保存").click()
    page.get_by_text("附件已上传").wait_for()
    act(page, "提交申请", "确认提交申请")

    login(page, "guarantor_reviewer", demo.DEMO_PASSWORD)
    guarantee = Guarantee.objects.get()
    page.goto(f"/guarantees/{guarantee.pk}/")
    act(page, "受理", "确认受理")
    act(page, "审核通过", "确认审核通过", {"#id_rate": "0.6", "#id_comment": "同意"})
    act(page, "确认收到保费", "确认收到保费", {"#id_reference": "网银流水001"})
    act(page, "出函", "确认出函")
    guarantee.refresh_from_db()
    assert guarantee.status == GuaranteeStatus.ISSUED and guarantee.filing_status == FilingStatus.FILED

    login(page, "applicant_admin", demo.DEMO_PASSWORD)
    page.goto(f"/guarantees/{guarantee.pk}/")
    with page.expect_download() as download:
        page.locator("#download-pdf").click()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(open(download.value.path(), "rb").read())).pages)
    assert guarantee.number in text and "人民币贰拾万元整" in text

    login(page, "department_inspector", demo.DEMO_PASSWORD)
    page.get_by_role("link", name="保函报送受理").first.click()
    page.get_by_role("link", name=guarantee.order_number).click()
    act(page, "受理报送", "确认受理报送")

    login(page, "beneficiary_operator", demo.DEMO_PASSWORD)
    page.goto(f"/guarantees/{guarantee.pk}/")
    act(page, "受益人确认提前解保", "确认提前解保", {"#id_comment": "工程已开标，无需继续担保"})
    guarantee.refresh_from_db()
    assert guarantee.status == GuaranteeStatus.RELEASED and guarantee.filing_status == FilingStatus.ACCEPTED


CONTRACT_FIELDS = {
    "performance": {
        "#id_contract_number": "HT-2026-018",
        "#id_contract_amount": "12000000",
        "#id_contract_period": "365天",
    },
    "payment": {
        "#id_contract_number": "HT-2026-019",
        "#id_contract_amount": "12000000",
        "#id_payment_schedule": "按月支付",
    },
    "quality": {"#id_contract_number": "HT-2026-020", "#id_defects_period": "24个月"},
    "wage": {"#id_contract_number": "HT-2026-021", "#id_wage_account": "3510 0000 0001", "#id_workers": "120"},
}


@pytest.mark.parametrize("code", sorted(CONTRACT_FIELDS))
def test_contract_guarantees_from_application_to_release(page, ready, tmp_path, code):
    """履约、支付、质量、农民工工资保函: the applicant names the contract, attaches what the type
    asks for, and the guarantee goes through review, payment, issue, filing and release."""
    from eguarantee.catalog.models import GuaranteeTemplate, GuaranteeType
    from eguarantee.guarantees.testing import BODY
    from eguarantee.guarantors.tests.helpers import offer_for

    guarantee_type = GuaranteeType.objects.get(code=code)
    offer_for(ready["guarantor"], code)
    GuaranteeTemplate.objects.create(
        guarantee_type=guarantee_type, name=f"{guarantee_type.name}（平台默认）", body=BODY, status="published"
    )
    today = timezone.localdate()
    login(page, "applicant_operator", demo.DEMO_PASSWORD)
    page.goto("/guarantees/apply/")
    page.select_option("#id_guarantee_type", label=guarantee_type.name)
    page.select_option("#id_section", index=1)  # the contract is for this project's section
    page.select_option("#id_guarantor", label="海峡工程担保股份有限公司")
    page.fill("#id_amount", "1200000")
    page.fill("#id_start_date", today.isoformat())
    page.fill("#id_end_date", (today + datetime.timedelta(days=400)).isoformat())
    for selector, value in CONTRACT_FIELDS[code].items():
        page.fill(selector, value)
    page.get_by_role("button", name="保存").click()
    page.get_by_text("保函申请已保存").wait_for()
    attachment = tmp_path / "attachment.pdf"
    attachment.write_bytes(PDF_BYTES)
    for item in guarantee_type.required_attachments:
        page.get_by_role("link", name="上传附件").click()
        page.select_option("#id_key", label=item["label"])
        page.set_input_files("#id_file", str(attachment))
        page.get_by_role("button", name="保存").click()
        page.get_by_text("附件已上传").wait_for()
    act(page, "提交申请", "确认提交申请")

    guarantee = Guarantee.objects.get()
    login(page, "guarantor_reviewer", demo.DEMO_PASSWORD)
    page.goto(f"/guarantees/{guarantee.pk}/")
    act(page, "受理", "确认受理")
    act(page, "审核通过", "确认审核通过", {"#id_rate": "0.8"})
    act(page, "确认收到保费", "确认收到保费", {"#id_reference": "网银流水002"})
    act(page, "出函", "确认出函")

    login(page, "applicant_admin", demo.DEMO_PASSWORD)
    page.goto(f"/guarantees/{guarantee.pk}/")
    with page.expect_download() as download:
        page.locator("#download-pdf").click()
    guarantee.refresh_from_db()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(open(download.value.path(), "rb").read())).pages)
    assert guarantee.number in text and "人民币壹佰贰拾万元整" in text
    assert guarantee.fields["contract_number"] == CONTRACT_FIELDS[code]["#id_contract_number"]

    login(page, "department_inspector", demo.DEMO_PASSWORD)
    page.goto(f"/guarantees/{guarantee.pk}/")
    act(page, "受理报送", "确认受理报送")
    login(page, "beneficiary_operator", demo.DEMO_PASSWORD)
    page.goto(f"/guarantees/{guarantee.pk}/")
    act(page, "受益人确认提前解保", "确认提前解保", {"#id_comment": "合同义务已履行"})
    guarantee.refresh_from_db()
    assert guarantee.status == GuaranteeStatus.RELEASED and guarantee.filing_status == FilingStatus.ACCEPTED
