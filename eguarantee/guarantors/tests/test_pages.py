"""Pages: what each user sees and what a form post leaves in the database."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from eguarantee.guarantors import demo, figures
from eguarantee.guarantors.models import Clause, GuarantorProfile, Offer, Qualification

from .helpers import clause_for, gtype, offer_for, pdf, qualification_for, second_guarantor, today

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


def test_profile_form_creates_and_shows_errors_inline(demo_users, client_for):
    org = demo_users["guarantor_admin"].organization
    client = client_for("guarantor_admin")
    body = {
        "organization": org.pk,
        "institution_type": "guarantee_company",
        "registered_capital": "-5",
        "legal_representative": "陈海峰",
        "service_hotline": "400-800-0592",
        "short_code": "hxdb",
    }
    response = client.post(reverse("guarantors:profile_add"), body)
    assert response.status_code == 200 and "注册资本不能为负数" in text(response)
    assert not GuarantorProfile.objects.exists()
    response = client.post(reverse("guarantors:profile_add"), {**body, "registered_capital": "100000000"}, follow=True)
    assert "机构信息已保存" in text(response)
    profile = GuarantorProfile.objects.get()
    assert profile.short_code == "HXDB" and profile.registered_capital == Decimal("100000000")


def test_qualification_form_refuses_expired_and_accepts_history(demo_users, client_for, guarantor):
    client = client_for("guarantor_admin")
    body = {
        "guarantor": guarantor.pk,
        "kind": "business_licence",
        "licence_number": "91350211MA0000TEST",
        "issuing_body": "厦门市市场监督管理局",
        "valid_from": (today() - timedelta(days=800)).isoformat(),
        "valid_to": (today() - timedelta(days=3)).isoformat(),
        "certificate": pdf(),
    }
    response = client.post(reverse("guarantors:qualification_add"), body)
    assert response.status_code == 200 and "资质已过期" in text(response)
    assert not Qualification.objects.exists()
    response = client.post(
        reverse("guarantors:qualification_add"), {**body, "certificate": pdf(), "is_historical": "on"}, follow=True
    )
    assert "资质信息已保存" in text(response)
    assert Qualification.objects.get().is_historical


def test_qualification_list_badges_and_expiry_filters(client_for, guarantor):
    expiring = qualification_for(guarantor, valid_to=today() + timedelta(days=12))
    expired = qualification_for(
        guarantor, valid_from=today() - timedelta(days=500), valid_to=today() - timedelta(days=2)
    )
    valid = qualification_for(guarantor, valid_to=today() + timedelta(days=300))
    client = client_for("guarantor_reviewer")
    page = text(client.get(reverse("guarantors:qualification_list")))
    assert '<span class="badge text-bg-warning">即将到期</span>' in page
    assert '<span class="badge text-bg-danger">已过期</span>' in page
    assert '<span class="badge text-bg-success">有效</span>' in page
    only_expiring = text(client.get(reverse("guarantors:qualification_list") + "?expiry=expiring"))
    assert expiring.licence_number in only_expiring
    assert expired.licence_number not in only_expiring and valid.licence_number not in only_expiring
    only_expired = text(client.get(reverse("guarantors:qualification_list") + "?expiry=expired"))
    assert expired.licence_number in only_expired and expiring.licence_number not in only_expired
    detail = text(client.get(reverse("guarantors:qualification_detail", args=[expired.pk])))
    assert "已过期" in detail and "不计为有效资质" in detail


def test_qualification_export_and_certificate_download(client_for, guarantor):
    licence = qualification_for(guarantor)
    client = client_for("platform_admin")
    response = client.get(reverse("guarantors:qualification_list") + "?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][0] == "保证人" and rows[1][3] == licence.licence_number
    response = client.get(reverse("guarantors:qualification_certificate", args=[licence.pk]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_applicant_sees_public_face_only(client_for, guarantor):
    offer_for(guarantor)
    licence = qualification_for(guarantor)
    clause_for(guarantor, title="草稿条款")
    clause_for(guarantor, status="published", title="已发布条款")
    client = client_for("applicant_operator")
    page = text(client.get(reverse("guarantors:profile_detail", args=[guarantor.guarantor_profile.pk])))
    assert "海峡工程担保股份有限公司" in page and "投标保函" in page
    assert licence.licence_number not in page and "资质信息" not in page
    assert "已发布条款" in page and "草稿条款" not in page
    assert client.get(reverse("guarantors:qualification_list")).status_code == 403
    assert "已发布条款" in text(client.get(reverse("guarantors:clause_list")))
    assert "草稿条款" not in text(client.get(reverse("guarantors:clause_list")))


def test_disabled_guarantor_is_hidden_from_the_public(client_for, guarantor):
    GuarantorProfile.objects.filter(organization=guarantor).update(enabled=False)
    assert "海峡工程担保股份有限公司" not in text(client_for("applicant_admin").get(reverse("guarantors:profile_list")))
    assert "海峡工程担保股份有限公司" in text(client_for("platform_admin").get(reverse("guarantors:profile_list")))


def test_guarantor_lists_show_only_its_own(client_for, guarantor):
    other = second_guarantor()
    offer_for(other)
    offer_for(guarantor, code="performance")
    page = text(client_for("guarantor_admin").get(reverse("guarantors:offer_list")))
    assert "履约保函" in page and "闽南融资担保有限公司" not in page
    page = text(client_for("guarantor_admin").get(reverse("guarantors:profile_list")))
    assert "闽南融资担保有限公司" not in page


def test_offer_form_errors_and_region_filter(client_for, guarantor):
    client = client_for("guarantor_admin")
    body = {
        "guarantor": guarantor.pk,
        "regions": "350200 359999",
        "rate_min": "1.0000",
        "rate_max": "0.5000",
        "min_premium": "300",
        "max_single_amount": "5000000",
        "total_capacity": "100000000",
        "turnaround_hours": "4",
        "enabled": "on",
    }
    body["guarantee_type"] = gtype("bid").pk
    response = client.post(reverse("guarantors:offer_add"), body)
    assert "“359999”不存在或已撤销" in text(response)
    response = client.post(reverse("guarantors:offer_add"), {**body, "regions": "350200"})
    assert "不能高于费率上限" in text(response)
    assert not Offer.objects.exists()
    response = client.post(
        reverse("guarantors:offer_add"), {**body, "regions": "350200", "rate_min": "0.3"}, follow=True
    )
    assert "业务信息已保存" in text(response)
    offer = Offer.objects.get()
    assert offer.regions == ["350200"] and offer.rate_min == Decimal("0.3000")
    listing = client.get(reverse("guarantors:offer_list") + "?region=350203")
    assert "福建省厦门市" in text(listing)
    assert "暂无数据" in text(client.get(reverse("guarantors:offer_list") + "?region=350102"))


def test_offer_detail_figures_are_honest(client_for, guarantor):
    offer = offer_for(guarantor)
    url = reverse("guarantors:offer_detail", args=[offer.pk])
    page = text(client_for("guarantor_admin").get(url))
    assert "暂无出函数据" in page and "保费试算" in page

    def provider(guarantor_id, guarantee_type_id):
        return figures.Figures(issued_count=7, outstanding_amount=Decimal("20000000"))

    figures.register(provider)
    try:
        page = text(client_for("platform_admin").get(url))
        assert "7 笔" in page and "20,000,000.00 元" in page and "20.00%" in page
        assert "平台统计" not in text(client_for("applicant_admin").get(url))
    finally:
        figures.unregister(provider)


def test_clause_pages_version_on_edit(client_for, guarantor):
    client = client_for("guarantor_admin")
    bid = gtype("bid")
    response = client.post(
        reverse("guarantors:clause_add"),
        {
            "guarantor": guarantor.pk,
            "guarantee_type": bid.pk,
            "title": "投标保函条款",
            "body": "第一条",
            "effective_from": (today() - timedelta(days=5)).isoformat(),
        },
        follow=True,
    )
    assert "条款已保存" in text(response)
    clause = Clause.objects.get()
    client.post(reverse("guarantors:clause_publish", args=[clause.pk]))
    clause.refresh_from_db()
    assert clause.status == "published"
    edit = text(client.get(reverse("guarantors:clause_edit", args=[clause.pk])))
    assert "发布新版本" in edit
    response = client.post(
        reverse("guarantors:clause_edit", args=[clause.pk]),
        {
            "title": "投标保函条款",
            "body": "第一条（修订）",
            "effective_from": (today() + timedelta(days=1)).isoformat(),
        },
        follow=True,
    )
    assert "已发布新版本 v2" in text(response)
    assert Clause.objects.count() == 2
    response = client.post(reverse("guarantors:clause_delete", args=[clause.pk]), follow=True)
    assert "不能删除" in text(response) and Clause.objects.filter(pk=clause.pk).exists()
    detail = text(client.get(reverse("guarantors:clause_detail", args=[clause.pk])))
    assert "版本记录" in detail and "v2" in detail


def test_menu_shows_the_module(client_for):
    page = text(client_for("guarantor_admin").get(reverse("guarantors:profile_list")))
    assert "保证人管理" in page and reverse("guarantors:clause_list") in page


def test_demo_seed_is_idempotent(demo_users):
    demo.seed_demo(demo_users)
    demo.seed_demo(demo_users)
    org = demo_users["guarantor_admin"].organization
    assert GuarantorProfile.objects.filter(organization=org).count() == 1
    assert Qualification.objects.filter(guarantor=org).count() == 2
    assert [q.status for q in Qualification.objects.filter(guarantor=org).order_by("valid_to")] == ["expiring", "valid"]
    assert set(Offer.objects.filter(guarantor=org).values_list("guarantee_type__code", flat=True)) == {
        "bid",
        "performance",
    }
    assert Clause.objects.get(guarantor=org).in_force


@pytest.mark.parametrize(
    "query",
    [
        "/guarantors/qualifications/?expiry=%00",
        "/guarantors/qualifications/?guarantor=abc&sort=__class__",
        "/guarantors/offers/?region=%00&guarantee_type=nope",
        "/guarantors/clauses/?in_force_on=xyz&status=%00",
        "/guarantors/clauses/?in_force_on=2030-01-01&export=xlsx",
        "/api/v1/guarantor-offers/?region=%00",
        "/api/v1/guarantor-clauses/?ordering=%00",
        "/api/v1/guarantor-offers/1/quote/?amount=%00",
    ],
)
def test_hostile_queries_never_fail(client_for, guarantor, query):
    offer_for(guarantor)
    response = client_for("platform_admin").get(query)
    assert response.status_code < 500
    if query.startswith("/api/") and response.status_code >= 400:
        assert response.json()["error"]["code"]
