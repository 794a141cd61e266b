"""What the guarantees app writes into the evidence log (DESIGN.md §6): every event, the
guarantee's state after it, every issued document version and every uploaded attachment."""

from eguarantee.core import events
from eguarantee.core.memo import TransactionMemo
from eguarantee.evidence import services as evidence
from eguarantee.evidence.records import Recorder

RECORDERS = [
    Recorder(
        "guarantee.event",
        "guarantees.GuaranteeEvent",
        (
            "guarantee_id",
            "action",
            "from_status",
            "to_status",
            "actor_id",
            "organization_id",
            "comment",
            "data",
            "created_at",
        ),
        label="保函事件",
        subject="guarantee_id",
    ),
    Recorder(
        "guarantee.state",
        "guarantees.Guarantee",
        (
            "order_number",
            "number",
            "status",
            "guarantee_type_id",
            "applicant_id",
            "guarantor_id",
            "beneficiary_credit_code",
            "project_id",
            "section_id",
            "amount",
            "premium",
            "start_date",
            "end_date",
            "issued_at",
            "closed_at",
            "filing_status",
            "document_sha256",
        ),
        label="保函",
        subject="id",
        name_field="number",
        mutable=True,
    ),
    Recorder(
        "guarantee.document",
        "guarantees.GuaranteeDocument",
        ("guarantee_id", "guarantee__number", "version", "sm3", "sha256", "amount", "end_date", "issued_at"),
        label="保函文件",
        subject="guarantee_id",
        name_field="guarantee__number",
    ),
    Recorder(
        "guarantee.attachment",
        "guarantees.GuaranteeAttachment",
        ("guarantee_id", "key", "original_name", "size", "sm3", "sha256", "uploaded_at"),
        label="保函附件",
        subject="guarantee_id",
    ),
]

# The release job publishes its batch (`guarantee.release_batch`, with the saved events and
# the guarantees as they now stand) before each event: the batch is recorded from memory in
# one statement, and each event then finds itself in the memo. An event of a batch heard
# without the batch (a caller that publishes events only) records the batch from the database.
_batched = TransactionMemo()


def on_guarantee_event(name, guarantee=None, event=None, **payload):
    if name == "guarantee.release_batch":
        return _record_batch(payload["events"], payload["guarantees"])
    if event is None:
        return
    if event.action == "release" and event.actor_id is None:
        if not _batched.covers(event.created_at, event.pk):
            from .models import GuaranteeEvent

            batch = GuaranteeEvent.objects.filter(action="release", created_at=event.created_at)
            pairs = list(batch.values_list("pk", "guarantee_id"))
            evidence.record("guarantee.event", [pk for pk, _ in pairs])
            evidence.record("guarantee.state", [gid for _, gid in pairs])
            _batched.remember(event.created_at, {pk for pk, _ in pairs})
        return
    evidence.record_objects(("guarantee.event", [event]), ("guarantee.state", [guarantee]))


def _record_batch(batch_events, guarantees):
    if not batch_events:
        return
    evidence.record_objects(("guarantee.event", batch_events), ("guarantee.state", guarantees))
    _batched.remember(batch_events[0].created_at, {e.pk for e in batch_events})


def connect():
    events.subscribe("guarantee.*", on_guarantee_event)
