"""Adapter for the sandbox gateway (sandbox_server.py, a separate process).

Protocol, as real Chinese acquirers use it: the payer's browser goes to the gateway's cashier
with the order in the query string; after payment the gateway POSTs a JSON notification to
the notify URL, signed SM3withSM2 over its non-sign fields joined as k=v&… in ascending key
order, and retries until the platform answers "success". The platform trusts the gateway's
public key it was configured with (PAYMENT_SANDBOX_PUBLIC_KEY, or the file the sandbox wrote,
PAYMENT_SANDBOX_PUBLIC_KEY_FILE), never one fetched at the time of verification.

The tampering this stops is in services (amount against the order): the cashier URL is in the
payer's hands, so the amount the gateway reports is the amount to check, not the one sent.
"""

import base64
import binascii
import json
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import gmssl_pyx
from django.conf import settings

from .base import Gateway, GatewayUnavailable, Notification, NotificationError, QueryResult

NOTIFY_FIELDS = ("amount", "nonce", "out_trade_no", "paid_at", "timestamp", "trade_no")
QUERY_FIELDS = ("amount", "nonce", "out_trade_no", "paid_at", "status", "timestamp", "trade_no")
MAX_FIELD = 64
QUERY_TIMEOUT = 5


def sign_string(fields):
    """The signed text: every field but `sign`, as k=v, in ascending key order, joined by &."""
    return "&".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "sign")


def default_key_file():
    return Path(settings.VAR_DIR) / "sandbox-gateway" / "notify-sm2.pub"


def public_key():
    """The sandbox's SM2 public key as configured (hex), 64 bytes."""
    configured = getattr(settings, "PAYMENT_SANDBOX_PUBLIC_KEY", "")
    if not configured:
        path = Path(getattr(settings, "PAYMENT_SANDBOX_PUBLIC_KEY_FILE", "") or default_key_file())
        try:
            configured = path.read_text().strip()
        except OSError:
            raise NotificationError("平台未配置支付渠道公钥，无法验证签名。", code="gateway_key_missing") from None
    try:
        return gmssl_pyx.normalize_sm2_public_key(configured)
    except (gmssl_pyx.InvalidValueError, ValueError):
        raise NotificationError("平台配置的支付渠道公钥无效。", code="gateway_key_missing") from None


def verify(fields, key):
    signature = fields.get("sign", "")
    try:
        der = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        return False
    if not der:
        return False
    try:
        return gmssl_pyx.sm2_verify(key, sign_string(fields).encode(), der)
    except gmssl_pyx.GmsslInnerError:
        return False


def _fields(raw, names, optional=()):
    """The JSON object's string fields, exactly `names` plus `sign`, or NotificationError.
    Fields in `optional` may be empty (an unpaid order has no trade number yet)."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise NotificationError("通知报文不是有效的JSON。", code="malformed") from None
    expected = {*names, "sign"}
    if not isinstance(data, dict) or set(data) != expected:
        raise NotificationError(f"通知报文须且只须包含字段：{'、'.join(sorted(expected))}。", code="malformed")
    if not all(
        isinstance(v, str) and (k in optional or v) and len(v) <= (200 if k == "sign" else MAX_FIELD)
        for k, v in data.items()
    ):
        raise NotificationError("通知报文的字段须为非空字符串且不超长。", code="malformed")
    return data


def _amount(text):
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise NotificationError("金额格式错误。", code="malformed") from None
    if not amount.is_finite() or amount.as_tuple().exponent != -2 or amount <= 0:
        raise NotificationError("金额须为两位小数的正数（元）。", code="malformed")
    return amount


def _moment(text):
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise NotificationError("支付时间格式错误。", code="malformed") from None
    if moment.tzinfo is None:
        raise NotificationError("支付时间须带时区。", code="malformed")
    return moment


class SandboxGateway(Gateway):
    code = "sandbox"
    label = "沙箱支付"

    @property
    def base_url(self):
        return getattr(settings, "PAYMENT_SANDBOX_URL", "http://127.0.0.1:8001").rstrip("/")

    def cashier_url(self, order, *, notify_url, return_url):
        query = urllib.parse.urlencode(
            {
                "out_trade_no": order.out_trade_no,
                "amount": f"{order.amount:.2f}",
                "subject": f"保费 {order.guarantee.order_number}",
                "notify_url": notify_url,
                "return_url": return_url,
            }
        )
        return f"{self.base_url}/cashier?{query}"

    def parse_notification(self, raw):
        fields = _fields(raw, NOTIFY_FIELDS)
        if not verify(fields, public_key()):
            raise NotificationError("通知签名验证失败。", code="bad_signature")
        try:
            if not fields["timestamp"].isdigit():
                raise NotificationError("时间戳格式错误。", code="malformed")
            return Notification(
                out_trade_no=fields["out_trade_no"],
                trade_no=fields["trade_no"],
                amount=_amount(fields["amount"]),
                paid_at=_moment(fields["paid_at"]),
                nonce=fields["nonce"],
                timestamp=int(fields["timestamp"]),
            )
        except NotificationError as exc:
            exc.verified = True
            exc.details = {**exc.details, "out_trade_no": fields["out_trade_no"]}
            raise

    def query(self, order):
        url = f"{self.base_url}/api/query?{urllib.parse.urlencode({'out_trade_no': order.out_trade_no})}"
        try:
            with urllib.request.urlopen(url, timeout=QUERY_TIMEOUT) as response:  # noqa: S310  configured http(s) URL
                raw = response.read(65536)
        except (urllib.error.URLError, OSError) as exc:
            raise GatewayUnavailable(f"无法连接支付渠道：{exc}") from None
        fields = _fields(raw, QUERY_FIELDS, optional=("amount", "paid_at", "trade_no"))
        if not verify(fields, public_key()):
            raise NotificationError("查询应答签名验证失败。", code="bad_signature")
        if fields["out_trade_no"] != order.out_trade_no:
            raise NotificationError("查询应答的订单号不符。", code="malformed")
        if fields["status"] != "paid":
            return QueryResult(out_trade_no=order.out_trade_no, status=fields["status"])
        return QueryResult(
            out_trade_no=order.out_trade_no,
            status="paid",
            trade_no=fields["trade_no"],
            amount=_amount(fields["amount"]),
            paid_at=_moment(fields["paid_at"]),
        )
