"""List tables: declared columns, sorting by whitelisted columns, pagination.

Our own small renderer rather than django-tables2: measured on the 用户管理 list (25 rows ×
7 columns), django-tables2 spent ~70 % of the request introspecting each cell's render
signature; this renders the same table in a fraction of that (bench/list_page.py)."""

import re
from datetime import datetime
from html import escape as _escape
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from markupsafe import Markup
from markupsafe import escape as jinja_escape

from . import pagination
from .export import resolve

SELECT_CELL = '<td><input type="checkbox" class="form-check-input" name="pk" value="{}" aria-label="选择"></td>'

_needs_escape = re.compile(r"[&<>\"']").search


def escape_text(text):
    """html.escape (quotes too), byte for byte; most cells have nothing to escape, and one
    search is cheaper than html.escape's five replaces."""
    return _escape(text) if _needs_escape(text) else text


class Column:
    def __init__(self, accessor, header=None, *, link=False, sortable=True, select=False, display=None):
        self.accessor = accessor
        self.header = header
        self.link = link
        self.sortable = sortable and not select and not callable(accessor) and display is None
        self.select = select
        self.display = display

    def label(self, model):
        if self.header:
            return self.header
        if self.select:
            return ""
        name = self.accessor.split("__")[0]
        try:
            return str(model._meta.get_field(name).verbose_name)
        except Exception:  # not a model field: a property or a method
            return name

    def getter(self, model, *, rows_are_dicts=False):
        """obj → the cell's text, built once per table: a cell then costs one attribute (or
        key) read, not a display-method lookup and a translated label per row."""
        if self.display:
            return lambda obj: format_value(self.display(obj))
        field = None
        if isinstance(self.accessor, str) and "__" not in self.accessor:
            try:
                field = model._meta.get_field(self.accessor)
            except Exception:  # a property or a method
                field = None
        if rows_are_dicts:
            key = self.accessor
            if field is not None and field.choices:
                labels = {value: str(label) for value, label in field.flatchoices}
                return lambda row: format_value(labels.get(row[key], row[key]))

            def read(row):
                return format_value(row[key])

            read.dict_key = key  # a plain value: body_html may inline the read
            return read
        if field is not None and field.concrete and field.choices:
            labels = {value: str(label) for value, label in field.flatchoices}
            attname = field.attname
            return lambda obj: format_value(labels.get(getattr(obj, attname), getattr(obj, attname)))
        return lambda obj: format_value(resolve(obj, self.accessor))

    def cell_html(self, obj, text, url):
        if url:
            return f'<td><a href="{escape_text(url)}">{escape_text(text)}</a></td>'
        return f"<td>{escape_text(text)}</td>"


class BadgeColumn(Column):
    """A cell shown as a coloured badge: badge(obj) → (label, Bootstrap colour). An expiring
    qualification must stand out in a list, not read as one more word."""

    def __init__(self, badge, header):
        super().__init__(header, header, sortable=False, display=lambda obj: badge(obj)[0])
        self.badge = badge

    def cell_html(self, obj, text, url):
        label, colour = self.badge(obj)
        return f'<td><span class="badge text-bg-{escape_text(colour)}">{escape_text(label)}</span></td>'


def format_value(value):
    if value is None or value == "":
        return "—"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).strftime("%Y-%m-%d %H:%M")
    return str(value)


_PK_MARK = 987654321987

# What a table class shows that depends on neither the data nor the request, built once per
# (class, model, language): column getters (choice labels translated in), header labels, the
# sortable columns, and the headers of a list viewed without a query string. Safe to keep:
# the columns are declared on the class (a table whose instance carries its own columns is
# not memoized) and their labels only vary with the language, which is in the key.
_statics: dict[tuple, "_Static"] = {}
# reverse(detail_url_name, args=[_PK_MARK]) split around the mark: the URLconf does not
# change while the process runs; the script prefix and the URLconf are in the key.
_url_patterns: dict[tuple, tuple] = {}


class _Static:
    __slots__ = ("getters", "labels", "plain_head_html", "plain_headers", "sortable")

    def __init__(self, table, model):
        rows_are_dicts = bool(table.values)
        self.getters = [c.getter(model, rows_are_dicts=rows_are_dicts) for c in table.columns]
        self.labels = [c.label(model) for c in table.columns]
        self.sortable = {c.accessor for c in table.columns if c.sortable}
        self.plain_headers = self.plain_head_html = None


def _detail_url_parts(url_name):
    key = (url_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    parts = _url_patterns.get(key)
    if parts is None:
        pattern = reverse(url_name, args=[_PK_MARK])
        pieces = pattern.split(str(_PK_MARK))
        parts = (pattern, *pieces) if len(pieces) == 2 else (pattern, None, None)
        if len(_url_patterns) < 1000:
            _url_patterns[key] = parts
    return parts


SELECT_HEADER = (
    '    <th><input type="checkbox" class="form-check-input" data-toggle-all="1" aria-label="全选">\n</th>\n'
)
SORT_UP = ' <i class="bi bi-caret-up-fill"></i>'
SORT_DOWN = ' <i class="bi bi-caret-down-fill"></i>'


def head_html(headers):
    """table.html's header cells, as its template loop wrote them (escaped the same way)."""
    cells = []
    for h in headers:
        if h["select"]:
            cells.append(SELECT_HEADER)
        elif h["sort_url"]:
            icon = (SORT_DOWN if h["descending"] else SORT_UP) if h["sorted"] else ""
            url, label = jinja_escape(h["sort_url"]), jinja_escape(h["label"])
            cells.append(f'    <th><a href="{url}">{label}{icon}</a>\n</th>\n')
        else:
            cells.append(f"    <th>{jinja_escape(h['label'])}</th>\n")
    return Markup("".join(cells))  # noqa: S704  every value escaped above


def _dict_cell(key, link):
    """Column.cell_html of a plain value read from a dict row, in one call per cell: the
    read, format_value (a non-empty string is shown as it is) and the escape inlined."""
    if link is None:

        def cell(row):
            value = row[key]
            text = value if type(value) is str and value else format_value(value)
            return f"<td>{_escape(text) if _needs_escape(text) else text}</td>"

    else:

        def cell(row):
            value = row[key]
            text = value if type(value) is str and value else format_value(value)
            return _link_cell(text, link(row))

    return cell


def _link_cell(text, url):
    if url:
        return f'<td><a href="{escape_text(url)}">{escape_text(text)}</a></td>'
    return f"<td>{escape_text(text)}</td>"


class Table:
    columns: list[Column] = []
    per_page = 25
    default_order = None
    only = None  # the fields the columns read: loading whole rows is most of a page's cost
    # Or read rows as dicts of these fields (the columns' accessors, "pk" included) and skip
    # building model instances: the cheapest way to show a page of plain values.
    values = None
    detail_url_name = None  # link columns then skip a reverse() per row

    def __init__(self, queryset: QuerySet, request, per_page=None):
        self.request = request
        model = queryset.model
        static = self._static(model)
        if self.detail_url_name:
            self._url_pattern, self._url_head, self._url_tail = _detail_url_parts(self.detail_url_name)
        else:
            self._url_pattern = self._url_head = self._url_tail = None
        params = request.GET
        self.sort = params.get("sort", "")
        if self.sort.lstrip("-") in static.sortable:
            # the tie-breaker runs the same way, so keyset paging can follow the order
            queryset = queryset.order_by(self.sort, "-pk" if self.sort.startswith("-") else "pk")
        elif self.default_order:
            queryset = queryset.order_by(*self.default_order)
        if not queryset.ordered:  # e.g. an annotated (GROUP BY) queryset loses Meta.ordering
            queryset = queryset.order_by(*(queryset.model._meta.ordering or ["pk"]))
        per_page = per_page or self.per_page
        cap = pagination.COUNT_CAP
        keys = pagination.order_keys(queryset)
        raw_number = params.get("page")
        try:
            number = int(raw_number)  # as Paginator.validate_number reads it
        except (TypeError, ValueError):
            number = 1
        # The page first, one row more than it shows: a page that is not full (or an empty
        # list) proves the total, and the COUNT is skipped. Only by number, and within the
        # count cap (no deeper OFFSET than the capped COUNT would read); the first page is
        # read with the keyset columns, so it is also the first keyset page if the list
        # turns out to be longer than the cap.
        rows = total = selected = None
        if 1 <= number and (number - 1) * per_page < cap and not params.get("after") and not params.get("before"):
            offset = (number - 1) * per_page
            selected = self._select(queryset, keys if number == 1 else None)
            rows = list(selected[offset : offset + per_page + 1])
            if len(rows) <= per_page and (rows or number == 1):
                total = min(offset + len(rows), cap + 1)  # what capped_count would say
        if total is None:
            total = pagination.capped_count(queryset)
        if total <= cap:
            keys = None
        self.keyset = keys is not None
        if self.keyset:
            key_names = [name for name, _ in keys]
            self.paginator = None
            self.count_label = f"{cap:,}+"
            after = self._cursor("after", model, keys)
            before = self._cursor("before", model, keys)
            self.page = pagination.keyset_page(
                selected if number == 1 and selected is not None else self._select(queryset, keys),
                keys,
                per_page,
                after=after,
                before=before,
                row_values=(lambda row: [row[k] for k in key_names])
                if self.values
                else (lambda obj: [getattr(obj, k) for k in key_names]),
                first_rows=rows if number == 1 and after is None and before is None else None,
            )
        else:
            # (the first page's selection may carry the keyset columns too: unused, harmless)
            paginator = Paginator(selected if selected is not None else self._select(queryset, None), per_page)
            paginator.count = total  # counted already (cached_property): no second COUNT(*)
            if rows is not None and number <= paginator.num_pages:
                self.page = Page(rows[:per_page], number, paginator)  # the rows read above
            else:
                self.page = paginator.get_page(raw_number)
            self.paginator = paginator
            self.count_label = f"{total}"
        self._getters = static.getters
        if params:
            self.headers = self._headers(static)
            self._head_html = None
        else:  # no query string: the same headers every time
            if static.plain_headers is None:
                static.plain_headers = self._headers(static)
                static.plain_head_html = head_html(static.plain_headers)
            self.headers = static.plain_headers
            self._head_html = static.plain_head_html

    def _static(self, model):
        if self.columns is not type(self).columns:
            return _Static(self, model)
        key = (type(self), model, translation.get_language())
        static = _statics.get(key)
        if static is None:
            static = _Static(self, model)
            if len(_statics) < 1000:
                _statics[key] = static
        return static

    def _select(self, queryset, keys):
        """The queryset reading only what the columns show (and the keyset columns)."""
        key_names = [name for name, _ in keys] if keys else []
        if self.only:
            queryset = queryset.only(*self.only, *key_names)
        if self.values:
            queryset = queryset.values(*self.values, *(k for k in key_names if k not in self.values))
        return queryset

    def _headers(self, static):
        return [
            {
                "label": label,
                "select": column.select,
                "sort_url": self._sort_url(column) if column.sortable else None,
                "sorted": self.sort.lstrip("-") == column.accessor,
                "descending": self.sort.startswith("-"),
            }
            for column, label in zip(self.columns, static.labels, strict=True)
        ]

    def head_html(self):
        """The header cells (between <thead><tr> and </tr></thead>)."""
        if self._head_html is None:
            self._head_html = head_html(self.headers)
        return self._head_html

    def _pk(self, obj):
        return obj["pk"] if self.values else obj.pk

    def link(self, obj):
        if self._url_head is not None:
            return f"{self._url_head}{self._pk(obj)}{self._url_tail}"
        if self._url_pattern:
            return self._url_pattern.replace(str(_PK_MARK), str(self._pk(obj)))
        return obj.get_absolute_url()

    def _cell_renderers(self):
        """obj → one cell's HTML, per column. Plain columns are inlined (escape the text,
        wrap it, link it); a column with its own cell_html keeps it."""
        renderers = []
        pk, link = self._pk, self.link
        for column, getter in zip(self.columns, self._getters, strict=True):
            if column.select:
                renderers.append(lambda obj: SELECT_CELL.format(escape_text(str(pk(obj)))))
            elif type(column).cell_html is not Column.cell_html:
                if column.link:
                    renderers.append(lambda obj, c=column, g=getter: c.cell_html(obj, g(obj), link(obj)))
                else:
                    renderers.append(lambda obj, c=column, g=getter: c.cell_html(obj, g(obj), None))
            elif getattr(getter, "dict_key", None) is not None:
                renderers.append(_dict_cell(getter.dict_key, link if column.link else None))
            elif column.link:
                renderers.append(lambda obj, g=getter: _link_cell(g(obj), link(obj)))
            else:
                renderers.append(lambda obj, g=getter: f"<td>{escape_text(g(obj))}</td>")
        return renderers

    def body_html(self):
        """The <tbody> rows, built in Python: a template loop over every cell costs more
        than the rest of a list page together."""
        renderers = self._cell_renderers()
        lines = ["<tr>" + "".join([cell(obj) for cell in renderers]) + "</tr>" for obj in self.page.object_list]
        if not lines:
            return format_html(
                '<tr><td colspan="{}" class="text-center text-muted py-4">暂无数据</td></tr>', len(self.columns)
            )
        return mark_safe("\n".join(lines))  # noqa: S308  every cell escaped by its column

    def _query(self, **changes):
        """The current query string with `changes` (an empty value drops the key)."""
        if not self.request.GET:  # a list's first view: only the changed keys, no QueryDict copy
            return urlencode({key: value for key, value in changes.items() if value != ""})
        params = self.request.GET.copy()
        params.pop("export", None)
        for key, value in changes.items():
            if value == "":
                params.pop(key, None)
            else:
                params[key] = value
        return params.urlencode()

    def _sort_url(self, column):
        descending = self.sort == column.accessor
        # a cursor belongs to the order it was taken in
        return "?" + self._query(sort=("-" if descending else "") + column.accessor, page=1, after="", before="")

    def page_url(self, number):
        if not self.request.GET and isinstance(number, int):
            return f"?page={number}"  # what urlencode({"page": number}) gives
        return "?" + self._query(page=number)

    def _cursor(self, key, model, keys):
        token = self.request.GET.get(key)
        return pagination.decode_cursor(token, model, keys) if token else None

    def keyset_links(self):
        """首页 / 上一页 / 下一页 of a list paged by keyset."""
        page, links = self.page, []
        if not page.is_first:
            links.append({"label": "首页", "url": "?" + self._query(after="", before="", page="")})
        if page.previous_cursor:
            links.append({"label": "上一页", "url": "?" + self._query(before=page.previous_cursor, after="")})
        if page.next_cursor:
            links.append({"label": "下一页", "url": "?" + self._query(after=page.next_cursor, before="")})
        return links

    def page_links(self):
        current, last = self.page.number, self.paginator.num_pages
        numbers = sorted({1, last, *range(max(1, current - 3), min(last, current + 3) + 1)})
        return [{"number": n, "url": self.page_url(n), "current": n == current} for n in numbers]
