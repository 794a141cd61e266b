"""List tables: declared columns, sorting by whitelisted columns, pagination.

Our own small renderer rather than django-tables2: measured on the 用户管理 list (25 rows ×
7 columns), django-tables2 spent ~70 % of the request introspecting each cell's render
signature; this renders the same table in a fraction of that (bench/list_page.py)."""

from datetime import datetime
from html import escape as escape_text

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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

    def render(self, obj):
        if self.display:
            return format_value(self.display(obj))
        getter = self._getters.get(type(obj))
        if getter is None:
            getter = self._getters[type(obj)] = self._getter(type(obj))
        return format_value(getter(obj))

    @property
    def _getters(self):
        # Built once per model: a cell then costs one attribute read, not a display-method
        # lookup and a translated label per row.
        if "_getter_cache" not in self.__dict__:
            self._getter_cache = {}
        return self._getter_cache

    def _getter(self, model):
        if isinstance(self.accessor, str) and "__" not in self.accessor:
            try:
                field = model._meta.get_field(self.accessor)
            except Exception:  # a property or a method
                field = None
            if field is not None and field.concrete and field.choices:
                labels = {value: str(label) for value, label in field.flatchoices}
                attname = field.attname
                return lambda obj: labels.get(getattr(obj, attname), getattr(obj, attname))
        return lambda obj: resolve(obj, self.accessor)


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
    detail_url_name = None  # link columns then skip a reverse() per row

    def __init__(self, queryset: QuerySet, request, per_page=None):
        self.request = request
        model = queryset.model
        if self.only:
            queryset = queryset.only(*self.only)
        self._url_pattern = reverse(self.detail_url_name, args=[_PK_MARK]) if self.detail_url_name else None
        self.sort = request.GET.get("sort", "")
        sortable = {c.accessor for c in self.columns if c.sortable}
        if self.sort.lstrip("-") in sortable:
            queryset = queryset.order_by(self.sort, "-pk")
        elif self.default_order:
            queryset = queryset.order_by(*self.default_order)
        if not queryset.ordered:  # e.g. an annotated (GROUP BY) queryset loses Meta.ordering
            queryset = queryset.order_by(*(queryset.model._meta.ordering or ["pk"]))
        paginator = Paginator(queryset, per_page or self.per_page)
        self.page = paginator.get_page(request.GET.get("page"))
        self.paginator = paginator
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
            for column in self.columns:
                if column.select:
                    cells.append({"select": obj.pk})
                    continue
                cells.append({"text": column.render(obj), "url": self.link(obj) if column.link else None})
            yield cells

    def link(self, obj):
        if self._url_pattern:
            return self._url_pattern.replace(str(_PK_MARK), str(obj.pk))
        return obj.get_absolute_url()

    def body_html(self):
        """The <tbody> rows, built in Python: a template loop over every cell costs more
        than the rest of a list page together."""
        lines = []
        for cells in self.rows():
            html = []
            for cell in cells:
                if "select" in cell:
                    html.append(SELECT_CELL.format(escape_text(str(cell["select"]))))
                elif cell["url"]:
                    html.append(f'<td><a href="{escape_text(cell["url"])}">{escape_text(cell["text"])}</a></td>')
                else:
                    html.append(f"<td>{escape_text(cell['text'])}</td>")
            lines.append(mark_safe("<tr>" + "".join(html) + "</tr>"))  # noqa: S308  every part escaped above
        if not lines:
            return format_html(
                '<tr><td colspan="{}" class="text-center text-muted py-4">暂无数据</td></tr>', len(self.columns)
            )
        return mark_safe("\n".join(lines))  # noqa: S308  rows built from format_html

    def _query(self, **changes):
        params = self.request.GET.copy()
        params.pop("export", None)
        for key, value in changes.items():
            params[key] = value
        return params.urlencode()

    def _sort_url(self, column):
        descending = self.sort == column.accessor
        return "?" + self._query(sort=("-" if descending else "") + column.accessor, page=1)

    def page_url(self, number):
        return "?" + self._query(page=number)

    def page_links(self):
        current, last = self.page.number, self.paginator.num_pages
        numbers = sorted({1, last, *range(max(1, current - 3), min(last, current + 3) + 1)})
        return [{"number": n, "url": self.page_url(n), "current": n == current} for n in numbers]
