"""The audit log as hash chains, checkpointed into the evidence tree.

Each audit table (data changes, operations, logins) is one chain: a row's link is
    chain_hash = H(previous chain_hash ‖ H(row data))
where row data is the row's canonical JSON (records.Recorder). Rows are chained by the
worker's beat in the order it finds them, not in id order: on PostgreSQL a row with a
smaller id can commit later, and chaining in id order would skip it for ever. Each run
ends with a checkpoint (table, seq, chain hash) that goes into the tree as a leaf, so
rewriting an audit row means rewriting the chain after it, and that chain no longer meets
its checkpoint, whose leaf is under signed heads.

Retention may purge the oldest rows; the chain then starts at the first row kept.
"""

from django.apps import apps
from django.db import models, transaction

from . import tree
from .models import AuditCheckpoint
from .records import Recorder

GENESIS = b"\x00" * 32
BATCH = 5000

# AppendOnlyModel's fields, in every audit table
COMMON = ("time", "user_id", "user_name", "organization_id", "ip", "request_id")

CHAINS = {
    "objectchange": Recorder(
        "audit.objectchange",
        "audit.ObjectChange",
        (
            *COMMON,
            "action",
            "content_type_id",
            "object_id",
            "object_repr",
            "prechange_data",
            "postchange_data",
        ),
        label="数据变更日志",
    ),
    "operationlog": Recorder(
        "audit.operationlog",
        "audit.OperationLog",
        (
            *COMMON,
            "method",
            "path",
            "module",
            "action",
            "object_repr",
            "result",
            "status_code",
            "duration_ms",
            "params",
            "user_agent",
        ),
        label="操作日志",
    ),
    "loginlog": Recorder(
        "audit.loginlog",
        "audit.LoginLog",
        (
            *COMMON,
            "username",
            "success",
            "reason",
            "message",
            "user_agent",
        ),
        label="登录日志",
    ),
}


def link(previous, data):
    h = tree.hasher()
    return h.node(previous, h.leaf(data.encode()))


def checkpoint():
    """Chain every unchained audit row and checkpoint each chain that moved. Returns
    {table: rows chained}."""
    return {table: _chain(table, recorder) for table, recorder in CHAINS.items()}


def _chain(table, recorder):
    model = apps.get_model(recorder.model_label)
    chained = 0
    while True:
        with transaction.atomic():
            tree._state()  # one chainer at a time, whichever worker beats first
            last = (
                model.objects.filter(chain_seq__isnull=False)
                .order_by("-chain_seq")
                .values_list("chain_seq", "chain_hash")
                .first()
            )
            seq, previous = (last[0], bytes(last[1])) if last else (0, GENESIS)
            pending = model.objects.filter(chain_seq__isnull=True).order_by("pk")[:BATCH]
            rows = list(recorder.rows(model.objects.filter(pk__in=list(pending.values_list("pk", flat=True)))))
            if not rows:
                return chained
            linked = []
            for pk, data in rows:
                seq += 1
                previous = link(previous, data)
                linked.append(model(pk=pk, chain_seq=seq, chain_hash=previous))
            # The append-only manager refuses updates; the chain fields are the one exception.
            models.QuerySet(model=model).bulk_update(linked, ["chain_seq", "chain_hash"], batch_size=1000)
            point = AuditCheckpoint.objects.create(table=table, seq=seq, chain_hash=previous)
            from . import services

            services.record("audit.checkpoint", point.pk)
            chained += len(rows)
            if len(rows) < BATCH:
                return chained


def verify(table, problems):
    """Walk one chain from its first kept row; append a message for every row whose link
    does not hold, every gap, and every checkpoint the chain does not meet."""
    recorder = CHAINS[table]
    model = apps.get_model(recorder.model_label)
    points = dict(AuditCheckpoint.objects.filter(table=table).values_list("seq", "chain_hash"))
    stored = model.objects.filter(chain_seq__isnull=False).order_by("chain_seq")
    previous = None
    expected_seq = None
    checked = 0
    links = stored.values_list("pk", "chain_seq", "chain_hash")
    data = dict(recorder.rows(model.objects.filter(chain_seq__isnull=False)))
    for pk, seq, chain_hash in links.iterator(chunk_size=5000):
        chain_hash = bytes(chain_hash)
        if previous is None:  # the first row kept: its own link is the chain's start
            previous = GENESIS if seq == 1 else None
        if expected_seq is not None and seq != expected_seq:
            problems.append(f"{recorder.label}：链序号 {expected_seq}–{seq - 1} 的记录已被删除")
            previous = None
        if previous is not None and link(previous, data[pk]) != chain_hash:
            problems.append(f"{recorder.label} #{pk}（链序号 {seq}）：内容与哈希链不符，已被修改")
        if seq in points and bytes(points[seq]) != chain_hash:
            problems.append(f"{recorder.label}：链序号 {seq} 处与存证检查点不符")
        previous, expected_seq = chain_hash, seq + 1
        checked += 1
    last_point = max(points, default=0)
    if last_point and (expected_seq is None or expected_seq - 1 < last_point):
        problems.append(f"{recorder.label}：检查点 {last_point} 之前的记录已被删除")
    return checked
