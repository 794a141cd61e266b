from django.db import models


class OrderStatus(models.TextChoices):
    """An online payment order (支付订单) at a gateway."""

    CREATED = "created", "待支付"
    PAID = "paid", "已支付"
    CLOSED = "closed", "已关闭"
    REFUNDED = "refunded", "已退款"


class VoucherStatus(models.TextChoices):
    """An offline transfer's voucher (转账凭证), confirmed by the guarantor."""

    SUBMITTED = "submitted", "待确认"
    CONFIRMED = "confirmed", "已确认到账"
    REJECTED = "rejected", "未到账退回"
    VOID = "void", "已作废"


class RefundMethod(models.TextChoices):
    GATEWAY = "gateway", "原路退回（在线支付）"
    OFFLINE = "offline", "线下退款（转账）"


class NotificationOutcome(models.TextChoices):
    """What the platform answered a gateway's notification. The codes are stable: the notify
    endpoint returns them and tests rely on them."""

    ACCEPTED = "accepted", "已受理，订单已支付"
    DUPLICATE = "duplicate", "重复通知（已处理过）"
    MALFORMED = "malformed", "报文格式错误"
    BAD_SIGNATURE = "bad_signature", "签名验证失败"
    GATEWAY_KEY_MISSING = "gateway_key_missing", "平台未配置有效的渠道公钥"
    STALE = "stale", "时间戳超出有效期"
    REPLAYED = "replayed", "随机串重复使用"
    UNKNOWN_ORDER = "unknown_order", "订单不存在"
    AMOUNT_MISMATCH = "amount_mismatch", "金额与订单不符"
    ALREADY_PAID = "already_paid", "订单已由其他交易支付"
    ORDER_CLOSED = "order_closed", "订单已关闭"
    INVALID_TRANSITION = "invalid_transition", "保函已不在待支付状态"


# Outcomes the gateway is told "success" for: it stops retrying.
SUCCESS_OUTCOMES = (NotificationOutcome.ACCEPTED, NotificationOutcome.DUPLICATE)
