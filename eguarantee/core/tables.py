"""List tables: declared columns, sorting by whitelisted columns, pagination.

Our own small renderer rather than django-tables2: measured on the 用户管理 list (25 rows ×
7 columns), django-tables2 spent ~70 % of the request introspecting each cell's render
signature; this renders the same table in a fraction of that (bench/list_page.py)."""

from datetime import datetime
from html import escape as escape_text
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from . import pagination
from .export import resolve

SELECT_CELL = '<td><input type="checkbox" class="form-check-input" name="pk" value="{}" aria-label="选择"></td>'


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
            return lambda row: format_value(row[key])
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
        self._url_pattern = reverse(self.detail_url_name, args=[_PK_MARK]) if self.detail_url_name else None
        self.sort = request.GET.get("sort", "")
        sortable = {c.accessor for c in self.columns if c.sortable}
        if self.sort.lstrip("-") in sortable:
            # the tie-breaker runs the same way, so keyset paging can follow the order
            queryset = queryset.order_by(self.sort, "-pk" if self.sort.startswith("-") else "pk")
        elif self.default_order:
            queryset = queryset.order_by(*self.default_order)
        if not queryset.ordered:  # e.g. an annotated (GROUP BY) queryset loses Meta.ordering
            queryset = queryset.order_by(*(queryset.model._meta.ordering or ["pk"]))
        per_page = per_page or self.per_page
        total = pagination.capped_count(queryset)
        keys = pagination.order_keys(queryset) if total > pagination.COUNT_CAP else None
        key_names = [name for name, _ in keys] if keys else []
        if self.only:
            queryset = queryset.only(*self.only, *key_names)
        if self.values:
            queryset = queryset.values(*self.values, *(k for k in key_names if k not in self.values))
        self.keyset = keys is not None
        if self.keyset:
            self.paginator = None
            self.count_label = f"{pagination.COUNT_CAP:,}+"
            self.page = pagination.keyset_page(
                queryset,
                keys,
                per_page,
                after=self._cursor("after", model, keys),
                before=self._cursor("before", model, keys),
                row_values=(lambda row: [row[k] for k in key_names])
                if self.values
                else (lambda obj: [getattr(obj, k) for k in key_names]),
            )
        else:
            paginator = Paginator(queryset, per_page)
            paginator.count = total  # counted already (cached_property): no second COUNT(*)
            self.page = paginator.get_page(request.GET.get("page"))
            self.paginator = paginator
            self.count_label = f"{total}"
        self._getters = [c.getter(model, rows_are_dicts=bool(self.values)) for c in self.columns]
        self.headers = []
        for column in self.columns:
            self.headers.append(
                {
                    "label": column.label(model),
                    "select": column.select,
                    "sort_url": self._sort_url(column) if column.sortable else None,
                    "sorted": self.sort.lstrip("-") == column.accessor,
                    "descending": self.sort.startswith("-"),
                }
            )

    def rows(self):
        """One list of cells per object: {"text", "url"} or {"select": pk}."""
        for obj in self.page.object_list:
            cells = []
            for column, getter in zip(self.columns, self._getters, strict=True):
                if column.select:
                    cells.append({"select": self._pk(obj)})
                    continue
                cells.append({"text": getter(obj), "url": self.link(obj) if column.link else None})
            yield cells

    def _pk(self, obj):
        return obj["pk"] if self.values else obj.pk

    def link(self, obj):
        if self._url_pattern:
            return self._url_pattern.replace(str(_PK_MARK), str(self._pk(obj)))
        return obj.get_absolute_url()

    def body_html(self):
        """The <tbody> rows, built in Python: a template loop over every cell costs more
        than the rest of a list page together."""
        lines = []
        for obj in self.page.object_list:
            html = []
            for column, getter in zip(self.columns, self._getters, strict=True):
                if column.select:
                    html.append(SELECT_CELL.format(escape_text(str(self._pk(obj)))))
                else:
                    html.append(column.cell_html(obj, getter(obj), self.link(obj) if column.link else None))
            lines.append("<tr>" + "".join(html) + "</tr>")
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
