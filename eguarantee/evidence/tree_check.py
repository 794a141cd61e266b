"""The tree rebuilt from its leaves, in slices that processes share out.

A slice is SLICE leaves starting at a multiple of SLICE, so it is one subtree of the tree:
a process hashes its leaves and rebuilds it on its own, comparing every subtree it makes
with the stored one; the parent then folds the slices' roots (and with them the stored
nodes above a slice), and checks every signed head against the root it rebuilt.

Within a slice the leaves go a CHUNK at a time, one aligned subtree again, hashed level by
level with map() over whole lists (a Python call per hash cost more than the hash), and
compared with the stored subtrees in one list comparison. A chunk that is not exactly as
expected (a leaf missing, a hash or a node different) is gone through again leaf by leaf to
say what is wrong, as any chunk was before.

Problems carry the place where a leaf-by-leaf walk would meet them, (leaf index, rank), so
the report reads the same however the slices ran.
"""

import operator
from dataclasses import dataclass, field

import gmssl_pyx
from django.db import connection
from django.db.models import Min

from . import merkle, tree
from .models import Entry, Node, TreeHead

CHUNK_LEVEL = 13
CHUNK = 1 << CHUNK_LEVEL
SLICE_LEVEL = 16
SLICE = 1 << SLICE_LEVEL

# Ranks at one leaf: node levels are 0–63, then the head of the tree that leaf ends.
HEAD = 64
GAP = -1


@dataclass
class Slice:
    start: int
    first: int | None = None  # the first leaf index found in the slice
    size: int = 0  # leaves from `start` on without a gap
    gap: bool = False  # a leaf missing before the slice's last leaf present (reported here)
    hashes: list = field(default_factory=list)  # the compact range of its `size` leaves
    heads: dict = field(default_factory=dict)  # {head size: the compact range's hashes there}
    above: dict = field(default_factory=dict)  # stored nodes above SLICE_LEVEL its last leaf completes
    problems: list = field(default_factory=list)  # (index, rank, message)


def slices():
    """The starts of the slices that cover every leaf."""
    end = Entry.objects.filter(index__isnull=False).order_by("-index").values_list("index", flat=True).first()
    return list(range(0, (end or 0) + 1, SLICE)) if end is not None else [0]


# ---------------------------------------------------------------- one slice (in a worker)


def rebuild_slice(start):
    """Hash the leaves [start, start + SLICE) and compare every subtree they complete up to
    SLICE_LEVEL; stop at the first leaf missing."""
    h = tree.hasher()
    result = Slice(start, first=_first_leaf(start, start + SLICE))
    if result.first != start:
        return result  # the gap, if any, is the parent's to name: it may begin before
    head_sizes = set(TreeHead.objects.filter(size__gt=start, size__lte=start + SLICE).values_list("size", flat=True))
    stack = merkle.CompactRange(h)  # the slice's own compact range: sizes relative to start
    for chunk in range(start, start + SLICE, CHUNK):
        indexes, leaves = _leaves(chunk)
        if len(indexes) == CHUNK and indexes == tuple(range(chunk, chunk + CHUNK)):
            if _fast_chunk(h, stack, chunk, leaves, head_sizes, result):
                continue
        if not _slow_chunk(h, stack, chunk, start, indexes, leaves, head_sizes, result) or len(indexes) < CHUNK:
            break
    result.size, result.hashes = stack.size, stack.hashes
    if stack.size == SLICE:
        last = start + SLICE - 1
        result.above = dict(_stored(last << 6 | (SLICE_LEVEL + 1), (last + 1) << 6))
    elif not result.gap:
        following = _first_leaf(start + stack.size, start + SLICE)
        if following is not None:
            result.gap = True
            result.problems.append(_missing(start + stack.size, following))
    return result


def _first_leaf(lo, hi):
    return Entry.objects.filter(index__gte=lo, index__lt=hi).aggregate(first=Min("index"))["first"]


def _missing(size, following):
    return (size, GAP, f"叶子 {size}–{following - 1} 缺失：存证记录被删除")


def _leaves(chunk):
    """(indexes, the bytes each leaf hash is taken of: 0x00 ‖ data) of the leaves in
    [chunk, chunk + CHUNK), in index order."""
    if connection.vendor == "postgresql":
        # The leaf's prefix and UTF-8 made by PostgreSQL, and binary transfer: one bytes
        # object a leaf, ready to hash. convert_to() gives the bytes of data.encode().
        sql = (
            'SELECT "index", \'\\x00\'::bytea || convert_to("data", \'UTF8\') FROM "evidence_entry" '
            'WHERE "index" >= %s AND "index" < %s ORDER BY "index"'
        )
        connection.ensure_connection()
        with connection.connection.cursor(binary=True) as cursor:
            rows = cursor.execute(sql, [chunk, chunk + CHUNK]).fetchall()
    else:
        entries = Entry.objects.filter(index__gte=chunk, index__lt=chunk + CHUNK).order_by("index")
        rows = [(index, b"\x00" + data.encode()) for index, data in entries.values_list("index", "data")]
    if not rows:
        return (), ()
    indexes, leaves = zip(*rows, strict=True)
    return indexes, leaves


def _stored(lo, hi):
    """[(key, hash)] of the stored nodes with keys in [lo, hi), in key order."""
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with connection.connection.cursor(binary=True) as cursor:
            sql = 'SELECT "key", "hash" FROM "evidence_node" WHERE "key" >= %s AND "key" < %s ORDER BY "key"'
            return cursor.execute(sql, [lo, hi]).fetchall()
    nodes = Node.objects.filter(key__gte=lo, key__lt=hi).order_by("key").values_list("key", "hash")
    return [(key, bytes(value)) for key, value in nodes]


def _levels(h, leaves):
    """Every level of the complete subtree over `leaves` (a power of two), leaves first."""
    # SM3 called straight, not through merkle's wrapper: a Python call per hash less.
    digest = gmssl_pyx.sm3_hash if h.algorithm == "sm3" else merkle.HASHES[h.algorithm]
    node = merkle.NODE_PREFIX
    levels = [list(map(digest, leaves))]
    while len(levels[-1]) > 1:
        pairs = iter(levels[-1])
        levels.append(list(map(digest, [node + left + right for left, right in zip(pairs, pairs, strict=True)])))
    return levels


def _template():
    """For a chunk: the relative keys of the subtrees its leaves complete up to CHUNK_LEVEL,
    in key order, and where each one's hash sits in the chunk's levels laid end to end."""
    keys, places, offset = [], [], [0]
    for level in range(CHUNK_LEVEL + 1):
        offset.append(offset[-1] + (CHUNK >> level))
    for leaf in range(CHUNK):
        level = 0
        while True:
            keys.append(leaf << 6 | level)
            places.append(offset[level] + (leaf >> level))
            if level == CHUNK_LEVEL or not (leaf >> level) & 1:
                break
            level += 1
    return keys, operator.itemgetter(*places)


_TEMPLATE = None


def _fast_chunk(h, stack, chunk, leaves, head_sizes, result):
    """A whole chunk at once; False (and the slice's range unchanged) when anything differs."""
    global _TEMPLATE
    if _TEMPLATE is None:
        _TEMPLATE = _template()
    offsets, pick = _TEMPLATE
    levels = _levels(h, leaves)
    before = merkle.CompactRange(h, stack.size, stack.hashes)
    made = _push(h, stack, CHUNK_LEVEL, levels[-1][0])
    last = chunk + CHUNK - 1
    base = chunk << 6
    keys = [*map(base.__add__, offsets), *((last << 6) | level for level, _ in made)]
    hashes = [*pick([value for level in levels for value in level]), *(value for _, value in made)]
    stored = _stored(base, (last << 6) | (SLICE_LEVEL + 1))
    if [key for key, _ in stored] != keys or [value for _, value in stored] != hashes:
        stack.size, stack.hashes = before.size, before.hashes
        return False
    for size in head_sizes:
        if chunk < size <= chunk + CHUNK:
            inside = [levels[level][at] for level, at in merkle.range_nodes(0, size - chunk)]
            result.heads[size] = [*before.hashes, *inside]
    return True


def _push(h, stack, level, value):
    """Add a complete subtree of `level` to a compact range whose size is a multiple of
    2^level; returns [(level, hash)] of the subtrees that completes above it."""
    made = []
    size = stack.size
    stack.size += 1 << level
    while (size >> level) & 1:
        value = h.node(stack.hashes.pop(), value)
        level += 1
        made.append((level, value))
    stack.hashes.append(value)
    return made


def _slow_chunk(h, stack, chunk, start, indexes, leaves, head_sizes, result):
    """The chunk leaf by leaf, naming every missing or different subtree; False at a gap,
    after which nothing can be rebuilt."""
    digest = merkle.HASHES[h.algorithm]
    stored = iter(_stored(chunk << 6, (chunk + CHUNK - 1) << 6 | (SLICE_LEVEL + 1)))
    node = next(stored, None)
    for index, leaf in zip(indexes, leaves, strict=True):
        if index != start + stack.size:
            result.gap = True
            result.problems.append(_missing(start + stack.size, index))
            return False
        for level, at, value in stack.append(digest(leaf)):
            at += start >> level
            key = (index << 6) | level
            while node is not None and node[0] < key:
                node = next(stored, None)
            if node is None or node[0] != key:
                result.problems.append((index, level, f"树节点 ({level}, {at}) 缺失"))
            elif node[1] != value:
                if level == 0:
                    kind, object_id = Entry.objects.filter(index=index).values_list("kind", "object_id").get()
                    message = f"叶子 {index}（{kind} #{object_id}）的数据与树中哈希不符：存证记录被改动"
                else:
                    message = f"树节点 ({level}, {at}) 与重算结果不符"
                result.problems.append((index, level, message))
        if start + stack.size in head_sizes:
            result.heads[start + stack.size] = list(stack.hashes)
    return True


# ---------------------------------------------------------------- the whole tree (in the parent)


def combine(results, heads, check_head):
    """Fold the slices (in order) into the tree; returns (size, whether the leaves run to
    the last one without a gap, problems in the order a leaf-by-leaf walk meets them).
    check_head(head, root, problems) checks one head; heads: {size: TreeHead}."""
    h = tree.hasher()
    compact = merkle.CompactRange(h)
    problems = []
    whole = True
    for n, result in enumerate(results):
        if result.first != result.start:  # leaves missing from the slice's start on
            whole = _gap(compact.size, [r.first for r in results[n:]], problems)
            break
        problems += result.problems
        before = list(compact.hashes)
        for size, hashes in sorted(result.heads.items()):
            found = []
            check_head(heads[size], merkle.fold(h, [*before, *hashes]), found)
            problems += [(size - 1, HEAD, message) for message in found]
        if result.size == SLICE:
            _fold_slice(h, compact, result, problems)
            continue
        for value in result.hashes:  # a partial slice: smaller subtrees, which fold into nothing
            compact.hashes.append(value)
        compact.size += result.size
        if not result.gap:
            whole = _gap(compact.size, [r.first for r in results[n + 1 :]], problems)
        else:
            whole = False
        break
    problems.sort(key=lambda problem: problem[:2])
    return compact, whole, [message for _, _, message in problems]


def _gap(size, firsts, problems):
    """True when no leaf comes after `size`; else name the missing ones."""
    following = next((first for first in firsts if first is not None), None)
    if following is None:
        return True
    problems.append(_missing(size, following))
    return False


def _fold_slice(h, compact, result, problems):
    last = result.start + SLICE - 1
    made = _push(h, compact, SLICE_LEVEL, result.hashes[0])
    for level, value in made:
        at = last >> level
        stored = result.above.get((last << 6) | level)
        if stored is None:
            problems.append((last, level, f"树节点 ({level}, {at}) 缺失"))
        elif bytes(stored) != value:
            problems.append((last, level, f"树节点 ({level}, {at}) 与重算结果不符"))
