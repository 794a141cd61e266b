"""Transfer vouchers (uploaded documents) go into the evidence log (DESIGN.md §6)."""

from eguarantee.evidence.records import Recorder

RECORDERS = [
    Recorder(
        "payments.voucher",
        "payments.TransferVoucher",
        ("guarantee_id", "amount", "payer_account", "original_name", "size", "sm3", "sha256", "uploaded_by_id"),
        label="转账凭证",
        subject="guarantee_id",
    ),
]
