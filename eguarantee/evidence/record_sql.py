"""Records against their leaves on PostgreSQL, compared by the database.

Recorder.data_of() costs about 11 µs a row: Django turns every column into a Python value
(Decimal, date, aware datetime) that the converters then turn straight back into text.
Here PostgreSQL writes each row's leaf data itself and compares it with the row's leaves
in the same statement (suspects()): only the rows it cannot clear reach Python.

Every piece must be exactly what data_of() writes, or a changed row could pass: each
rendering below says why it is, for every value its guard lets through. A value outside
its guard (a date Python cannot hold, a decimal with more places than its field) is
written as a control character, which canonical JSON never holds, and a string is put in
quotes as it is, which is json.dumps's text only when there is nothing to escape in it:
a row with either is not cleared, and such a row, like every row that does not compare
equal, goes to the exact check (checker.check_records_exactly), which words the problem.
A kind with a field type not listed here is checked the exact way throughout.
"""

import re
from json.encoder import encode_basestring

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import F, Func, TextField, Value
from django.db.models.functions import Cast

from .models import Entry
from .records import _field, _identity

_INTEGERS = (models.IntegerField, models.BigIntegerField, models.SmallIntegerField)
_STRINGS = ("CharField", "TextField", "SlugField")


# A value outside its guard: a control character, which no canonical JSON holds as it is.
_REFUSED = "ELSE E'\\x01' END"  # the _SENTINEL


class _Text(Func):
    output_field = TextField()


def _text(template):
    return lambda name: _Text(F(name), template=template)


def _concat(expressions):
    return _Text(*expressions, template="(%(expressions)s)", arg_joiner=" || ")


def _integer(name):
    # int8out/int4out write what int.__repr__ writes: digits, "-" when negative.
    return _text("COALESCE((%(expressions)s)::text, 'null')")(name)


def _decimal(places):
    # data_of: format(Decimal(v).quantize(10^-places), "f"). A value stored with exactly
    # `places` places is unchanged by quantize, and "f" then writes what numeric_out does:
    # digits, "-", the point and `places` digits, never an exponent. Below 10^(28 - places)
    # quantize fits Decimal's 28 digits (above, it raises). NaN has no scale: refused.
    limit = f"1e{28 - places}"
    return _text(
        f"CASE WHEN %(expressions)s IS NULL THEN 'null' "
        f"WHEN scale(%(expressions)s) = {places} AND abs(%(expressions)s) < {limit} "
        f"THEN '\"' || (%(expressions)s)::text || '\"' {_REFUSED}"
    )


def _date(iso_datestyle):
    # data_of: date.isoformat(), "%04d-%02d-%02d", for the years Python holds (1–9999);
    # date_out under DateStyle ISO and to_char's YYYY-MM-DD write the same for them.
    out = "(%(expressions)s)::text" if iso_datestyle else "to_char(%(expressions)s, 'YYYY-MM-DD')"
    return _text(
        "CASE WHEN %(expressions)s IS NULL THEN 'null' "
        "WHEN %(expressions)s BETWEEN '0001-01-01'::date AND '9999-12-31'::date "
        f"THEN '\"' || {out} || '\"' {_REFUSED}"
    )


# data_of: the aware datetime Django reads (USE_TZ) in UTC, isoformat(timespec=
# "microseconds"): "YYYY-MM-DDTHH:MM:SS.ffffff+00:00", for the years Python holds.
_datetime = _text(
    "CASE WHEN %(expressions)s IS NULL THEN 'null' "
    "WHEN %(expressions)s >= '0001-01-01 00:00:00+00'::timestamptz "
    "AND %(expressions)s < '10000-01-01 00:00:00+00'::timestamptz "
    "THEN '\"' || to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"') || '\"' "
    + _REFUSED
)

# data_of: bytes(v).hex(), lower-case hex digits, as encode(v, 'hex') writes them.
_binary = _text("CASE WHEN %(expressions)s IS NULL THEN 'null' ELSE '\"' || encode(%(expressions)s, 'hex') || '\"' END")


def _model_field(model, name):
    target = model
    parts = name.split("__")
    for part in parts[:-1]:
        target = target._meta.get_field(part).related_model
    return target._meta.pk if parts[-1] == "pk" else _field(target, parts[-1])


def _value_field(field):
    """The field whose values a foreign key holds."""
    while field.is_relation:
        field = field.target_field
    return field


def _piece(recorder, name, convert):
    """(expression, escape) for one field, or None when it has no exact rendering here.
    escape: the field is a string, sent as it is and escaped in Python."""
    field = _value_field(_model_field(recorder.model, name))
    kind = field.get_internal_type()
    if isinstance(field, _INTEGERS) and convert is _identity:
        return _integer(name), False
    if kind in _STRINGS and convert is _identity:
        return F(name), True
    if isinstance(field, models.DecimalField):
        return _decimal(field.decimal_places)(name), False
    if isinstance(field, models.DateTimeField):
        if settings.USE_TZ and field.db_type(connection) == "timestamp with time zone":
            return _datetime(name), False
        return None
    if isinstance(field, models.DateField):
        connection.ensure_connection()
        datestyle = connection.connection.info.parameter_status("DateStyle") or ""
        return _date(datestyle.startswith("ISO"))(name), False
    if isinstance(field, models.BinaryField):
        return _binary(name), False
    return None


class Layout:
    """How one recorder's rows become leaf data: `text`, the whole of it written by
    PostgreSQL with every string put in quotes as it is, and `strings`, those strings run
    together, to show in one search a row whose strings need no escaping (json.dumps
    writes a string with nothing to escape as it is, between quotes)."""

    def __init__(self, recorder, text, strings):
        self.recorder = recorder
        self.expressions = [text, strings]


def layout(recorder):
    """The recorder's Layout, or None when one of its fields has no exact rendering."""
    if connection.vendor != "postgresql" or not isinstance(recorder.model._meta.pk, _INTEGERS):
        return None
    sources = {"kind": None, "id": "pk"}  # as data_of starts; a field may override either
    converters = dict(zip(recorder.fields, recorder._converters, strict=True))
    for name in recorder.fields:
        sources[name] = name
        if _piece(recorder, name, converters[name]) is None:
            return None
    parts, strings, text = [], [], ""
    for n, key in enumerate(sorted(sources)):
        text += ("{" if n == 0 else ",") + encode_basestring(key) + ":"
        source = sources[key]
        if source is None:
            text += encode_basestring(recorder.kind)
            continue
        expression, string = _integer("pk"), False
        if source != "pk":
            expression, string = _piece(recorder, source, converters[source])
        parts.append(Cast(Value(text), TextField()))
        if string:
            strings.append(expression)
            expression = _quoted(expression)
        parts.append(expression)
        text = ""
    parts.append(Cast(Value(text + "}"), TextField()))
    strings = _Text(*strings, function="concat") if strings else Cast(Value(""), TextField())
    return Layout(recorder, _concat(parts), strings)


def _quoted(expression):
    return _Text(expression, template="COALESCE('\"' || %(expressions)s || '\"', 'null')")


def _model_nullable(recorder, name):
    # A string reached across a nullable relation is NULL when the relation is.
    target, parts = recorder.model, name.split("__")
    for part in parts[:-1]:
        relation = target._meta.get_field(part)
        if relation.null:
            return True
        target = relation.related_model
    return _model_field(recorder.model, name).null


# ---------------------------------------------------------------- the walk

# What json.dumps escapes in a string (ensure_ascii=False): its ESCAPE class. Only a
# string can hold one: the other pieces are digits, dates, hex and their quotes. PostgreSQL
# text cannot hold NUL, so _ESCAPED_SQL leaves it out.
_ESCAPED = re.compile(r'[\x00-\x1f\\"]')
_ESCAPED_SQL = '[\x01-\x1f"\\\\]'
_SENTINEL = "\x01"

# One statement, so one snapshot: each row next to every leaf of its object in the range
# (a full join: a row with no leaf, a leaf with no row), and only the pairs that do not
# compare equal come back, with what the newest leaf of that object is and how many it
# has. Equality is of the bytes (COLLATE "C"), as Python's str equality is of the code
# points, UTF-8 writing each one way only. The rows' subquery is kept whole (OFFSET 0) so
# each row is rendered once.
_SUSPECTS = """
SELECT r.pk, e.object_id, e.id,
       strpos(r.t, %(sentinel)s) > 0 OR r.s ~ %(escaped)s,
       (SELECT max(x."id") FROM "evidence_entry" x WHERE x."kind" = %(kind)s AND x."object_id" = e.object_id),
       (SELECT count(*) FROM "evidence_entry" x WHERE x."kind" = %(kind)s AND x."object_id" = e.object_id)
FROM ({rows} OFFSET 0) AS r (pk, t, s)
FULL JOIN ({leaves}) AS e (object_id, id, data) ON e.object_id = r.pk
WHERE e.data COLLATE "C" IS DISTINCT FROM r.t OR strpos(r.t, %(sentinel)s) > 0 OR r.s ~ %(escaped)s
"""
_SETTINGS = (
    "SELECT set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true), "
    "set_config('work_mem', '64MB', true)"
)


def suspects(layout, lo, hi):
    """Compare the rows with ids in [lo, hi) (None: unbounded) with their leaves in
    PostgreSQL; returns (rows, ids) where ids are those the comparison could not clear, in
    order: a row whose data differs from its newest leaf (from every leaf, for a record
    recorded as it stays) or could not be rendered, a row with no leaf, a leaf with no row.
    Everything else is proven to match, and the exact check words the problems of these."""
    recorder = layout.recorder
    rows = recorder.model._base_manager.all()
    entries = Entry.objects.filter(kind=recorder.kind)
    if lo is not None:
        rows, entries = rows.filter(pk__gte=lo), entries.filter(object_id__gte=lo)
    if hi is not None:
        rows, entries = rows.filter(pk__lt=hi), entries.filter(object_id__lt=hi)
    count = rows.count()
    rows_sql, rows_params = _sql(rows.order_by().values_list("pk", *layout.expressions))
    leaves_sql, leaves_params = _sql(entries.order_by().values_list("object_id", "id", "data"))
    if rows_sql is None or leaves_sql is None:  # an empty range: nothing on either side
        return count, []
    named = {"sentinel": _SENTINEL, "escaped": _ESCAPED_SQL, "kind": recorder.kind}
    names = [f"_r{n}" for n in range(len(rows_params))] + [f"_l{n}" for n in range(len(leaves_params))]
    named.update(zip(names, [*rows_params, *leaves_params], strict=True))
    rows_sql = rows_sql.replace("%%", "%%%%") % tuple(f"%({name})s" for name in names[: len(rows_params)])
    leaves_sql = leaves_sql.replace("%%", "%%%%") % tuple(f"%({name})s" for name in names[len(rows_params) :])
    with connection.cursor() as cursor:
        # For this transaction (the check's, see checker._reading): the statement's cost
        # is far above jit_above_cost, and compiling it took longer than running it;
        # the check already runs a process per core, and the hash of a slice's rows
        # fits in memory instead of going to disk in batches.
        cursor.execute(_SETTINGS)
        cursor.execute(_SUSPECTS.format(rows=rows_sql, leaves=leaves_sql), named)
        pairs = cursor.fetchall()
    found, differing, leaves = set(), {}, {}
    for pk, object_id, entry, refused, newest, total in pairs:
        if pk is None:
            found.add(object_id)  # a leaf with no row
        elif object_id is None or refused is not False:
            found.add(pk)  # a row with no leaf, or one rendered with a piece it cannot vouch for
        else:
            differing.setdefault(pk, set()).add(entry)
            leaves[pk] = (newest, total)
    for pk, entries in differing.items():
        newest, total = leaves[pk]
        # mutable: the newest leaf must match; else any leaf may (one recorded twice)
        if (newest in entries) if recorder.mutable else (total == len(entries)):
            found.add(pk)
    return count, sorted(found)


def _sql(queryset):
    try:
        return queryset.query.sql_with_params()
    except EmptyResultSet:
        return None, ()
