"""Lists beyond the count cap page by keyset: every row once, in order, both ways, whatever
the sort; a forged cursor starts again from the first page."""

import pytest

from eguarantee.accounts.models import User
from eguarantee.core import pagination

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(demo_users, monkeypatch):
    """72 users, and a count cap of 3: the user list pages by keyset, 25 rows a page."""
    org = demo_users["platform_admin"].organization
    User.objects.bulk_create(User(username=f"user{i:03d}", full_name=f"用户{i}", organization=org) for i in range(60))
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    return User.objects.count()


def walk(client, url, key="after", cursor_of="next_cursor"):
    """The usernames page after page until the end, and how many pages it took."""
    names, pages, query = [], 0, ""
    while True:
        response = client.get(url + query)
        assert response.status_code == 200
        table = response.context_data["table"]
        names += [row["username"] for row in table.page.object_list]
        pages += 1
        cursor = getattr(table.page, cursor_of)
        if cursor is None:
            return names, pages, table
        query = ("&" if "?" in url else "?") + f"{key}={cursor}"


@pytest.mark.parametrize("sort", ["", "username", "-username", "full_name"])
def test_keyset_pages_visit_every_row_once_in_order(client_for, many, sort):
    client = client_for("platform_admin")
    names, pages, table = walk(client, "/accounts/users/" + (f"?sort={sort}" if sort else ""))
    if sort:
        expected = User.objects.order_by(sort, "-pk" if sort.startswith("-") else "pk")
    else:
        expected = User.objects.all()  # the model's own ordering
    assert names == list(expected.values_list("username", flat=True))
    assert pages == -(-many // 25) and table.keyset and table.count_label == "3+"


def test_previous_goes_back_to_the_same_rows(client_for, many):
    client = client_for("platform_admin")

    def rows(query):
        table = client.get("/accounts/users/?sort=username" + query).context_data["table"]
        return table, [r["username"] for r in table.page.object_list]

    first, first_rows = rows("")
    second, second_rows = rows(f"&after={first.page.next_cursor}")
    third, _ = rows(f"&after={second.page.next_cursor}")
    assert rows(f"&before={third.page.previous_cursor}")[1] == second_rows
    back, back_rows = rows(f"&before={second.page.previous_cursor}")
    assert back_rows == first_rows and back.page.is_first and back.page.previous_cursor is None
    page = client.get(f"/accounts/users/?sort=username&after={first.page.next_cursor}").content.decode()
    assert all(label in page for label in ("首页", "上一页", "下一页", "共 3+ 条"))


@pytest.mark.parametrize("cursor", ["garbage", "WyJ4Il0", "W10", "%00", "WzEsMiwzLDRd"])
def test_a_forged_cursor_shows_the_first_page(client_for, many, cursor):
    response = client_for("platform_admin").get(f"/accounts/users/?after={cursor}&before={cursor}")
    assert response.status_code == 200
    assert response.context_data["table"].page.is_first
