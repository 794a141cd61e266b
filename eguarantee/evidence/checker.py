"""Full re-verification (`manage.py verify_evidence`): does the database still say what the
log recorded, and is the log itself intact?

1. Records: every recorded row is read and turned into leaf data again, then matched with
   its leaves by id. A row with no leaf was written behind the platform's back; a leaf
   with no row lost its row; different data means the row was changed. For records that
   change (a guarantee's state), the newest leaf must match. On PostgreSQL the database
   writes the leaf data and Python only compares (record_sql.py); whatever does not match
   there is checked again here the exact way, which names the fields.
2. Tree: leaves in index order are hashed and the tree rebuilt; every stored subtree, every
   signed head's root and signature, and every co-signature must agree (tree_check.py).
3. Audit chains: each chain is walked and must meet its checkpoints.

The work is cut into tasks (the tree's slices, each recorder's rows in slices of ids, each
audit chain) whose findings are put together in that order, so the report reads the same
however they ran. A big log is checked by one process per core: hashing leaves is
Python's work, and one process would use one core.
"""

import itertools
import json
import multiprocessing
import os
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import partial
from json.encoder import encode_basestring

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections, transaction
from django.db.models import Max, Min

from . import audit_chain, record_sql, signing, tree, tree_check
from .models import Cosignature, Entry, LogState, SigningKey, TreeHead
from .records import _identity, canonical, registry

# A log this long is worth the processes' start; a shorter one is checked in place.
PARALLEL_FROM = 100_000
MAX_WORKERS = 4
# Rows per records task: enough to keep a process busy, small enough to share the work out.
SLICE = 100_000
FETCH = 5_000
# Ids the fast comparison could not clear, checked exactly this many at a time.
SUSPECTS = 1_000


@dataclass
class Report:
    problems: list = field(default_factory=list)
    leaves: int = 0
    records: int = 0
    audit_rows: int = 0
    seconds: float = 0.0

    @property
    def ok(self):
        return not self.problems

    @property
    def rate(self):
        return self.leaves / self.seconds if self.seconds else 0.0


def check(workers=None):
    """Check everything; `workers` processes (default: one per core) for a big log."""
    started = time.perf_counter()
    workers = _workers(workers)
    tasks = [("tree", start) for start in tree_check.slices()]
    tasks += [("records", kind, lo, hi) for kind in registry() for lo, hi in _slices(registry()[kind])]
    tasks += [("audit", table) for table in audit_chain.CHAINS]
    results = _run(tasks, workers)
    report = Report()
    slices, audit = [], []
    for task, result in zip(tasks, results, strict=True):
        if task[0] == "tree":
            slices.append(result)
        elif task[0] == "records":
            report.records += result[0]
            report.problems += result[1]
        else:
            report.audit_rows += result[0]
            audit += result[1]
    with _reading():
        report.leaves = check_tree(slices, report.problems)
    report.problems += audit
    report.seconds = time.perf_counter() - started
    return report


def _workers(requested):
    if requested is not None:
        return requested
    # In a transaction (the tests) other connections would not see its rows; an in-memory
    # SQLite database is this connection's alone.
    if connection.in_atomic_block or (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        return 1
    if tree.size() < PARALLEL_FROM:
        return 1
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def _run(tasks, workers):
    if workers <= 1:
        return [_perform(task) for task in tasks]
    # Forked children start from this process's Django as it is; each opens its own
    # connection, so ours must not be inherited open.
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        done = dict(pool.imap_unordered(_perform_in_child, enumerate(tasks)))
    return [done[i] for i in range(len(tasks))]


def _perform_in_child(numbered):
    number, task = numbered
    try:
        return number, _perform(task)
    finally:
        connections.close_all()


def _perform(task):
    problems = []
    with _reading():
        if task[0] == "tree":
            return tree_check.rebuild_slice(task[1])
        if task[0] == "records":
            _, kind, lo, hi = task
            count = check_records(registry()[kind], problems, lo, hi)
        else:
            count = audit_chain.verify(task[1], problems)
    return count, problems


def _reading():
    """PostgreSQL streams from cursors that live in a transaction (outside one, each cursor
    copies its whole result before the first row). On SQLite a transaction would take the
    write lock (transaction_mode IMMEDIATE) for the whole check, and is not needed."""
    return transaction.atomic() if connection.vendor == "postgresql" else nullcontext()


# ---------------------------------------------------------------- streaming rows

_cursors = itertools.count()


def _stream(queryset, chunk_size=FETCH):
    """The tuples of a values_list() queryset, as queryset.iterator() gives them."""
    for batch in _batches(queryset, chunk_size):
        yield from batch


def _batches(queryset, size=FETCH):
    """The tuples of a values_list() queryset in lists of `size`.

    On PostgreSQL, through a server-side cursor of our own with psycopg's C loader for
    timestamps: Django's loader (a Python subclass that pins the time zone) costs more than
    the rest of reading a row. Django's converters still run, so the values are the same.
    Call inside a transaction (see _reading)."""
    if connection.vendor != "postgresql":
        rows = queryset.iterator(chunk_size=size)
        yield from iter(lambda: list(itertools.islice(rows, size)), [])
        return
    compiled = _compiled(queryset)
    if compiled is None:
        return
    compiler, sql, params, converters = compiled
    with connection.connection.cursor(name=f"evidence_check_{next(_cursors)}") as cursor:
        _load_timestamps_in_c(cursor)
        cursor.execute(sql, params)
        for batch in iter(lambda: cursor.fetchmany(size), []):
            yield list(compiler.results_iter([batch], tuple_expected=True)) if converters else batch


def _fetch_all(queryset):
    """Every tuple of a values_list() queryset in one round trip (a client-side cursor)."""
    if connection.vendor != "postgresql":
        return list(queryset)
    compiled = _compiled(queryset)
    if compiled is None:
        return []
    compiler, sql, params, converters = compiled
    with connection.connection.cursor() as cursor:
        _load_timestamps_in_c(cursor)
        rows = cursor.execute(sql, params).fetchall()
    return list(compiler.results_iter([rows], tuple_expected=True)) if converters else rows


def _compiled(queryset):
    """(compiler, sql, params, whether Django converts any column), None for no rows."""
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    connection.ensure_connection()
    converters = compiler.get_converters([column for column, _, _ in compiler.select[: compiler.col_count]])
    return compiler, sql, params, bool(converters)


def _load_timestamps_in_c(cursor):
    import psycopg
    from psycopg.pq import Format

    timestamptz = psycopg.postgres.types["timestamptz"].oid
    cursor.adapters.register_loader(timestamptz, psycopg.adapters.get_loader(timestamptz, Format.TEXT))


# ---------------------------------------------------------------- 1. records against their leaves


def _slices(recorder):
    """Id ranges [lo, hi) that cover every id (None: unbounded), about SLICE rows each."""
    bounds = recorder.model._base_manager.aggregate(lo=Min("pk"), hi=Max("pk"))
    lo, hi = bounds["lo"], bounds["hi"]
    if lo is None or hi - lo < SLICE:
        return [(None, None)]
    parts = -(-(hi - lo + 1) // SLICE)
    cuts = [lo + (hi - lo + 1) * i // parts for i in range(1, parts)]
    return list(zip([None, *cuts], [*cuts, None], strict=True))


def _in_range(queryset, name, lo, hi):
    if lo is not None:
        queryset = queryset.filter(**{f"{name}__gte": lo})
    if hi is not None:
        queryset = queryset.filter(**{f"{name}__lt": hi})
    return queryset


def _verbose(recorder, name):
    try:
        return str(recorder.model._meta.get_field(name.split("__")[0].removesuffix("_id")).verbose_name)
    except Exception:
        return name


def _differences(recorder, recorded, current):
    was, now = json.loads(recorded), json.loads(current)
    return "；".join(
        f"{_verbose(recorder, key)} 存证为 {was.get(key)}，数据库现为 {now.get(key)}"
        for key in sorted(set(was) | set(now))
        if was.get(key) != now.get(key)
    )


def _leaves_by_object(kind, mutable, lo=None, hi=None, only=None):
    """(object_id, data) per object in id order: its newest leaf when mutable, else each."""
    entries = _in_range(Entry.objects.filter(kind=kind), "object_id", lo, hi)
    if only is not None:
        entries = entries.filter(object_id__in=only)
    pending = None
    for object_id, data in _stream(entries.order_by("object_id", "id").values_list("object_id", "data")):
        if mutable:
            if pending is not None and pending[0] != object_id:
                yield pending
            pending = (object_id, data)
        else:
            yield object_id, data
    if pending is not None:
        yield pending


def _encoder(recorder):
    """recorder.data_of() of a values_list("pk", *fields) row, without a dict and a sort
    per row.

    Every row has the same keys, so their order and their JSON (and the kind's, the same in
    every row) are worked out once. A value is written as json.dumps writes it inside the
    object: strings and ints here, anything else through canonical(), which the C encoder
    makes the same text."""
    sources = {"kind": (None, None), "id": (0, None)}  # as data_of starts; a field may override
    for position, (name, convert) in enumerate(zip(recorder.fields, recorder._converters, strict=True), start=1):
        sources[name] = (position, None if convert is _identity else convert)
    slots, text = [], "{"
    for n, key in enumerate(sorted(sources)):
        text += ("," if n else "") + encode_basestring(key) + ":"
        position, convert = sources[key]
        if position is None:
            text += encode_basestring(recorder.kind)
        else:
            slots.append((text, position, convert))
            text = ""
    tail = text + "}"

    def encode(row):
        parts = []
        for prefix, position, convert in slots:
            value = row[position]
            if value is None:
                value = "null"
            else:
                if convert is not None:
                    value = convert(value)
                if type(value) is str:
                    value = encode_basestring(value)
                elif type(value) is int:
                    value = int.__repr__(value)
                else:
                    value = canonical(value)
            parts.append(prefix)
            parts.append(value)
        parts.append(tail)
        return "".join(parts)

    return encode


def _data_of(recorder, row):
    return recorder.data_of(row[0], row[1:])


def check_records(recorder, problems, lo=None, hi=None):
    """Match the rows with ids in [lo, hi) against their leaves; returns the rows checked."""
    layout = record_sql.layout(recorder)
    if layout is None:
        return check_records_exactly(recorder, problems, lo, hi)
    count, suspects = record_sql.suspects(layout, lo, hi)
    for start in range(0, len(suspects), SUSPECTS):
        check_records_exactly(recorder, problems, only=suspects[start : start + SUSPECTS])
    return count


def check_records_exactly(recorder, problems, lo=None, hi=None, only=None):
    """check_records() through Recorder.data_of(), the rows with ids in [lo, hi) or in
    `only` (ascending); returns the rows checked."""
    leaves = _leaves_by_object(recorder.kind, recorder.mutable, lo, hi, only)
    leaf = next(leaves, None)
    rows = _in_range(recorder.model._base_manager.all(), "pk", lo, hi)
    if only is not None:
        rows = rows.filter(pk__in=only)
    rows = _stream(rows.order_by("pk").values_list("pk", *recorder.fields))
    encode = _encoder(recorder)
    count = 0
    for row in rows:
        pk = row[0]
        if count == 0 and encode(row) != recorder.data_of(pk, row[1:]):
            encode = partial(_data_of, recorder)  # never expected; if it ever is, the slow way is the right one
        count += 1
        data = encode(row)
        while leaf is not None and leaf[0] < pk:
            problems.append(f"{recorder.describe(leaf[0], leaf[1])}：已存证，但数据库中的记录已被删除")
            leaf = next(leaves, None)
        if leaf is None or leaf[0] != pk:
            problems.append(f"{recorder.describe(pk, data)}：没有存证记录，是绕过平台写入数据库的")
            continue
        matched = False
        while leaf is not None and leaf[0] == pk:  # an immutable record may be recorded twice
            matched = matched or leaf[1] == data
            recorded = leaf[1]
            leaf = next(leaves, None)
        if not matched:
            problems.append(f"{recorder.describe(pk, recorded)}：已被修改（{_differences(recorder, recorded, data)}）")
    while leaf is not None:
        problems.append(f"{recorder.describe(leaf[0], leaf[1])}：已存证，但数据库中的记录已被删除")
        leaf = next(leaves, None)
    return count


# ---------------------------------------------------------------- 2. the tree


def _heads():
    keys = dict(SigningKey.objects.values_list("key_id", "public_key"))
    return keys, {head.size: head for head in TreeHead.objects.all()}


def check_tree(slices, problems):
    """Fold the rebuilt slices into the tree, check the heads and the log's size; returns
    the leaves the tree could be rebuilt from."""
    from . import services

    keys, heads = _heads()
    compact, whole, found = tree_check.combine(
        slices, heads, lambda head, root, out: _check_head(head, root, keys, out, services)
    )
    problems += found
    if not whole:
        return compact.size
    state = LogState.objects.filter(pk=1).first()
    if state is not None and state.size != compact.size:
        problems.append(f"日志记录的叶子数为 {state.size}，实际可重算 {compact.size}")
    for size in sorted(s for s in heads if s > compact.size):
        problems.append(f"签名树头 {size} 超出现有叶子数 {compact.size}：叶子被删除")
    return compact.size


def _check_head(head, root, keys, problems, services):
    if bytes(head.root) != root:
        problems.append(f"签名树头 {head.size} 的根哈希与重算结果不符")
    public = keys.get(head.key_id)
    try:
        if public is None:
            raise signing.SignatureError("unknown key")
        signing.verify(public, services.head_of(head).body(), bytes(head.signature))
    except signing.SignatureError:
        problems.append(f"签名树头 {head.size} 的签名无效")
    body = services.head_of(head)
    for cosignature in Cosignature.objects.filter(head=head).select_related("witness"):
        message = signing.cosign_body(body, cosignature.witness.name, cosignature.timestamp)
        try:
            signing.verify(cosignature.witness.public_key, message, bytes(cosignature.signature))
        except signing.SignatureError:
            problems.append(f"签名树头 {head.size} 的见证节点 {cosignature.witness.name} 联署无效")
