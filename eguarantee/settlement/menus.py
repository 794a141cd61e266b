"""Side-menu pages of this module (eguarantee.core.menu)."""

from eguarantee.core.menu import Module, Page, register

register(
    Module(
        key="settlement",
        label="保函结算",
        icon="bi-cash-stack",
        order=450,
        pages=[
            Page("业务台账", "settlement:ledger_list", "settlement.view_ledgerline", icon="bi-journal-text"),
            Page("保费记录", "settlement:fee_list", "settlement.view_feerecord", icon="bi-receipt"),
        ],
    )
)
