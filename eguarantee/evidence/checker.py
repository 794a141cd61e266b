"""Full re-verification (`manage.py verify_evidence`): does the database still say what the
log recorded, and is the log itself intact?

1. Records: every recorded row is read and turned into leaf data again, then matched with
   its leaves by id. A row with no leaf was written behind the platform's back; a leaf
   with no row lost its row; different data means the row was changed. For records that
   change (a guarantee's state), the newest leaf must match.
2. Tree: leaves in index order are hashed and the tree rebuilt; every stored subtree, every
   signed head's root and signature, and every co-signature must agree.
3. Audit chains: each chain is walked and must meet its checkpoints.

Both walks stream in key order and merge, so memory stays flat however long the log.
"""

import json
import time
from dataclasses import dataclass, field

from . import audit_chain, merkle, signing, tree
from .models import Cosignature, Entry, LogState, Node, SigningKey, TreeHead, node_key
from .records import registry


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


def check():
    started = time.perf_counter()
    report = Report()
    for recorder in registry().values():
        report.records += check_records(recorder, report.problems)
    report.leaves = check_tree(report.problems)
    for table in audit_chain.CHAINS:
        report.audit_rows += audit_chain.verify(table, report.problems)
    report.seconds = time.perf_counter() - started
    return report


# ---------------------------------------------------------------- 1. records against their leaves


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


def _leaves_by_object(kind, mutable):
    """(object_id, data) per object in id order: its newest leaf when mutable, else each."""
    entries = Entry.objects.filter(kind=kind).order_by("object_id", "id").values_list("object_id", "data")
    pending = None
    for object_id, data in entries.iterator(chunk_size=5000):
        if mutable:
            if pending is not None and pending[0] != object_id:
                yield pending
            pending = (object_id, data)
        else:
            yield object_id, data
    if pending is not None:
        yield pending


def check_records(recorder, problems):
    leaves = _leaves_by_object(recorder.kind, recorder.mutable)
    leaf = next(leaves, None)
    count = 0
    for pk, data in recorder.rows():
        count += 1
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


def check_tree(problems):
    from . import services

    h = tree.hasher()
    keys, heads = _heads()
    compact = merkle.CompactRange(h)
    stored = Node.objects.order_by("key").values_list("key", "hash").iterator(chunk_size=10000)
    node = next(stored, None)
    entries = (
        Entry.objects.filter(index__isnull=False).order_by("index").values_list("index", "kind", "object_id", "data")
    )
    for index, kind, object_id, data in entries.iterator(chunk_size=10000):
        if index != compact.size:
            problems.append(f"叶子 {compact.size}–{index - 1} 缺失：存证记录被删除")
            return compact.size
        for level, at, value in compact.append(h.leaf(data.encode())):
            key = node_key(level, at)
            while node is not None and node[0] < key:
                node = next(stored, None)
            if node is None or node[0] != key:
                problems.append(f"树节点 ({level}, {at}) 缺失")
            elif bytes(node[1]) != value:
                if level == 0:
                    problems.append(f"叶子 {index}（{kind} #{object_id}）的数据与树中哈希不符：存证记录被改动")
                else:
                    problems.append(f"树节点 ({level}, {at}) 与重算结果不符")
        head = heads.get(compact.size)
        if head is not None:
            _check_head(head, compact.root(), keys, problems, services)
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
