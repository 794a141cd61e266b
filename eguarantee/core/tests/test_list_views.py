import re

import pytest

from eguarantee.accounts.models import User


def usernames(html):
    return re.findall(r'<a href="/accounts/users/\d+/">([^<]+)</a>', html)


@pytest.mark.django_db
def test_list_sorts_by_a_column_both_ways(client_for):
    client = client_for("platform_admin")
    ascending = usernames(client.get("/accounts/users/?sort=username").content.decode())
    descending = usernames(client.get("/accounts/users/?sort=-username").content.decode())
    assert ascending == sorted(ascending)
    assert descending == sorted(descending, reverse=True)
    assert set(ascending) == set(descending)


@pytest.mark.django_db
def test_unknown_sort_and_bad_page_do_not_fail(client_for):
    client = client_for("platform_admin")
    for query in ("?sort=password", "?sort=__class__", "?page=abc", "?page=99999", "?page=-1"):
        response = client.get(f"/accounts/users/{query}")
        assert response.status_code == 200, query
        assert "applicant_admin" in response.content.decode() or "platform_admin" in response.content.decode()


@pytest.mark.django_db
def test_list_paginates_and_counts(client_for, demo_users):
    org = demo_users["applicant_admin"].organization
    User.objects.bulk_create(
        [
            User(username=f"bulk{i:03d}", full_name=f"批量{i}", organization=org, mobile=f"1371000{i:04d}")
            for i in range(40)
        ]
    )
    client = client_for("platform_admin")
    total = User.objects.count()
    first = client.get("/accounts/users/").content.decode()
    assert f"共 {total} 条" in first
    assert len(usernames(first)) == 25
    second = client.get("/accounts/users/?page=2").content.decode()
    assert len(usernames(second)) == min(25, total - 25)
    assert not set(usernames(first)) & set(usernames(second))


@pytest.mark.django_db
def test_filter_and_keyword_search(client_for):
    client = client_for("platform_admin")
    html = client.get("/accounts/users/?q=guarantor").content.decode()
    assert set(usernames(html)) == {"guarantor_admin", "guarantor_reviewer"}
    html = client.get("/accounts/users/?org_type=department").content.decode()
    assert set(usernames(html)) == {"department_admin", "department_inspector"}


@pytest.mark.django_db
def test_list_text_is_escaped(client_for, demo_users):
    user = demo_users["applicant_operator"]
    User.objects.filter(pk=user.pk).update(full_name="<script>alert(1)</script>")
    html = client_for("platform_admin").get("/accounts/users/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.django_db
def test_export_follows_the_filter(client_for):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_for("platform_admin").get("/accounts/users/?org_type=guarantor&export=xlsx")
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "用户名"
    assert sorted(r[0] for r in rows[1:]) == ["guarantor_admin", "guarantor_reviewer"]
