"""The guarantee pages: an applicant applies and submits, the guarantor reviews, confirms
the premium and issues, and the parties download the PDF; each sees its own timeline."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from eguarantee.catalog.models import GuaranteeType
from eguarantee.guarantees.choices import GuaranteeStatus
from eguarantee.guarantees.models import Guarantee

from .test_lifecycle import PDF

pytestmark = pytest.mark.django_db


def form(ready, **overrides):
    today = timezone.localdate()
    data = {
        "guarantee_type": GuaranteeType.objects.get(code="bid").pk,
        "section": ready["section"].pk,
        "guarantor": ready["guarantor"].pk,
        "amount": "200000.00",
        "start_date": (today + datetime.timedelta(days=30)).isoformat(),
        "end_date": (today + datetime.timedelta(days=120)).isoformat(),
    }
    data.update(overrides)
    return data


def text(response):
    return response.content.decode()


def test_apply_review_pay_issue_download_through_the_pages(ready, client_for):
    applicant, reviewer = client_for("applicant_operator"), client_for("guarantor_reviewer")
    response = applicant.post(reverse("guarantees:guarantee_apply"), form(ready), follow=True)
    assert "保函申请已保存" in text(response)
    guarantee = Guarantee.objects.get()
    detail = reverse("guarantees:guarantee_detail", args=[guarantee.pk])
    submit = reverse("guarantees:guarantee_submit", args=[guarantee.pk])
    assert f'href="{submit}"' in text(applicant.get(detail))
    response = applicant.post(submit, follow=True)
    assert "请先上传必需的附件：招标公告" in text(response)  # the bid type asks for it
    notice = SimpleUploadedFile("招标公告.pdf", PDF, content_type="application/pdf")
    applicant.post(reverse("guarantees:attachment_add", args=[guarantee.pk]), {"key": "bid_notice", "file": notice})
    assert "招标公告：招标公告.pdf" in text(applicant.get(detail))
    applicant.post(submit)
    assert f'href="{submit}"' not in text(applicant.get(detail))  # submitted: only cancel is left
    reviewer.post(reverse("guarantees:guarantee_accept", args=[guarantee.pk]))
    response = reviewer.post(reverse("guarantees:guarantee_approve", args=[guarantee.pk]), {"rate": "2.0"})
    assert response.status_code == 400 and "费率须在本机构公布的范围内" in text(response)
    reviewer.post(reverse("guarantees:guarantee_approve", args=[guarantee.pk]), {"rate": "0.8", "comment": "同意"})
    reviewer.post(reverse("guarantees:guarantee_confirm_payment", args=[guarantee.pk]), {"reference": "HX001"})
    reviewer.post(reverse("guarantees:guarantee_issue", args=[guarantee.pk]))
    guarantee.refresh_from_db()
    assert guarantee.status == GuaranteeStatus.ISSUED and str(guarantee.premium) == "1600.00"
    page = text(client_for("beneficiary_admin").get(detail))
    assert guarantee.number in page and "出函" in page and "审核通过" in page  # the timeline
    download = client_for("applicant_admin").get(reverse("guarantees:guarantee_document", args=[guarantee.pk]))
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages)
    assert guarantee.number in pdf_text


def test_a_bad_application_shows_the_reason_and_writes_nothing(ready, client_for):
    client = client_for("applicant_operator")
    response = client.post(reverse("guarantees:guarantee_apply"), form(ready, amount="9000000"))
    assert "所选保证人目前不能承接该保函" in text(response)
    today = timezone.localdate().isoformat()
    response = client.post(reverse("guarantees:guarantee_apply"), form(ready, end_date=today))
    assert "失效日期不能早于生效日期" in text(response)
    assert not Guarantee.objects.exists()


def test_other_organizations_do_not_see_a_guarantee(ready, client_for, demo_users):
    from .factories import issued

    guarantee = issued(demo_users)
    outsider = demo_users["guarantor_reviewer"]
    from eguarantee.guarantors.tests.helpers import second_guarantor

    outsider.organization = second_guarantor(with_admin=False)
    outsider.save()
    client = client_for("guarantor_reviewer")
    assert client.get(reverse("guarantees:guarantee_detail", args=[guarantee.pk])).status_code == 403
    assert guarantee.number not in text(client.get(reverse("guarantees:guarantee_list")))


def test_the_archive_holds_every_file_with_its_hashes(ready, client_for):
    import hashlib
    import json
    import zipfile

    from eguarantee.guarantees import services

    from .test_lifecycle import apply, through_payment

    issued = services.issue(through_payment(ready, apply(ready)), actor=ready["users"]["guarantor_reviewer"])
    response = client_for("department_inspector").get(reverse("guarantees:guarantee_archive", args=[issued.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    manifest = json.loads(archive.read("manifest.json"))
    paths = [entry["path"] for entry in manifest["files"]]
    assert paths[0] == f"保函/{issued.number}.pdf" and any(p.startswith("申请附件/") for p in paths)
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
    from eguarantee.audit.models import OperationLog

    assert OperationLog.objects.filter(path__endswith="archive.zip", action__contains="下载保函档案").exists()


def test_the_applicant_compares_guarantors_and_picks_one(ready, client_for, demo_users):
    from decimal import Decimal

    from eguarantee.guarantors.tests.helpers import offer_for, profile_for, qualification_for, second_guarantor

    rival = second_guarantor(with_admin=False)
    profile_for(rival, short_code="MNDB", credit_rating="AAA")
    qualification_for(rival)
    offer_for(rival, rate_min=Decimal("0.4000"), min_premium=Decimal("1000.00"), turnaround_hours=24)
    client = client_for("applicant_operator")
    url = reverse("guarantees:guarantor_quotes")
    query = {"guarantee_type": GuaranteeType.objects.get(code="bid").pk, "section": ready["section"].pk}
    page = text(client.get(url, {**query, "amount": "200000"}))
    # 海峡: 200000 × 0.5 % = 1000; the rival: 200000 × 0.4 % = 800, raised to its 1000 minimum
    assert page.index("海峡工程担保股份有限公司") < page.index(rival.name)  # equal premium: faster first
    assert page.count("1,000.00") >= 2
    page = text(client.get(url, {**query, "amount": "1000000", "sort": "premium"}))
    assert page.index(rival.name) < page.index("海峡工程担保股份有限公司")  # 4000 < 5000
    page = text(client.get(url, {**query, "amount": "9000000"}))
    assert "没有能承接该保函的保证人" in page  # above both single limits
    bad = client.get(url, {"guarantee_type": query["guarantee_type"], "amount": "100", "region_code": "999999"})
    assert bad.status_code == 400 and "有效的行政区划代码" in text(bad)
