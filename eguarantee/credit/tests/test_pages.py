"""The pages and the API read through one selector: each role sees the records of its
scope on the list, in the export and through the API; the enterprise page counts them."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from eguarantee.credit.choices import RecordKind
from eguarantee.credit.models import CreditRecord

from .helpers import other_applicant, other_department, other_guarantor, record

pytestmark = pytest.mark.django_db


def summary(page):
    """{kind: count} as the enterprise page shows them."""
    rows = re.findall(r'<tr data-kind="(\w+)">.*?<td class="text-end">(?:<a [^>]*>)?(\d+)', page, re.S)
    return {kind: int(count) for kind, count in rows}


@pytest.fixture
def records(demo_users):
    """Three records about the demo applicant — one on another guarantor's and another
    department's guarantee — and one about a stranger who never dealt with the demo parties."""
    elsewhere = {"guarantor": other_guarantor(), "department": other_department()}
    made = {
        "rejected": record(demo_users, RecordKind.REJECTED),
        "surrendered": record(demo_users, RecordKind.SURRENDERED),
        "elsewhere": record(demo_users, RecordKind.LATE_PAYMENT, **elsewhere),
        "stranger": record(demo_users, RecordKind.REJECTED, applicant=other_applicant(), **elsewhere),
    }
    return made


SEES = {
    "applicant_admin": {"rejected", "surrendered", "elsewhere"},  # its own, wherever they arose
    "guarantor_reviewer": {"rejected", "surrendered", "elsewhere"},  # its applicant's, all of them
    "department_inspector": {"rejected", "surrendered"},  # on guarantees it is in charge of
    "platform_admin": {"rejected", "surrendered", "elsewhere", "stranger"},
    "platform_auditor": {"rejected", "surrendered", "elsewhere", "stranger"},
}


def _labels(records, ids):
    return {name for name, r in records.items() if r.pk in ids}


@pytest.mark.parametrize("role", sorted(SEES))
def test_each_role_sees_its_scope_in_the_api(role, records, api_for):
    body = api_for(role).get(reverse("api:credit-record-list")).json()
    assert _labels(records, {row["id"] for row in body["results"]}) == SEES[role]


@pytest.mark.parametrize("role", sorted(SEES))
def test_each_role_sees_its_scope_on_the_list_and_in_the_export(role, records, client_for):
    client = client_for(role)
    text = client.get(reverse("credit:record_list")).content.decode()
    shown = {name for name, r in records.items() if reverse("credit:record_detail", args=[r.pk]) in text}
    assert shown == SEES[role]
    response = client.get(reverse("credit:record_list"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("发生时间", "企业", "统一社会信用代码", "信用行为")
    numbers = {row[5] for row in rows[1:]}
    assert numbers == {records[name].guarantee.number for name in SEES[role]}


@pytest.mark.parametrize("role", ["beneficiary_admin", "platform_security", "external_system"])
def test_roles_without_the_permission_are_refused(role, records, client_for, api_for):
    assert client_for(role).get(reverse("credit:record_list")).status_code == 403
    assert api_for(role).get(reverse("api:credit-record-list")).status_code == 403


def test_the_export_follows_the_filters(records, client_for):
    response = client_for("platform_admin").get(reverse("credit:record_list"), {"kind": "rejected", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert [row[3] for row in rows[1:]] == ["申请被拒", "申请被拒"]


def test_filters_by_kind_organization_and_dates(records, demo_users, api_for):
    api = api_for("platform_admin")
    url = reverse("api:credit-record-list")

    def ids(**params):
        return _labels(records, {row["id"] for row in api.get(url, params).json()["results"]})

    applicant = demo_users["applicant_admin"].organization
    assert ids(kind="late_payment") == {"elsewhere"}
    assert ids(organization=applicant.pk) == {"rejected", "surrendered", "elsewhere"}
    assert ids(polarity="negative") == {"rejected", "elsewhere", "stranger"}
    old = records["surrendered"]
    CreditRecord.objects.filter(pk=old.pk).update(occurred_at=timezone.now() - datetime.timedelta(days=40))
    today = timezone.localdate()
    assert ids(occurred_before=(today - datetime.timedelta(days=30)).isoformat()) == {"surrendered"}
    assert "surrendered" not in ids(occurred_after=(today - datetime.timedelta(days=1)).isoformat())
    assert ids(q=records["stranger"].guarantee.number) == {"stranger"}
    assert api.get(url, {"kind": "nonsense"}).status_code == 400  # a clear error, not a 500


def test_the_list_sorts(records, client_for):
    text = client_for("platform_admin").get(reverse("credit:record_list"), {"sort": "organization__name"}).content
    text = text.decode()
    stranger = text.index(reverse("credit:record_detail", args=[records["stranger"].pk]))
    own = text.index(reverse("credit:record_detail", args=[records["rejected"].pk]))
    assert (stranger < own) == (records["stranger"].organization.name < records["rejected"].organization.name)


def test_the_enterprise_page_counts_per_kind(records, demo_users, client_for):
    applicant = demo_users["applicant_admin"].organization
    response = client_for("guarantor_admin").get(reverse("credit:organization_detail", args=[applicant.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and applicant.name in page
    assert "共 3 条" in page
    assert summary(page) == {**dict.fromkeys(RecordKind.values, 0), "rejected": 1, "surrendered": 1, "late_payment": 1}
    filtered = reverse("credit:record_list") + f"?organization={applicant.pk}&amp;kind=rejected"
    assert filtered in page


def test_the_department_counts_only_what_it_is_in_charge_of(records, demo_users, client_for, api_for):
    applicant = demo_users["applicant_admin"].organization
    response = client_for("department_admin").get(reverse("credit:organization_detail", args=[applicant.pk]))
    assert "共 2 条" in response.content.decode()
    body = api_for("department_admin").get(reverse("api:credit-organization-list")).json()
    assert [(row["id"], row["total_count"], row["late_payment_count"]) for row in body["results"]] == [
        (applicant.pk, 2, 0)
    ]


def test_the_organization_list_and_its_export(records, demo_users, client_for, api_for):
    body = api_for("platform_auditor").get(reverse("api:credit-organization-list")).json()
    counts = {
        row["name"]: (row["total_count"], row["rejected_count"], row["negative_count"]) for row in body["results"]
    }
    applicant, stranger = demo_users["applicant_admin"].organization, records["stranger"].organization
    assert counts == {applicant.name: (3, 1, 2), stranger.name: (1, 1, 1)}
    client = client_for("platform_auditor")
    page = client.get(reverse("credit:organization_list")).content.decode()
    assert reverse("credit:organization_detail", args=[stranger.pk]) in page
    response = client.get(reverse("credit:organization_list"), {"export": "xlsx", "q": stranger.name})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("企业", "统一社会信用代码", "单位类型", "记录总数") and len(rows) == 2
    assert rows[1][0] == stranger.name and rows[1][3] == 1


def test_an_enterprise_without_records_sees_its_own_page(demo_users, client_for):
    response = client_for("applicant_operator").get(reverse("credit:my_credit"))
    page = response.content.decode()
    assert response.status_code == 200 and demo_users["applicant_operator"].organization.name in page
    assert "共 0 条" in page and "暂无信用记录" in page
    assert set(summary(page).values()) == {0} and len(summary(page)) == len(RecordKind.values)


def test_a_record_page_links_to_the_guarantee_only_when_it_may_be_opened(records, client_for):
    own = client_for("guarantor_reviewer").get(reverse("credit:record_detail", args=[records["rejected"].pk]))
    assert records["rejected"].guarantee.get_absolute_url() in own.content.decode()
    other = client_for("guarantor_reviewer").get(reverse("credit:record_detail", args=[records["elsewhere"].pk]))
    assert other.status_code == 200  # the applicant's record, on another guarantor's guarantee
    assert records["elsewhere"].guarantee.get_absolute_url() not in other.content.decode()


def test_the_menu_offers_the_module(client_for):
    page = client_for("applicant_admin").get(reverse("credit:record_list")).content.decode()
    assert "企业信用" in page and reverse("credit:organization_list") in page
