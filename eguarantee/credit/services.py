"""Writes of credit records (6.6.9). Records are facts drawn from guarantee events: each is
written once (unique per source event and kind, inserted with ON CONFLICT DO NOTHING so a
second hearing never aborts the business transaction it runs in) and never changed.

Who writes: the subscribers (subscribers.py), inside the transaction of the fact, and the
daily late-payment job (jobs.py)."""

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import CharField, DateTimeField, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, JSONObject
from django.utils import timezone

from eguarantee.core.memo import TransactionMemo
from eguarantee.evidence import services as evidence
from eguarantee.guarantees.choices import GuaranteeStatus
from eguarantee.guarantees.models import Guarantee, GuaranteeEvent

from .choices import POLARITY, RecordKind
from .models import CreditRecord

INSERT_CHUNK = 1000


def _new(kind, *, organization_id, guarantee_id, source_event_id, occurred_at, details):
    return CreditRecord(
        organization_id=organization_id,
        kind=kind,
        polarity=POLARITY[kind],
        guarantee_id=guarantee_id,
        source_event_id=source_event_id,
        occurred_at=occurred_at,
        details=details,
    )


def _save(records):
    """Insert, skipping any (source event, kind) already recorded — by another subscriber
    run, the job, or a concurrent transaction (PostgreSQL waits for it, then skips)."""
    if records:
        CreditRecord.objects.bulk_create(records, batch_size=INSERT_CHUNK, ignore_conflicts=True)
        evidence.record_new(
            "credit.record",
            CreditRecord.objects.filter(
                source_event_id__in={r.source_event_id for r in records}, kind__in={r.kind for r in records}
            ),
        )
    return len(records)


def _guarantee_details(guarantee, event):
    details = {"number": guarantee.number or "", "order_number": guarantee.order_number}
    if event.comment:
        details["comment"] = event.comment
    return details


def record_event(kind, guarantee, event):
    """The record `kind` about the applicant of `guarantee`, drawn from `event`."""
    return _save(
        [
            _new(
                kind,
                organization_id=guarantee.applicant_id,
                guarantee_id=guarantee.pk,
                source_event_id=event.pk,
                occurred_at=event.created_at,
                details=_guarantee_details(guarantee, event),
            )
        ]
    )


# ---------------------------------------------------------------- 按期解保: the daily release

# Which release events this transaction has already written records for (see memo.py).
_released = TransactionMemo()


def _insert_from_events(events, kind, details):
    """INSERT … SELECT: a record of `kind` about the applicant for each event of the queryset
    `events`, built by the database in one statement (no rows travel to Python and back),
    skipping events already recorded. Returns the ids of the events newly recorded.

    The SELECT is the ORM's own (portable between SQLite and PostgreSQL); every column is
    an annotation, given in the order of the INSERT's column list."""
    columns = {
        "organization_id": F("guarantee__applicant_id"),
        "kind": Value(str(kind), output_field=CharField()),
        "polarity": Value(str(POLARITY[kind]), output_field=CharField()),
        "guarantee_id": F("guarantee_id"),
        "source_event_id": F("pk"),
        "occurred_at": F("created_at"),
        "details": details,
        "created_at": Value(timezone.now(), output_field=DateTimeField()),
    }
    aliases = {f"credit_{name}": expression for name, expression in columns.items()}
    select = events.order_by().annotate(**aliases).values_list(*aliases)
    sql, params = select.query.sql_with_params()
    quote = connection.ops.quote_name
    statement = (
        f"INSERT INTO {quote(CreditRecord._meta.db_table)} ({', '.join(quote(c) for c in columns)}) {sql} "
        f"ON CONFLICT DO NOTHING RETURNING {quote('id')}, {quote('source_event_id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        rows = cursor.fetchall()
    evidence.record("credit.record", [pk for pk, _ in rows])
    return {event_id for _, event_id in rows}


RELEASE_DETAILS = JSONObject(number=Coalesce("guarantee__number", Value("")), end_date="guarantee__end_date")


def record_release(guarantee, event):
    """按期解保 for one released guarantee, cheaply when it comes as one of a batch.

    The release job writes the events of a whole batch (one bulk INSERT, all with the same
    time) before it publishes them one by one. So the first event heard records every
    release event of that time in one INSERT … SELECT, and the rest of the batch finds
    itself in the memo: no query at all."""
    key = event.created_at
    if _released.covers(key, event.pk):
        return 0
    batch = GuaranteeEvent.objects.filter(Q(pk=event.pk) | Q(action="release", created_at=event.created_at))
    written = _insert_from_events(batch, RecordKind.RELEASED_ON_TIME, RELEASE_DETAILS)
    _released.remember(key, written | {event.pk})  # this one is recorded now, by us or before
    return len(written)


def record_release_batch(guarantees, events):
    """按期解保 for a whole batch at once (the release job's `guarantee.release_batch`). The
    events then heard one by one cost nothing."""
    if not events:
        return 0
    ids = [e.pk for e in events]
    written = _insert_from_events(
        GuaranteeEvent.objects.filter(pk__in=ids), RecordKind.RELEASED_ON_TIME, RELEASE_DETAILS
    )
    stamp = events[0].created_at
    _released.remember(stamp, {e.pk for e in events if e.created_at == stamp})
    return len(written)


# ---------------------------------------------------------------- 逾期缴费: late payment


def payment_due_days():
    return int(getattr(settings, "PAYMENT_DUE_DAYS", 5))


def due_date(approved_at):
    """The last day to pay: the day of approval (Beijing time) plus PAYMENT_DUE_DAYS."""
    return timezone.localtime(approved_at).date() + datetime.timedelta(days=payment_due_days())


def _deadline(due):
    """The moment payment became late: the start of the day after the due date."""
    return timezone.make_aware(datetime.datetime.combine(due + datetime.timedelta(days=1), datetime.time.min))


def _late(guarantee_id, applicant_id, approval_id, approved_at, details):
    due = due_date(approved_at)
    return _new(
        RecordKind.LATE_PAYMENT,
        organization_id=applicant_id,
        guarantee_id=guarantee_id,
        source_event_id=approval_id,  # one approval, one payment period: at most one record
        occurred_at=_deadline(due),
        details={"approved_at": timezone.localtime(approved_at).isoformat(), "due_date": due.isoformat(), **details},
    )


def record_payment(guarantee, event):
    """A premium paid after the due date is late; recorded unless the job did already."""
    approval = (
        GuaranteeEvent.objects.filter(guarantee_id=guarantee.pk, action="approve", created_at__lte=event.created_at)
        .order_by("-created_at", "-id")
        .only("pk", "created_at")
        .first()
    )
    if approval is None:
        return 0
    paid_on = timezone.localtime(event.created_at).date()
    if paid_on <= due_date(approval.created_at):
        return 0
    details = {"paid_at": timezone.localtime(event.created_at).isoformat(), "payment_action": event.action}
    return _save([_late(guarantee.pk, guarantee.applicant_id, approval.pk, approval.created_at, details)])


def record_late_payments(*, today=None):
    """The daily job: 逾期缴费 for every guarantee still awaiting payment after its due date.
    Idempotent (a recorded approval is skipped); returns how many records it wrote."""
    today = today or timezone.localdate()
    # approved on a day D is late once today > D + N, i.e. approved before the start of today − N
    cutoff = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=payment_due_days()), datetime.time.min)
    )
    approval = GuaranteeEvent.objects.filter(guarantee=OuterRef("pk"), action="approve").order_by("-created_at", "-id")
    overdue = (
        Guarantee.objects.filter(status=GuaranteeStatus.AWAITING_PAYMENT)
        .annotate(
            approval_id=Subquery(approval.values("pk")[:1]), approved_at=Subquery(approval.values("created_at")[:1])
        )
        .filter(approved_at__lt=cutoff)
        .exclude(approval_id__in=CreditRecord.objects.filter(kind=RecordKind.LATE_PAYMENT).values("source_event_id"))
        .values_list("pk", "applicant_id", "approval_id", "approved_at", "premium")
        .order_by("pk")
    )
    written = 0
    with transaction.atomic():
        records = [
            _late(pk, applicant_id, approval_id, approved_at, {"premium": str(premium) if premium is not None else ""})
            for pk, applicant_id, approval_id, approved_at, premium in overdue.iterator(chunk_size=INSERT_CHUNK)
        ]
        written = _save(records)
    return written
