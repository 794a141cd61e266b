"""Guarantee types (6.4.1): the platform administrator maintains them; a type in use is
disabled, never deleted."""

import pytest
from django.urls import reverse

from eguarantee.catalog import placeholders, services
from eguarantee.catalog.models import GuaranteeTemplate, GuaranteeType
from eguarantee.core.exceptions import Conflict, NotAllowed, ServiceError
from eguarantee.core.testing import assert_api_error

pytestmark = pytest.mark.django_db


def type_post(**overrides):
    data = {
        "code": "advance",
        "name": "预付款保函",
        "application_fields": ["beneficiary", "amount", "start_date", "end_date", "contract_number"],
        "attachments": "施工合同\n预付款支付申请",
        "validity_rule": "fixed_days",
        "validity_days": "365",
        "sort_order": "60",
        "enabled": "on",
        "description": "发包人支付工程预付款前要求承包人提交",
    }
    data.update(overrides)
    return data


def text(response):
    return response.content.decode()


def test_the_five_builtin_types_exist():
    assert list(GuaranteeType.objects.filter(builtin=True).values_list("code", flat=True)) == [
        "bid",
        "performance",
        "payment",
        "quality",
        "wage",
    ]
    assert GuaranteeType.objects.get(code="bid").sealed_allowed


def test_platform_admin_adds_a_custom_type(client_for):
    response = client_for("platform_admin").post(reverse("catalog:type_add"), type_post(), follow=True)
    assert "保函类型已保存" in text(response)
    created = GuaranteeType.objects.get(code="advance")
    assert created.required_attachments == [
        {"key": "施工合同", "label": "施工合同"},
        {"key": "预付款支付申请", "label": "预付款支付申请"},
    ]
    assert created.validity_days == 365 and not created.builtin
    page = text(client_for("applicant_operator").get(reverse("catalog:type_list")))
    assert "预付款保函" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"validity_days": ""}, "须填写固定有效天数"),
        ({"code": "bid"}, "该类型编码已存在"),
        ({"name": "投标保函"}, "该类型名称已存在"),
        ({"code": "有中文"}, "slug"),
    ],
)
def test_bad_type_input_writes_nothing(client_for, overrides, message):
    before = GuaranteeType.objects.count()
    response = client_for("platform_admin").post(reverse("catalog:type_add"), type_post(**overrides))
    assert response.status_code == 200
    if message != "slug":
        assert message in text(response)
    assert "invalid-feedback" in text(response) or "alert-danger" in text(response)
    assert GuaranteeType.objects.count() == before


def test_builtin_code_is_fixed_but_the_rest_is_editable(demo_users, client_for):
    bid = GuaranteeType.objects.get(code="bid")
    with pytest.raises(ServiceError) as exc:
        services.save_type(actor=demo_users["platform_admin"], data={"code": "tender"}, guarantee_type=bid)
    assert exc.value.code == "builtin_type"
    client_for("platform_admin").post(
        reverse("catalog:type_edit", args=[bid.pk]),
        type_post(
            code="ignored", name="投标保函", validity_rule="bid_validity", validity_days="", attachments="招标公告"
        ),
    )
    bid.refresh_from_db()
    assert bid.code == "bid" and bid.validity_days is None
    assert bid.required_attachments == [{"key": "bid_notice", "label": "招标公告"}]  # the key survives an edit


def test_a_type_in_use_is_disabled_not_deleted(demo_users, client_for):
    admin = demo_users["platform_admin"]
    custom = services.save_type(
        actor=admin, data={"code": "advance", "name": "预付款保函", "validity_rule": "contract"}
    )
    GuaranteeTemplate.objects.create(guarantee_type=custom, name="预付款", body=placeholders.SAMPLE_BODY)
    response = client_for("platform_admin").post(reverse("catalog:type_delete", args=[custom.pk]), follow=True)
    assert "已被使用，不能删除，只能停用" in text(response)
    assert GuaranteeType.objects.filter(pk=custom.pk).exists()
    with pytest.raises(Conflict) as exc:
        services.delete_type(GuaranteeType.objects.get(code="bid"), actor=admin)
    assert exc.value.code == "builtin_type"
    client_for("platform_admin").post(reverse("catalog:type_disable", args=[custom.pk]))
    custom.refresh_from_db()
    assert not custom.enabled


def test_an_unused_custom_type_can_be_deleted(demo_users):
    admin = demo_users["platform_admin"]
    custom = services.save_type(
        actor=admin, data={"code": "advance", "name": "预付款保函", "validity_rule": "contract"}
    )
    services.delete_type(custom, actor=admin)
    assert not GuaranteeType.objects.filter(code="advance").exists()


def test_only_the_platform_administrator_changes_types(demo_users):
    with pytest.raises(NotAllowed):
        services.save_type(
            actor=demo_users["guarantor_admin"], data={"code": "x", "name": "x", "validity_rule": "contract"}
        )


def test_api_types(api_for):
    api = api_for("platform_admin")
    body = {
        "code": "advance",
        "name": "预付款保函",
        "validity_rule": "fixed_days",
        "validity_days": 180,
        "application_fields": ["amount"],
        "required_attachments": [{"key": "contract", "label": "施工合同"}],
    }
    response = api.post("/api/v1/guarantee-types/", body, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert_api_error(api.post("/api/v1/guarantee-types/", body, format="json"), 400, "duplicate_code")
    bad = {**body, "code": "other", "name": "其他", "application_fields": ["nope"]}
    assert_api_error(api.post("/api/v1/guarantee-types/", bad, format="json"), 400, "validation_error")
    missing_days = {**body, "code": "other", "name": "其他", "validity_days": None}
    assert_api_error(api.post("/api/v1/guarantee-types/", missing_days, format="json"), 400, "validity_days_required")
    assert api.post(f"/api/v1/guarantee-types/{created['id']}/disable/").json()["enabled"] is False
    patched = api.patch(f"/api/v1/guarantee-types/{created['id']}/", {"name": "工程预付款保函"}, format="json")
    assert patched.json()["name"] == "工程预付款保函"
    assert api.delete(f"/api/v1/guarantee-types/{created['id']}/").status_code == 204
    bid = GuaranteeType.objects.get(code="bid")
    assert_api_error(api.delete(f"/api/v1/guarantee-types/{bid.pk}/"), 409, "builtin_type")
    assert_api_error(
        api_for("guarantor_admin").post("/api/v1/guarantee-types/", body, format="json"), 403, "permission_denied"
    )


def test_the_edit_form_shows_the_current_values(client_for):
    bid = GuaranteeType.objects.get(code="bid")
    page = text(client_for("platform_admin").get(reverse("catalog:type_edit", args=[bid.pk])))
    assert 'value="投标保函"' in page and "招标公告" in page and 'value="bid"' in page
