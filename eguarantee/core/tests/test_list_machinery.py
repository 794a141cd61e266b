"""The list machinery's shortcuts show exactly what the long way shows: the memoized filter
bar, the lazily copied filters, the skipped COUNT, the reused first keyset page, the header
row and cells built in Python, the kept static URLs."""

import html
import re

import django_filters
import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_filters.filterset import BaseFilterSet
from jinja2 import Environment

from eguarantee.accounts import filtersets as account_filtersets
from eguarantee.accounts.models import User
from eguarantee.accounts.tables import OrganizationTable, UserTable
from eguarantee.catalog.filtersets import GuaranteeTemplateFilterSet
from eguarantee.core import filtersets as core_filtersets
from eguarantee.core import jinja2_env, pagination
from eguarantee.core import tables as core_tables
from eguarantee.core.tables import Column, Table, escape_text

STATIC_FILTERSETS = [
    account_filtersets.UserFilterSet,
    account_filtersets.OrganizationFilterSet,
    account_filtersets.RoleFilterSet,  # a BooleanFilter: rendered by Django's widget templates
]


def request(query=""):
    return RequestFactory().get("/accounts/users/" + query)


def plain(bar):
    """A filter bar as what the template prints of it."""
    return [(str(f["label"]), f["id"], str(f["html"]), [str(e) for e in f["errors"]]) for f in bar]


# The filter bar ---------------------------------------------------------------------------


@pytest.mark.parametrize("filterset_class", STATIC_FILTERSETS)
def test_memoized_filter_bar_is_the_bar_built_afresh(db, filterset_class):
    core_filtersets._filter_bars.clear()
    built = core_filtersets.build_filter_bar(filterset_class(None, request=request()))
    first = core_filtersets.filter_bar(filterset_class(None, request=request())).fields
    again = filterset_class(None, request=request())
    second = core_filtersets.filter_bar(again).fields
    assert plain(first) == plain(second) == plain(built)
    assert second is first  # from the memo:
    assert "_form" not in again.__dict__ and "filters" not in again.__dict__  # no form, no filters copied


def test_filter_bar_memo_is_per_language_and_class(db):
    core_filtersets._filter_bars.clear()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for filterset_class in STATIC_FILTERSETS:
                core_filtersets.filter_bar(filterset_class(None, request=request()))
    assert len(core_filtersets._filter_bars) == 2 * len(STATIC_FILTERSETS)


def test_a_bound_filter_bar_shows_its_values_and_is_not_memoized(db):
    core_filtersets._filter_bars.clear()
    data = request("?q=%3Cb%3E&status=locked&organization=abc").GET
    bar = core_filtersets.filter_bar(account_filtersets.UserFilterSet(data, request=request())).fields
    html_by_id = {f["id"]: str(f["html"]) for f in bar}
    assert 'value="&lt;b&gt;"' in html_by_id["id_q"]
    assert '<option value="locked" selected>' in html_by_id["id_status"]
    assert next(f["errors"] for f in bar if f["id"] == "id_organization")  # not a number
    assert not core_filtersets._filter_bars


def test_only_static_forms_are_memoized():
    class PerRequest(core_filtersets.SearchFilterSet):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)

        class Meta:
            model = User
            fields = ["q"]

    class CallableChoices(core_filtersets.SearchFilterSet):
        status = django_filters.ChoiceFilter(choices=lambda: [("a", "A")])

        class Meta:
            model = User
            fields = ["q", "status"]

    assert all(core_filtersets.has_static_form(cls) for cls in STATIC_FILTERSETS)
    assert not core_filtersets.has_static_form(GuaranteeTemplateFilterSet)  # ModelChoiceFilter: data
    assert not core_filtersets.has_static_form(PerRequest)
    assert not core_filtersets.has_static_form(CallableChoices)


def test_filters_copied_on_first_use_are_django_filters_own(db):
    queryset = User.objects.all()
    ours = account_filtersets.UserFilterSet(None, queryset=queryset, request=request())
    theirs = account_filtersets.UserFilterSet.__new__(account_filtersets.UserFilterSet)
    BaseFilterSet.__init__(theirs, None, queryset=queryset, request=request())
    assert list(ours.filters) == list(theirs.filters)
    for name, filter_ in ours.filters.items():
        assert type(filter_) is type(theirs.filters[name])
        assert filter_.parent is ours and filter_.model is User
        assert filter_ is not account_filtersets.UserFilterSet.base_filters[name]
    assert ours.is_bound is theirs.is_bound is False and ours.queryset is queryset


def test_a_static_form_class_is_built_once(db):
    first = account_filtersets.UserFilterSet(request("?q=x").GET, request=request())
    second = account_filtersets.UserFilterSet(request("?q=y").GET, request=request())
    assert type(first.form) is type(second.form)
    assert first.form.fields["q"] is not second.form.fields["q"]  # each form its own fields
    assert first.qs.query is not None and first.form.cleaned_data["q"] == "x"


# Counting ---------------------------------------------------------------------------------


def count_queries(queries):
    return [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]


def users_table(query="", queryset=None, per_page=None):
    return UserTable(queryset if queryset is not None else User.objects.all(), request(query), per_page=per_page)


@pytest.mark.django_db
def test_a_short_first_page_is_not_counted(demo_users):
    with CaptureQueriesContext(connection) as queries:
        table = users_table()
        body = table.body_html()
    assert not count_queries(queries.captured_queries) and len(queries.captured_queries) == 1
    total = User.objects.count()
    assert total < 25 and table.count_label == str(total) and body.count("<tr>") == total
    assert table.paginator.num_pages == 1 and table.page.number == 1


@pytest.mark.django_db
def test_an_empty_list_is_not_counted(demo_users):
    with CaptureQueriesContext(connection) as queries:
        table = users_table(queryset=User.objects.none() | User.objects.filter(username="nobody"))
    assert not count_queries(queries.captured_queries)
    assert table.count_label == "0" and "暂无数据" in table.body_html()


@pytest.fixture
def sixty(demo_users):
    org = demo_users["platform_admin"].organization
    User.objects.bulk_create(User(username=f"user{i:03d}", full_name=f"用户{i}", organization=org) for i in range(60))
    return User.objects.count()


def test_a_full_page_is_counted_and_the_last_page_is_not(sixty):
    with CaptureQueriesContext(connection) as queries:
        first = users_table()
    assert len(count_queries(queries.captured_queries)) == 1 and first.count_label == str(sixty)
    last_number = -(-sixty // 25)
    with CaptureQueriesContext(connection) as queries:
        last = users_table(f"?page={last_number}")
    assert not count_queries(queries.captured_queries)
    assert last.count_label == str(sixty) and last.paginator.num_pages == last_number
    assert len(last.page.object_list) == sixty - 25 * (last_number - 1)


@pytest.mark.parametrize("query", ["", "?page=2", "?page=3", "?page=99", "?page=0", "?page=-1", "?page=x", "?page=2.0"])
def test_pages_are_the_paginators_pages(sixty, query):
    """Whatever the page parameter, the page shown is the one Django's paginator picks."""
    from django.core.paginator import Paginator

    table = users_table(query)
    expected_paginator = Paginator(User.objects.order_by("username").values("pk"), 25)
    expected = expected_paginator.get_page(request(query).GET.get("page"))
    assert table.page.number == expected.number
    assert [row["pk"] for row in table.page.object_list] == [row["pk"] for row in expected.object_list]
    assert table.count_label == str(sixty) and table.paginator.num_pages == expected_paginator.num_pages


def test_the_first_keyset_page_reuses_the_rows_read_first(sixty, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 30)
    with CaptureQueriesContext(connection) as queries:
        table = users_table("?sort=-username")
    assert table.keyset and table.count_label == "30+" and len(queries.captured_queries) == 2  # page, count
    expected = list(User.objects.order_by("-username", "-pk").values_list("username", flat=True)[:25])
    assert [row["username"] for row in table.page.object_list] == expected
    assert table.page.is_first and table.page.previous_cursor is None and table.page.next_cursor
    following = users_table(f"?sort=-username&after={table.page.next_cursor}")
    assert [row["username"] for row in following.page.object_list] == list(
        User.objects.order_by("-username", "-pk").values_list("username", flat=True)[25:50]
    )


def test_a_numbered_page_of_a_list_past_the_cap_pages_by_keyset(sixty, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 30)
    table = users_table("?page=2")
    assert table.keyset and table.page.is_first  # keyset paging ignores page numbers, as before


# Rendering --------------------------------------------------------------------------------

OLD_HEADER = """  {% for h in table.headers %}
    <th>{% if h.select %}<input type="checkbox" class="form-check-input" data-toggle-all="1" aria-label="全选">
    {% elif h.sort_url %}<a href="{{ h.sort_url }}">{{ h.label }}{% if h.sorted %} <i class="bi {% if h.descending %}\
bi-caret-down-fill{% else %}bi-caret-up-fill{% endif %}"></i>{% endif %}</a>
    {% else %}{{ h.label }}{% endif %}</th>
  {% endfor %}
"""


class HostileTable(Table):
    columns = [
        Column("pk", select=True),
        Column("username", header='<b>"名"&', link=True),
        Column("full_name"),
        Column("mobile", header="手机", display=lambda row: row["mobile"]),
    ]
    values = ("pk", "username", "full_name", "mobile")
    detail_url_name = "accounts:user_detail"


@pytest.mark.parametrize("query", ["", "?sort=username", "?sort=-username", "?sort=full_name&q=%22%3C"])
def test_header_row_is_what_the_template_loop_wrote(db, query):
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    for table_class in (UserTable, HostileTable, OrganizationTable):
        table = table_class(User.objects.all() if table_class is not OrganizationTable else _orgs(), request(query))
        assert str(table.head_html()) == env.from_string(OLD_HEADER).render(table=table)


def _orgs():
    from eguarantee.accounts.models import Organization

    return Organization.objects.all()


def test_cells_are_what_column_cell_html_writes(demo_users):
    User.objects.filter(username="applicant_operator").update(full_name="<i>\"A&B'</i>", mobile=None)
    for table in (HostileTable(User.objects.all(), request()), users_table()):
        expected = []
        for obj in table.page.object_list:
            cells = []
            for column, getter in zip(table.columns, table._getters, strict=True):
                if column.select:
                    cells.append(core_tables.SELECT_CELL.format(html.escape(str(obj["pk"]))))
                else:
                    cells.append(column.cell_html(obj, getter(obj), table.link(obj) if column.link else None))
            expected.append("<tr>" + "".join(cells) + "</tr>")
        assert str(table.body_html()) == "\n".join(expected)
    assert "&lt;i&gt;&quot;A&amp;B&#x27;&lt;/i&gt;" in str(users_table().body_html())


@pytest.mark.parametrize("text", ["", "plain", "中文", "<>&\"'", "a&b", "x'y", 'q"', "&amp;"])
def test_escape_text_is_html_escape(text):
    assert escape_text(text) == html.escape(text)


def test_plain_headers_are_kept_per_class_and_language(db):
    core_tables._statics.clear()
    first = users_table()
    second = users_table()
    assert first.headers is second.headers and first.head_html() is second.head_html()
    sorted_table = users_table("?sort=username")
    assert sorted_table.headers is not first.headers and sorted_table.headers[1]["sorted"]


def test_links_follow_the_url_pattern(demo_users):
    table = users_table()
    row = table.page.object_list[0]
    assert table.link(row) == f"/accounts/users/{row['pk']}/"


# Static URLs ------------------------------------------------------------------------------


def test_static_urls_are_the_storages_and_forgotten_when_storage_changes(settings):
    jinja2_env._static_urls.clear()
    assert jinja2_env.static("css/platform.css") == staticfiles_storage.url("css/platform.css")
    assert "css/platform.css" in jinja2_env._static_urls
    settings.STATIC_URL = "/elsewhere/"
    assert not jinja2_env._static_urls


@pytest.mark.django_db
def test_pages_use_the_kept_static_urls(client_for):
    page = client_for("platform_admin").get("/accounts/users/").content.decode()
    assert f'href="{staticfiles_storage.url("css/platform.css")}"' in page
    assert re.search(r'<script src="[^"]+htmx[^"]*" defer>', page)


def _querysets():
    from django.db.models import Count, Q

    users = User.objects.select_related("organization")
    return {
        "all": users.all(),
        "filtered": users.filter(status="active"),
        "search over a join": users.filter(Q(username__icontains="a") | Q(organization__name__icontains="厦门")),
        "to-many join (duplicates)": users.filter(groups__role__enabled=True),
        "distinct": users.filter(groups__role__enabled=True).distinct(),
        "annotated": users.annotate(roles=Count("groups")),
        "values": users.values("username"),
        "none": users.none(),
        "empty in": users.filter(pk__in=[]),
        "extra where": users.extra(where=["1 = 1"]),
        "union": users.filter(status="active").order_by().union(users.filter(status="locked").order_by()),
    }


@pytest.mark.parametrize("name", list(_querysets()))
@pytest.mark.parametrize("cap", [3, 10_000])
def test_capped_count_is_djangos_count(demo_users, name, cap):
    queryset = _querysets()[name]
    assert pagination.capped_count(queryset, cap) == min(queryset.count(), cap + 1)


def test_capped_count_is_one_plain_query(demo_users):
    with CaptureQueriesContext(connection) as queries:
        pagination.capped_count(User.objects.filter(status="active"), 3)
    assert len(queries.captured_queries) == 1
    assert re.match(r"SELECT COUNT\(\*\) FROM \(SELECT .+ LIMIT 4\) subquery$", queries.captured_queries[0]["sql"])
