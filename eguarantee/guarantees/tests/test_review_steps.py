"""The applicant edits a draft; the guarantor asks for more information and the applicant
resubmits; a rejected application is revised into a draft again."""

import datetime
from decimal import Decimal

import pytest

from eguarantee.core.exceptions import Conflict, NotAllowed, ServiceError
from eguarantee.guarantees import services
from eguarantee.guarantees.choices import GuaranteeStatus
from eguarantee.guarantees.models import Guarantee, GuaranteeEvent

from .test_lifecycle import apply

pytestmark = pytest.mark.django_db


def edit(ready, guarantee, **changes):
    values = {
        "guarantor": ready["guarantor"],
        "amount": guarantee.amount,
        "start_date": guarantee.start_date,
        "end_date": guarantee.end_date,
    }
    values.update(changes)
    return services.update_application(guarantee, actor=ready["users"]["applicant_operator"], **values)


def test_a_draft_is_edited_and_the_edit_is_on_the_timeline(ready):
    guarantee = apply(ready)
    edited = edit(ready, guarantee, amount=Decimal("150000.00"))
    assert Guarantee.objects.get(pk=guarantee.pk).amount == Decimal("150000.00") == edited.amount
    assert GuaranteeEvent.objects.filter(guarantee=guarantee, action="edit").count() == 1


def test_bad_edits_are_refused_and_write_nothing(ready):
    guarantee = apply(ready)
    with pytest.raises(ServiceError) as error:
        edit(ready, guarantee, end_date=guarantee.start_date - datetime.timedelta(days=1))
    assert error.value.code == "end_before_start"
    with pytest.raises(ServiceError) as error:
        edit(ready, guarantee, amount=Decimal("99000000.00"))  # above the single limit
    assert error.value.code == "guarantor_not_selectable"
    with pytest.raises(NotAllowed):
        services.update_application(
            guarantee,
            actor=ready["users"]["guarantor_reviewer"],
            guarantor=ready["guarantor"],
            amount=guarantee.amount,
            start_date=guarantee.start_date,
            end_date=guarantee.end_date,
        )
    assert Guarantee.objects.get(pk=guarantee.pk).amount == guarantee.amount
    assert not GuaranteeEvent.objects.filter(action="edit").exists()
    services.submit(guarantee, actor=ready["users"]["applicant_operator"])
    with pytest.raises(Conflict):  # with the guarantor now
        edit(ready, guarantee, amount=Decimal("1.00"))


def test_more_information_then_resubmit(ready):
    users = ready["users"]
    guarantee = apply(ready)
    services.submit(guarantee, actor=users["applicant_operator"])
    services.accept(guarantee, actor=users["guarantor_reviewer"])
    with pytest.raises(ServiceError) as error:
        services.request_info(guarantee, actor=users["guarantor_reviewer"], comment="  ")
    assert error.value.code == "comment_required"
    asked = services.request_info(guarantee, actor=users["guarantor_reviewer"], comment="请补充近三年财务报表")
    assert asked.status == GuaranteeStatus.INFO_REQUESTED
    assert asked.events.get(action="request_info").comment == "请补充近三年财务报表"
    edit(ready, guarantee, amount=Decimal("180000.00"))  # may be mended while sent back
    again = services.resubmit(guarantee, actor=users["applicant_operator"], comment="已补充")
    assert again.status == GuaranteeStatus.SUBMITTED


def test_a_rejected_application_is_revised_into_a_draft(ready, client_for):
    users = ready["users"]
    guarantee = apply(ready)
    services.submit(guarantee, actor=users["applicant_operator"])
    services.accept(guarantee, actor=users["guarantor_reviewer"])
    services.reject(guarantee, actor=users["guarantor_reviewer"], reason="资信不足")
    applicant = client_for("applicant_operator")
    assert "修改后重新申请" in applicant.get(f"/guarantees/{guarantee.pk}/").content.decode()
    assert applicant.post(f"/guarantees/{guarantee.pk}/revise/").status_code == 302
    assert Guarantee.objects.get(pk=guarantee.pk).status == GuaranteeStatus.DRAFT
    page = applicant.get(f"/guarantees/{guarantee.pk}/edit/")
    assert page.status_code == 200
    response = applicant.post(
        f"/guarantees/{guarantee.pk}/edit/",
        {
            "guarantor": ready["guarantor"].pk,
            "amount": "120000.00",
            "start_date": guarantee.start_date.isoformat(),
            "end_date": "bad",
        },
    )
    assert response.status_code == 200 and "有效的日期" in response.content.decode()
    assert Guarantee.objects.get(pk=guarantee.pk).amount == guarantee.amount


def test_the_guarantor_asks_for_information_from_the_page(ready, client_for):
    users = ready["users"]
    guarantee = apply(ready)
    services.submit(guarantee, actor=users["applicant_operator"])
    services.accept(guarantee, actor=users["guarantor_reviewer"])
    reviewer = client_for("guarantor_reviewer")
    assert "要求补充资料" in reviewer.get(f"/guarantees/{guarantee.pk}/").content.decode()
    response = reviewer.post(f"/guarantees/{guarantee.pk}/request-info/", {"comment": "请补充授权委托书"})
    assert response.status_code == 302
    applicant = client_for("applicant_operator")
    page = applicant.get(f"/guarantees/{guarantee.pk}/").content.decode()
    assert "请补充授权委托书" in page and "补充资料后重新提交" in page and "修改申请" in page
