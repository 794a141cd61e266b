"""Side-menu pages of 保费支付 (eguarantee.core.menu)."""

from eguarantee.core.menu import Action, Module, Page, register

register(
    Module(
        key="payments",
        label="保费支付",
        icon="bi-credit-card",
        order=320,
        pages=[
            Page(
                "支付订单",
                "payments:order_list",
                "payments.view_paymentorder",
                icon="bi-receipt",
                actions=[Action("payments.add_paymentorder", "在线支付")],
            ),
            Page(
                "转账凭证",
                "payments:voucher_list",
                "payments.view_transfervoucher",
                icon="bi-bank2",
                actions=[
                    Action("payments.add_transfervoucher", "上传凭证"),
                    Action("payments.confirm_transfervoucher", "确认到账"),
                ],
            ),
            Page("退款记录", "payments:refund_list", "payments.view_refund", icon="bi-arrow-counterclockwise"),
            Page("支付通知", "payments:notification_list", "payments.view_paymentnotification", icon="bi-bell"),
        ],
    )
)
