"""The tree as stored in the database: sequencing leaves, roots and proofs.

Appending is split as a transparency log does it. The business transaction writes its
Entry rows (no lock, so two guarantees issued at once never wait on each other); the
sequencer then gives pending entries their places, under one row lock, in a short
transaction of its own. It runs right after the business transaction commits and again
from the task worker, which picks up anything left behind.
"""

import json
from functools import cache

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction

from . import merkle
from .models import Entry, LogState, node_key

SEQUENCE_BATCH = 5000


@cache
def _hasher(algorithm):
    return merkle.Hasher(algorithm)


def hasher():
    return _hasher(settings.EVIDENCE_HASH)


def _state(lock=True, nowait=False):
    qs = LogState.objects.select_for_update(nowait=nowait) if lock else LogState.objects
    state = qs.filter(pk=1).first()
    if state is None:  # the log's first leaf
        try:
            LogState.objects.get_or_create(pk=1, defaults={"algorithm": settings.EVIDENCE_HASH})
        except IntegrityError:  # made by a concurrent first leaf
            pass
        state = qs.get(pk=1)
    if state.algorithm != settings.EVIDENCE_HASH:
        raise RuntimeError(
            f"证据日志使用 {state.algorithm} 建立，当前配置为 {settings.EVIDENCE_HASH}；哈希算法不可在日志建立后更改。"
        )
    return state


def size():
    state = LogState.objects.filter(pk=1).first()
    return state.size if state else 0


# The proofs' and the sequencer's statements, in SQL of our own: a proof is one query, and
# building it through the ORM took longer than running it; bulk_create and bulk_update spent
# more time building SQL than the database spent on it. Each text is the same whatever the
# number of keys (an array, or a JSON array on SQLite), so PostgreSQL prepares it once.
FETCH = {
    "postgresql": 'SELECT "key", "hash" FROM "evidence_node" WHERE "key" = ANY(%s)',
    "sqlite": 'SELECT "key", "hash" FROM "evidence_node" WHERE "key" IN (SELECT "value" FROM json_each(%s))',
}
INSERT_NODES = 'INSERT INTO "evidence_node" ("key", "hash") SELECT * FROM unnest(%s::bigint[], %s::bytea[])'
SET_INDEXES = (
    'UPDATE "evidence_entry" AS e SET "index" = v.i FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, i) '
    'WHERE e."id" = v.id'
)
# SQLite runs in process: one statement per row costs no round trips.
INSERT_NODE = 'INSERT INTO "evidence_node" ("key", "hash") VALUES (%s, %s)'
SET_INDEX = 'UPDATE "evidence_entry" SET "index" = %s WHERE "id" = %s'


def fetch(wanted):
    """{(level, index): hash} for the complete subtrees named, in one query."""
    keys = {node_key(level, index): (level, index) for level, index in wanted}
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(FETCH[connection.vendor], [list(keys) if postgresql else json.dumps(list(keys))])
        found = {keys[key]: bytes(value) for key, value in cursor.fetchall()}
    missing = set(wanted) - set(found)
    if missing:
        raise LookupError(f"evidence tree nodes missing: {sorted(missing)[:5]}")
    return found


def integrate(*, limit=None, nowait=False):
    """Give pending entries their leaf indexes and write the subtrees they complete.
    Returns how many were integrated; with nowait, 0 at once when another process holds
    the sequencer."""
    total = 0
    while limit is None or total < limit:
        batch = SEQUENCE_BATCH if limit is None else min(SEQUENCE_BATCH, limit - total)
        try:
            done = _integrate_batch(batch, nowait)
        except OperationalError:
            if nowait and connection.vendor == "postgresql":
                return total  # another sequencer is at work; it will take ours too
            raise
        total += done
        if done < batch:
            return total
    return total


@transaction.atomic
def _integrate_batch(batch, nowait):
    state = _state(nowait=nowait)
    pending = list(Entry.objects.filter(index__isnull=True).order_by("id").values_list("id", "data")[:batch])
    if not pending:
        return 0
    h = hasher()
    edge = merkle.root_nodes(state.size)
    known = fetch(edge) if edge else {}
    compact = merkle.CompactRange(h, state.size, [known[node] for node in edge])
    nodes = []
    for _, data in pending:
        nodes += [(node_key(level, at), value) for level, at, value in compact.append(h.leaf(data.encode()))]
    _write(nodes, [(entry_id, state.size + n) for n, (entry_id, _) in enumerate(pending)])
    state.size = compact.size
    state.save(update_fields=["size"])
    return len(pending)


def _write(nodes, indexes):
    """Insert the (key, hash) nodes; give the (id, index) entries their indexes."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(INSERT_NODES, [[key for key, _ in nodes], [value for _, value in nodes]])
            cursor.execute(SET_INDEXES, [[pk for pk, _ in indexes], [index for _, index in indexes]])
        else:
            cursor.executemany(INSERT_NODE, nodes)
            cursor.executemany(SET_INDEX, [(index, pk) for pk, index in indexes])


def root(tree_size):
    return merkle.root(hasher(), fetch(merkle.root_nodes(tree_size)), tree_size)


def inclusion_proof(index, tree_size):
    return merkle.inclusion_proof(hasher(), fetch(merkle.inclusion_nodes(index, tree_size)), index, tree_size)


def consistency_proof(old, new):
    return merkle.consistency_proof(hasher(), fetch(merkle.consistency_nodes(old, new)), old, new)


def leaf_hash(index):
    return fetch({(0, index)})[(0, index)]
