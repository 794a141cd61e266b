"""Side-menu pages of 企业信用 (eguarantee.core.menu)."""

from eguarantee.core.menu import Module, Page, register

register(
    Module(
        key="credit",
        label="企业信用",
        icon="bi-award",
        order=500,
        pages=[
            Page("信用记录", "credit:record_list", "credit.view_creditrecord", icon="bi-journal-text"),
            Page("企业信用概况", "credit:organization_list", "credit.view_creditrecord", icon="bi-bar-chart"),
        ],
    )
)
