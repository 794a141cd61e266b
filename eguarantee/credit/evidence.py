"""Every credit record goes into the evidence log (DESIGN.md §6)."""

from eguarantee.evidence.records import Recorder

RECORDERS = [
    Recorder(
        "credit.record",
        "credit.CreditRecord",
        (
            "organization_id",
            "kind",
            "polarity",
            "guarantee_id",
            "source_event_id",
            "occurred_at",
            "details",
            "created_at",
        ),
        label="信用记录",
        subject="guarantee_id",
    ),
]
