"""The 业务台账 and 保费记录 pages and API: who sees which lines, filters, totals, export."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from eguarantee.catalog.models import GuaranteeType
from eguarantee.guarantees.choices import GuaranteeStatus
from eguarantee.settlement.models import LedgerLine

from .helpers import PREMIUM, issued_line, other_applicant, other_department, other_guarantor

pytestmark = pytest.mark.django_db

LIST = reverse("settlement:ledger_list")
API = reverse("api:ledger-line-list")


@pytest.fixture
def lines(demo_users):
    """Four lines: all demo parties; another guarantor's; another applicant's; another
    department's (the demo guarantor and applicant still party to the last)."""
    return {
        "demo": issued_line(demo_users, amount=Decimal("200000.00")),
        "other_guarantor": issued_line(demo_users, guarantor=other_guarantor(), amount=Decimal("300000.00")),
        "other_applicant": issued_line(demo_users, applicant=other_applicant(), amount=Decimal("400000.00")),
        "other_department": issued_line(demo_users, department=other_department(), amount=Decimal("500000.00")),
    }


VISIBLE = {
    "platform_admin": {"demo", "other_guarantor", "other_applicant", "other_department"},
    "platform_auditor": {"demo", "other_guarantor", "other_applicant", "other_department"},
    "guarantor_admin": {"demo", "other_applicant", "other_department"},
    "guarantor_reviewer": {"demo", "other_applicant", "other_department"},
    "applicant_admin": {"demo", "other_guarantor", "other_department"},
    "applicant_operator": {"demo", "other_guarantor", "other_department"},
    "department_admin": {"demo", "other_guarantor", "other_applicant"},
    "department_inspector": {"demo", "other_guarantor", "other_applicant"},
}


@pytest.mark.parametrize(("role", "keys"), VISIBLE.items())
def test_each_role_sees_its_lines_on_the_page_and_the_api(role, keys, lines, client_for, api_for):
    text = client_for(role).get(LIST).content.decode()
    shown = {key for key, line in lines.items() if line.number in text}
    assert shown == keys
    body = api_for(role).get(API).json()
    assert {row["number"] for row in body["results"]} == {lines[key].number for key in keys}
    expected = sum(lines[key].amount for key in keys)
    assert f"{expected:,.2f}" in text  # the totals are of what the role may see
    assert Decimal(api_for(role).get(reverse("api:ledger-line-totals")).json()["amount"]) == expected


@pytest.mark.parametrize("role", ["beneficiary_admin", "platform_security"])
def test_roles_without_the_permission_are_refused(role, lines, client_for, api_for):
    assert client_for(role).get(LIST).status_code == 403
    assert api_for(role).get(API).status_code == 403


def test_filters_and_totals_follow_each_other(demo_users, lines, client_for, api_for):
    performance = GuaranteeType.objects.get(code="performance")
    lines["demo"].guarantee_type = performance
    lines["demo"].save()
    client = client_for("platform_admin")
    text = client.get(LIST, {"guarantee_type": "performance"}).content.decode()
    assert lines["demo"].number in text and lines["other_guarantor"].number not in text
    assert 'id="total-amount">200,000.00<' in text and 'id="total-premium">1,200.00<' in text
    text = client.get(LIST, {"guarantor": other_guarantor().pk}).content.decode()
    assert lines["other_guarantor"].number in text and lines["demo"].number not in text
    text = client.get(LIST, {"applicant": "泉州某某"}).content.decode()
    assert lines["other_applicant"].number in text and lines["demo"].number not in text
    today = timezone.localdate()
    text = client.get(LIST, {"issued_after": (today + datetime.timedelta(days=1)).isoformat()}).content.decode()
    assert "暂无数据" in text and 'id="total-amount">0.00<' in text
    api = api_for("platform_admin")
    totals = api.get(reverse("api:ledger-line-totals"), {"amount_min": "", "guarantor": other_guarantor().pk}).json()
    assert totals == {"count": 1, "amount": "300000.00", "premium": "1200.00"}


def test_a_released_line_is_found_by_its_status(demo_users, lines, client_for, api_for):
    from eguarantee.guarantees import services

    services.confirm_release(lines["demo"].guarantee, actor=demo_users["beneficiary_admin"])
    text = client_for("guarantor_admin").get(LIST, {"status": GuaranteeStatus.RELEASED}).content.decode()
    assert lines["demo"].number in text and lines["other_applicant"].number not in text
    assert "已解保" in text
    rows = api_for("guarantor_admin").get(API, {"status": "released"}).json()["results"]
    assert [(row["number"], row["status_display"]) for row in rows] == [(lines["demo"].number, "已解保")]
    assert rows[0]["closed_at"]


def test_sorting_by_amount(lines, client_for):
    text = client_for("platform_admin").get(LIST, {"sort": "-amount"}).content.decode()
    positions = [text.index(lines[key].number) for key in ("other_department", "other_applicant", "demo")]
    assert positions == sorted(positions)


def test_export_holds_the_filtered_lines_the_role_may_see(lines, client_for):
    response = client_for("guarantor_admin").get(LIST, {"export": "xlsx", "applicant": "泉州"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("保函编号", "保函类型", "申请人")
    assert [row[0] for row in rows[1:]] == [lines["other_applicant"].number]
    header = list(rows[0])
    assert rows[1][header.index("担保金额（元）")] == "400000.00"
    assert rows[1][header.index("状态")] == "已出函"
    response = client_for("department_inspector").get(LIST, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    numbers = {row[0] for row in list(sheet.iter_rows(values_only=True))[1:]}
    assert numbers == {lines[key].number for key in VISIBLE["department_inspector"]}


def test_detail_shows_the_line_and_its_fee_records(lines, client_for):
    url = reverse("settlement:ledger_detail", args=[lines["demo"].pk])
    text = client_for("applicant_operator").get(url).content.decode()
    assert lines["demo"].number in text and "200,000.00 元" in text and "厦门市城市建设投资集团有限公司" in text
    assert 'id="fee-records"' in text and "应收保费" in text
    text = client_for("department_inspector").get(url).content.decode()
    assert lines["demo"].number in text and 'id="fee-records"' not in text  # not the premium's movements


def test_fee_list_and_api(lines, client_for, api_for):
    text = client_for("applicant_admin").get(reverse("settlement:fee_list")).content.decode()
    assert lines["demo"].number in text and lines["other_applicant"].number not in text
    assert 'id="total-receivable">3,600.00<' in text  # the three lines the applicant is party to
    rows = api_for("guarantor_reviewer").get(reverse("api:fee-record-list"), {"kind": "receivable"}).json()
    numbers = {row["guarantee_number"] for row in rows["results"]}
    assert numbers == {lines[key].number for key in VISIBLE["guarantor_reviewer"]}
    assert {row["amount"] for row in rows["results"]} == {str(PREMIUM)}
    assert client_for("department_admin").get(reverse("settlement:fee_list")).status_code == 403


def test_unknown_ids_and_bad_filters_never_fail(lines, client_for, api_for):
    client = client_for("platform_admin")
    assert client.get(reverse("settlement:ledger_detail", args=[987654])).status_code == 404
    assert client.get(LIST, {"issued_after": "yesterday", "guarantor": "x", "status": "nope"}).status_code == 200
    assert api_for("platform_admin").get(API, {"issued_after": "yesterday"}).status_code == 400
    assert LedgerLine.objects.count() == 4
