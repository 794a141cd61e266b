"""The tree as stored in the database: sequencing leaves, roots and proofs.

Appending is split as a transparency log does it. The business transaction writes its
Entry rows (no lock, so two guarantees issued at once never wait on each other); the
sequencer then gives pending entries their places, under one row lock, in a short
transaction of its own. It runs right after the business transaction commits and again
from the task worker, which picks up anything left behind.
"""

from functools import cache

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction

from . import merkle
from .models import Entry, LogState, Node, node_key

SEQUENCE_BATCH = 5000


@cache
def _hasher(algorithm):
    return merkle.Hasher(algorithm)


def hasher():
    return _hasher(settings.EVIDENCE_HASH)


def _state(lock=True, nowait=False):
    try:
        LogState.objects.get_or_create(pk=1, defaults={"algorithm": settings.EVIDENCE_HASH})
    except IntegrityError:  # made by a concurrent first leaf
        pass
    qs = LogState.objects.select_for_update(nowait=nowait) if lock else LogState.objects
    state = qs.get(pk=1)
    if state.algorithm != settings.EVIDENCE_HASH:
        raise RuntimeError(
            f"证据日志使用 {state.algorithm} 建立，当前配置为 {settings.EVIDENCE_HASH}；哈希算法不可在日志建立后更改。"
        )
    return state


def size():
    state = LogState.objects.filter(pk=1).first()
    return state.size if state else 0


def fetch(wanted):
    """{(level, index): hash} for the complete subtrees named, in one query."""
    keys = {node_key(level, index): (level, index) for level, index in wanted}
    found = {
        keys[key]: bytes(value) for key, value in Node.objects.filter(key__in=list(keys)).values_list("key", "hash")
    }
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
    assigned = []
    for entry_id, data in pending:
        assigned.append(Entry(pk=entry_id, index=compact.size))
        nodes.extend(
            Node(key=node_key(level, index), hash=value)
            for level, index, value in compact.append(h.leaf(data.encode()))
        )
    Node.objects.bulk_create(nodes, batch_size=2000)
    Entry.objects.bulk_update(assigned, ["index"], batch_size=1000)
    state.size = compact.size
    state.save(update_fields=["size"])
    return len(pending)


def root(tree_size):
    return merkle.root(hasher(), fetch(merkle.root_nodes(tree_size)), tree_size)


def inclusion_proof(index, tree_size):
    return merkle.inclusion_proof(hasher(), fetch(merkle.inclusion_nodes(index, tree_size)), index, tree_size)


def consistency_proof(old, new):
    return merkle.consistency_proof(hasher(), fetch(merkle.consistency_nodes(old, new)), old, new)


def leaf_hash(index):
    return fetch({(0, index)})[(0, index)]
