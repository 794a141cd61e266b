"""Pagination that stays fast on a million rows.

Up to COUNT_CAP matching rows a list is paged by number (OFFSET stays small, and the count
is exact). Beyond it, an exact COUNT(*) and a deep OFFSET both read every row before the
page, so the list says "10,000+" and pages by keyset instead: the next page is the rows
after the last one shown in the list's order, `(f1, …, pk) < (v1, …, vpk)`, which an index
on the ordering columns answers by reading one page. The cursor is those values, encoded
in the link.
"""

import base64
import json
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.db import connections
from django.db.models import F
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

COUNT_CAP = 10_000


def capped_count(queryset, cap=COUNT_CAP):
    """The number of rows, counted no further than cap + 1.

    For a plain queryset (no DISTINCT, GROUP BY, annotations, extra select, set operation
    or slice: one row per matching row of its FROM and WHERE) this is the SQL Django's own
    count() writes, `SELECT COUNT(*) FROM (SELECT pk … LIMIT cap + 1) subquery`, written
    from the compiled inner query: QuerySet.count() spends more time building the
    aggregate around it (clones, expression resolution) than the database spends counting
    a list page's rows. Anything else is counted by count() itself."""
    query = queryset.query
    if (
        query.distinct
        or query.combinator
        or query.group_by is not None
        or query.annotations
        or query.extra
        or query.is_sliced
        or query.select_for_update
    ):
        return queryset.order_by()[: cap + 1].count()
    inner = queryset.values_list("pk").query  # a clone of our own: changed in place
    inner.clear_ordering(force=True)
    inner.set_limits(high=cap + 1)
    try:
        sql, params = inner.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:  # e.g. .none(), or pk__in=[]
        return 0
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) subquery", params)  # noqa: S608  Django-compiled, params apart
        return cursor.fetchone()[0]


def order_keys(queryset):
    """[(field name, descending)] of a queryset's total order (ending in the primary key),
    or None when keyset paging cannot follow it (mixed directions, related or computed
    fields)."""
    model = queryset.model
    ordering = list(queryset.query.order_by) or list(model._meta.ordering)
    keys = []
    for item in ordering:
        if not isinstance(item, str):
            return None
        descending = item.startswith("-")
        name = item.lstrip("-")
        name = model._meta.pk.name if name == "pk" else name
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not field.concrete or field.is_relation or field.null:
            return None  # NULLs do not compare in a row comparison
        keys.append((field.attname, descending))
    if not keys or len({descending for _, descending in keys}) > 1:
        return None
    if keys[-1][0] != model._meta.pk.attname:
        keys.append((model._meta.pk.attname, keys[0][1]))
    return keys


def encode_cursor(values):
    text = json.dumps([str(v) if not isinstance(v, int) else v for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(token, model, keys):
    """The cursor's values as the fields' Python types, or None when it is not one of ours."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if not isinstance(raw, list) or len(raw) != len(keys):
            return None
        return [model._meta.get_field(name).to_python(value) for (name, _), value in zip(keys, raw, strict=True)]
    except Exception:  # a hand-edited link: start again from the first page
        return None


@dataclass
class KeysetPage:
    object_list: list
    next_cursor: str | None
    previous_cursor: str | None
    is_first: bool


def keyset_page(queryset, keys, per_page, *, after=None, before=None, row_values, first_rows=None):
    """One page after (or before) a cursor's values. row_values(row) → the key values of a
    fetched row (rows may be instances or dicts). first_rows: for the first page (no
    cursor), its per_page + 1 rows when the caller has read them already."""
    columns = Tuple(*(F(name) for name, _ in keys))
    descending = keys[0][1]
    backwards = before is not None
    if after is not None or before is not None:
        forward_lookup = TupleLessThan if descending else TupleGreaterThan
        backward_lookup = TupleGreaterThan if descending else TupleLessThan
        lookup = backward_lookup if backwards else forward_lookup
        queryset = queryset.filter(lookup(columns, tuple(before if backwards else after)))
    if backwards:
        queryset = queryset.reverse()
    if first_rows is not None and after is None and before is None:
        rows = list(first_rows[: per_page + 1])
    else:
        rows = list(queryset[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
    first_page = (not backwards and after is None) or (backwards and not more)
    has_next = bool(rows) and (more if not backwards else True)
    return KeysetPage(
        object_list=rows,
        next_cursor=encode_cursor(row_values(rows[-1])) if has_next else None,
        previous_cursor=None if first_page or not rows else encode_cursor(row_values(rows[0])),
        is_first=first_page,
    )
