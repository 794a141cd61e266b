"""Writes to the evidence log: recording facts, signing tree heads, witnesses' co-signatures
and alarms, anchoring. Every other app writes here through `record()`, `record_objects()`
or `record_new()` only."""

import logging
import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from eguarantee.core.exceptions import Conflict, NotFound, ServiceError
from eguarantee.core.permissions import require_perm

from . import anchors, keys, signing, tree
from .models import Anchoring, Cosignature, Entry, TreeHead, Witness, WitnessAlarm
from .records import canonical, recorder

log = logging.getLogger(__name__)


# ---------------------------------------------------------------- recording facts


def record(kind, pks=None, *, queryset=None):
    """Append leaves for the rows given (primary keys, or a queryset), read back from the
    database so the leaf holds what was stored. Call it inside the transaction that wrote
    the rows: the leaves commit, or roll back, with them. Returns (kind, object_id, data)
    for each leaf written."""
    rec = recorder(kind)
    if queryset is None:
        pks = [pks] if isinstance(pks, int) else list(pks or ())
        if not pks:
            return []
        queryset = rec.model._base_manager.filter(pk__in=pks)
    rows = ((pk, values) for pk, *values in queryset.order_by("pk").values_list("pk", *rec.fields))
    return _append([(rec, pk, values) for pk, values in rows])


def record_objects(*groups):
    """record() for instances just saved, from their attributes (no read-back), in one
    statement: `record_objects(("guarantee.event", [event]), ("guarantee.state", [g]))`. The
    issue path is serialised by the guarantor's number lock, so every query saved here is
    throughput gained."""
    items = []
    for kind, objects in groups:
        rec = recorder(kind)
        items.extend((rec, obj.pk, rec.values_of(obj)) for obj in objects)
    return _append(items)


# COPY for PostgreSQL: the release job appends 300,000 leaves in a run, and a text[]
# parameter would be escaped element by element in Python.
COPY_ENTRIES = 'COPY "evidence_entry" ("kind", "object_id", "subject_id", "data", "created_at") FROM STDIN'
INSERT_ENTRY = (
    'INSERT INTO "evidence_entry" ("kind", "object_id", "subject_id", "data", "created_at") VALUES (%s, %s, %s, %s, %s)'
)


def _append(items):
    """Insert the leaves for [(recorder, pk, values)]; returns (kind, object_id, data) each."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = [(rec.kind, pk, rec.subject_in(pk, values), rec.data_of(pk, values), now) for rec, pk, values in items]
    if rows:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(COPY_ENTRIES) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(INSERT_ENTRY, rows)
        _sequence_after_commit()
    return [(kind, pk, data) for kind, pk, _subject, data, _ in rows]


def record_new(kind, queryset):
    """record() for the rows of `queryset` that have no leaf yet (for writers that insert
    with ON CONFLICT DO NOTHING and cannot tell which rows are theirs)."""
    recorded = Entry.objects.filter(kind=kind).values("object_id")
    return record(kind, queryset=queryset.exclude(pk__in=recorded))


def _sequence_after_commit():
    if not settings.EVIDENCE_SEQUENCE_ON_COMMIT:
        return
    if connection.in_atomic_block and any(entry[1] is _sequence for entry in connection.run_on_commit):
        return  # once per transaction is enough
    transaction.on_commit(_sequence, robust=True)


def _sequence():
    # Best effort: whoever holds the sequencer takes our entries too, and the worker's beat
    # picks up whatever is left.
    tree.integrate(nowait=True)


# ---------------------------------------------------------------- tree heads


def origin():
    return settings.EVIDENCE_ORIGIN


def quorum():
    return settings.EVIDENCE_QUORUM


def publish_head():
    """Sequence what is pending and sign a head for the tree as it now stands (nothing new
    when the tree has not grown). Returns the newest head, or None for an empty log."""
    tree.integrate()
    with transaction.atomic():
        state = tree._state()  # the sequencer's lock: one head per size
        latest = TreeHead.objects.order_by("-size").first()
        if state.size == 0 or (latest is not None and latest.size >= state.size):
            return latest
        pair = keys.current()
        keys.register(pair)
        head = signing.Head(
            origin=origin(),
            size=state.size,
            root=tree.root(state.size),
            algorithm=state.algorithm,
            timestamp=int(time.time() * 1000),
        )
        row = TreeHead.objects.create(
            size=head.size,
            root=head.root,
            algorithm=head.algorithm,
            origin=head.origin,
            timestamp=head.timestamp,
            key_id=pair.key_id,
            signature=pair.sign(head.body()),
            confirmed_at=timezone.now() if quorum() == 0 else None,
        )
    return row


def head_of(row):
    return signing.Head(
        origin=row.origin, size=row.size, root=bytes(row.root), algorithm=row.algorithm, timestamp=row.timestamp
    )


# ---------------------------------------------------------------- witnesses


@transaction.atomic
def register_witness(*, name, public_key, organization=None, actor=None):
    """Register a witness a department or guarantor runs, by its public key (the key never
    leaves the witness's machine). actor None: the system (tests, seed_demo)."""
    if actor is not None:
        require_perm(actor, "evidence.add_witness")
    try:
        key_id = signing.key_id(public_key)
        public = signing.normalize_public(public_key).hex()
    except signing.SignatureError:
        raise ServiceError(
            "公钥不是有效的SM2公钥（04开头的130位十六进制）。", code="bad_public_key", field="public_key"
        ) from None
    if Witness.objects.filter(name=name).exists():
        raise ServiceError("该见证节点名称已登记。", code="duplicate", field="name")
    return Witness.objects.create(name=name, public_key=public, key_id=key_id, organization=organization)


@transaction.atomic
def set_witness_active(witness, *, active, actor):
    """Take a witness out of (or back into) the quorum. Heads already confirmed stay so."""
    require_perm(actor, "evidence.change_witness")
    witness = Witness.objects.select_for_update().get(pk=witness.pk)
    if witness.active == active:
        raise Conflict("见证节点已是该状态。", code="unchanged")
    witness.active = active
    witness.save(update_fields=["active"])
    return witness


def _active_witness(name):
    witness = Witness.objects.filter(name=name, active=True).first()
    if witness is None:
        raise NotFound("未登记或已停用的见证节点。", code="unknown_witness")
    return witness


def _signature(text):
    try:
        return signing.unb64(text)
    except signing.SignatureError:
        raise ServiceError("签名不是有效的Base64。", code="bad_signature") from None


@transaction.atomic
def add_cosignature(*, witness, head, timestamp, signature):
    """A witness's co-signature of one of our heads (sent by the witness over HTTP).
    Returns (row, confirmed)."""
    witness = _active_witness(witness)
    try:
        claimed = signing.Head.from_json(head)
        timestamp = int(timestamp)
    except (signing.SignatureError, TypeError, ValueError):
        raise ServiceError("树头格式错误。", code="malformed_head") from None
    row = TreeHead.objects.select_for_update().filter(size=claimed.size).first()
    if row is None or head_of(row) != claimed:
        raise ServiceError("平台未签发该树头。", code="unknown_head", details={"size": claimed.size})
    try:
        signing.verify(witness.public_key, signing.cosign_body(claimed, witness.name, timestamp), _signature(signature))
    except signing.SignatureError:
        raise ServiceError("联署签名验证失败。", code="bad_signature") from None
    Cosignature.objects.get_or_create(
        head=row, witness=witness, defaults={"timestamp": timestamp, "signature": _signature(signature)}
    )
    Witness.objects.filter(pk=witness.pk).update(last_seen_at=timezone.now())
    if row.confirmed_at is None and Cosignature.objects.filter(head=row, witness__active=True).count() >= quorum():
        row.confirmed_at = timezone.now()
        row.save(update_fields=["confirmed_at"])
    return row, row.confirmed_at is not None


def alarm_body(*, witness, reason, message, data, timestamp):
    return canonical(
        {"witness": witness, "reason": reason, "message": message, "data": data, "timestamp": int(timestamp)}
    ).encode()


@transaction.atomic
def raise_alarm(*, witness, reason, message, data, timestamp, signature):
    """A witness found the log rolled back or forked. Signed by the witness, so nobody else
    can raise (or fake) one in its name. A witness taken out of the quorum may still raise
    one: what it saw is no less true."""
    witness = Witness.objects.filter(name=witness).first()
    if witness is None:
        raise NotFound("未登记的见证节点。", code="unknown_witness")
    try:
        body = alarm_body(witness=witness.name, reason=reason, message=message, data=data, timestamp=timestamp)
        signing.verify(witness.public_key, body, _signature(signature))
    except (signing.SignatureError, TypeError, ValueError):
        raise ServiceError("告警签名验证失败。", code="bad_signature") from None
    alarm = WitnessAlarm.objects.create(witness=witness, reason=str(reason)[:40], message=str(message)[:500], data=data)
    log.critical("evidence witness %s raised %s: %s", witness.name, reason, message)
    transaction.on_commit(lambda: _tell_admins(alarm))
    return alarm


def _tell_admins(alarm):
    from eguarantee.accounts.selectors import platform_admins
    from eguarantee.notifications import services as notify

    text = f"见证节点 {alarm.witness.name} 报告证据日志异常（{alarm.reason}）：{alarm.message}"
    for user in platform_admins():
        notify.send_in_site(user, "证据日志告警", text, link="/evidence/alarms/")


# ---------------------------------------------------------------- anchoring


def anchor_confirmed(*, now=None):
    """Record the newest confirmed head on every configured anchor, at most once an interval."""
    now = now or timezone.now()
    head = TreeHead.objects.filter(confirmed_at__isnull=False).order_by("-size").first()
    if head is None:
        return []
    made = []
    for anchor in anchors.configured():
        last = Anchoring.objects.filter(anchor=anchor.name).order_by("-anchored_at").first()
        if last is not None and (
            last.head_id == head.pk
            or (now - last.anchored_at).total_seconds() < settings.EVIDENCE_ANCHOR_INTERVAL_SECONDS
        ):
            continue
        try:
            reference = anchor.anchor(head)
        except Exception:  # a chain that is down must not stop the other anchors: next beat
            log.exception("anchoring head %s on %s failed", head.size, anchor.name)
            continue
        made.append(Anchoring.objects.create(head=head, anchor=anchor.name, reference=reference, anchored_at=now))
    return made


def tick():
    """The task worker's beat: sequence, sign, checkpoint the audit chain, anchor."""
    from . import audit_chain

    audit_chain.checkpoint()
    publish_head()
    anchor_confirmed()
