"""Odd input never answers 500: filters, payload types, huge numbers, formset tampering."""

import pytest
from django.urls import reverse

from eguarantee.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "params",
    [
        {"bid_opening_from": "不是日期"},
        {"bid_opening_to": "2026-13-45"},
        {"region_code": "';--"},
        {"project_type": "nope", "source": "x"},
        {"sort": "-beneficiary__password"},
        {"page": "abc"},
        {"locked": "maybe"},
    ],
)
def test_list_filters_never_fail(client_for, api_for, params):
    assert client_for("applicant_admin").get(reverse("projects:project_list"), params).status_code == 200
    assert api_for("applicant_admin").get(reverse("api:project-list"), params).status_code in (200, 400, 404)


@pytest.mark.parametrize(
    "body",
    [
        {"number": "X1", "sections": "not a list"},
        {"number": "X1", "bid_opening_at": "明天", "sections": []},
        {"number": ["X1"], "name": {"a": 1}},
        {
            "number": "X1",
            "name": "n",
            "project_type": "municipal",
            "region_code": "350203",
            "beneficiary": 987654,
            "contract_estimate": "1e30",
            "bid_opening_at": "2099-01-01T00:00:00+08:00",
            "bid_validity_days": 10**12,
            "sections": [{"number": "1", "name": "a", "bid_bond_amount": "NaN"}],
        },
        {
            "number": "X1",
            "name": "n",
            "project_type": "municipal",
            "region_code": "350203",
            "beneficiary_name": "某公司",
            "beneficiary_credit_code": "x" * 40,
            "contract_estimate": "100",
            "bid_opening_at": "2099-01-01T00:00:00+08:00",
            "bid_validity_days": 90,
            "sections": [{"id": "abc", "number": "1", "name": "a", "bid_bond_amount": "1"}],
        },
    ],
)
def test_api_create_refuses_odd_payloads(api_for, body):
    response = api_for("applicant_admin").post(reverse("api:project-list"), body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"]
    assert not Project.objects.exists()


def test_formset_tampering_is_refused(demo_users, client_for):
    data = {
        "number": "T-1",
        "name": "n",
        "project_type": "municipal",
        "region_code": "350203",
        "beneficiary": str(demo_users["beneficiary_admin"].organization.pk),
        "contract_estimate": "100",
        "bid_opening_at": "2099-01-01T09:00",
        "bid_validity_days": "90",
        "sections-TOTAL_FORMS": "100000",
        "sections-INITIAL_FORMS": "0",
    }
    response = client_for("applicant_admin").post(reverse("projects:project_add"), data)
    assert response.status_code == 200
    assert not Project.objects.exists()
    data.update({"sections-TOTAL_FORMS": "1", "sections-0-id": "999999", "sections-0-number": "1"})
    data.update({"sections-0-name": "a", "sections-0-bid_bond_amount": "5"})
    response = client_for("applicant_admin").post(reverse("projects:project_add"), data)
    assert response.status_code == 200
    assert "标段不属于该项目" in response.content.decode()
    assert not Project.objects.exists()
