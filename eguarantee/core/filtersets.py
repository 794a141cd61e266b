"""Filtersets for the lists, and the filter bar a list shows above its table.

A list's first view (no query string) shows the bar of an unbound filterset; for a class
whose form cannot vary (has_static_form) that bar is built once per language and kept,
and the filterset then builds neither its form nor its filters (bench/list_page.py)."""

import copy
from typing import NamedTuple

import django_filters
from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils import translation
from django.utils.functional import Promise, cached_property
from django_filters.filterset import BaseFilterSet
from markupsafe import Markup, escape

from .forms import bootstrap, fast_widget

# Filters whose form field depends on nothing but the filter's own declaration: no queryset
# (ModelChoiceFilter reads the database, often per user), no callable choices.
STATIC_FILTERS = frozenset(
    {
        django_filters.CharFilter,
        django_filters.NumberFilter,
        django_filters.BooleanFilter,
        django_filters.ChoiceFilter,
        django_filters.TypedChoiceFilter,
        django_filters.DateFilter,
        django_filters.DateTimeFilter,
        django_filters.TimeFilter,
        django_filters.UUIDFilter,
    }
)

_static_form: dict[type, bool] = {}
_form_classes: dict[type, type] = {}
_filter_bars: dict[tuple, "FilterBar"] = {}


def has_static_form(filterset_class):
    """True when every instance of the class builds the same form: default construction and
    form building (no override that could adapt them to the request or the data), the
    default form base, and only filters of STATIC_FILTERS without a queryset or callable
    choices. Such a form's fields, and its unbound rendering, never change while the
    process runs."""
    static = _static_form.get(filterset_class)
    if static is None:
        static = (
            filterset_class.__init__ in (BaseFilterSet.__init__, FilterSet.__init__)
            and filterset_class.form is BaseFilterSet.form
            and filterset_class.get_form_class in (BaseFilterSet.get_form_class, FilterSet.get_form_class)
            and filterset_class._meta.form is forms.Form
            and all(
                type(f) in STATIC_FILTERS and "queryset" not in f.extra and not callable(f.extra.get("choices"))
                for f in filterset_class.base_filters.values()
            )
        )
        _static_form[filterset_class] = static
    return static


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet, cheaper to build: the filters are deep-copied when first
    used rather than in __init__ (a list's first view with a memoized filter bar never uses
    them), and a static form's class is built once (get_form_class)."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # BaseFilterSet.__init__ without the copy of the filters (see `filters`)
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix

    @cached_property
    def filters(self):
        filters = copy.deepcopy(self.base_filters)
        # propagate the model and filterset to the filters, as BaseFilterSet.__init__ does
        model = self.queryset.model
        for filter_ in filters.values():
            filter_.model = model
            filter_.parent = self
        return filters

    def get_form_class(self):
        # django-filter builds a new form class (a metaclass run and a field per filter) for
        # every request. For a static form (has_static_form) the class is the same each
        # time, so it is built once per filterset class; Form() still deep-copies its
        # fields, so no request shares a field, widget or bound value with another.
        cls = type(self)
        if not has_static_form(cls):
            return super().get_form_class()
        form_class = _form_classes.get(cls)
        if form_class is None:
            form_class = _form_classes[cls] = super().get_form_class()
        return form_class


def build_filter_bar(filterset):
    """The filter bar's fields: label, widget id, widget HTML and errors, in form order."""
    form = bootstrap(filterset.form)
    return [{"label": f.label, "id": f.id_for_label, "html": fast_widget(f), "errors": f.errors} for f in form]


class FilterBar(NamedTuple):
    fields: list  # build_filter_bar's
    html: str  # the fields as object_list.html shows them


def filter_bar_html(fields):
    """The filter bar's fields as the object_list.html loop over them wrote them (escaped
    the same way: the widget HTML is safe, the rest is escaped)."""
    parts = []
    for field in fields:
        errors = "".join(f'<div class="text-danger small">{escape(error)}</div>' for error in field["errors"])
        label = f'<label class="form-label small mb-0" for="{escape(field["id"])}">{escape(field["label"])}</label>'
        widget = escape(field["html"])
        parts.append(
            f'      <div class="col-md-3 col-lg-2">\n        {label}\n        {widget}\n{errors}      </div>\n'
        )
    return Markup("".join(parts))  # noqa: S704  every value escaped above


def filter_bar(filterset):
    """build_filter_bar and its HTML, memoized for an unbound filterset (a list's first
    view) of a class with a static form. Safe: an unbound form shows no data and no errors,
    and a static form's fields, labels, choices and ids are fixed once the class is built;
    only the language of the (possibly lazily translated) labels and choices may differ,
    and it is part of the key, as are the class and the form prefix."""
    if filterset.is_bound or not has_static_form(type(filterset)):
        fields = build_filter_bar(filterset)
        return FilterBar(fields, filter_bar_html(fields))
    key = (type(filterset), filterset.form_prefix, translation.get_language())
    bar = _filter_bars.get(key)
    if bar is None:
        # lazy labels resolved now (the language is in the key); no form kept alive
        fields = [{**field, "label": _resolved(field["label"]), "errors": ()} for field in build_filter_bar(filterset)]
        bar = FilterBar(fields, filter_bar_html(fields))
        if len(_filter_bars) < 1000:  # classes × languages are few; never grow without bound
            _filter_bars[key] = bar
    return bar


def _resolved(label):
    return str(label) if isinstance(label, Promise) else label


class SearchFilterSet(FilterSet):
    """A free-text box `q` over `search_fields`, as NetBox lists have."""

    search_fields = ()
    q = django_filters.CharFilter(label="关键字", method="search")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)
