from eguarantee.core.tables import BadgeColumn, Column, Table

from .choices import NotificationOutcome, VoucherStatus

_OUTCOME_COLOURS = {NotificationOutcome.ACCEPTED: "success", NotificationOutcome.DUPLICATE: "secondary"}
_VOUCHER_COLOURS = {VoucherStatus.SUBMITTED: "warning", VoucherStatus.CONFIRMED: "success"}


def outcome_badge(notification):
    return notification.get_outcome_display(), _OUTCOME_COLOURS.get(notification.outcome, "danger")


def voucher_badge(voucher):
    return voucher.get_status_display(), _VOUCHER_COLOURS.get(voucher.status, "secondary")


class OrderTable(Table):
    detail_url_name = "payments:order_detail"
    columns = [
        Column("out_trade_no", link=True),
        Column("guarantee", header="申请单号", sortable=False, display=lambda o: o.guarantee.order_number),
        Column("applicant", header="申请人", display=lambda o: o.guarantee.applicant.name),
        Column("amount"),
        Column("gateway"),
        Column("status"),
        Column("gateway_trade_no"),
        Column("paid_at"),
        Column("created_at"),
    ]
    default_order = ("-created_at", "-id")


class VoucherTable(Table):
    detail_url_name = "payments:voucher_detail"
    columns = [
        Column("uploaded_at", link=True),
        Column("guarantee", header="申请单号", display=lambda v: v.guarantee.order_number),
        Column("applicant", header="申请人", display=lambda v: v.guarantee.applicant.name),
        Column("payer_account"),
        Column("amount"),
        BadgeColumn(voucher_badge, "状态"),
        Column("decided_at"),
    ]
    default_order = ("-uploaded_at", "-id")


class NotificationTable(Table):
    detail_url_name = "payments:notification_detail"
    columns = [
        Column("received_at", link=True),
        Column("gateway"),
        Column("out_trade_no"),
        Column("trade_no"),
        Column("signature_ok"),
        BadgeColumn(outcome_badge, "处理结果"),
        Column("remote_addr"),
    ]
    default_order = ("-received_at", "-id")


class RefundTable(Table):
    columns = [
        Column("created_at"),
        Column("guarantee", header="申请单号", display=lambda r: r.guarantee.order_number),
        Column("applicant", header="申请人", display=lambda r: r.guarantee.applicant.name),
        Column("amount"),
        Column("method"),
        Column("order", header="支付订单", display=lambda r: r.order.out_trade_no if r.order else None),
        Column("reason"),
    ]
    default_order = ("-created_at", "-id")
