"""What the platform needs from a payment gateway: a cashier for an order, a verified parse of
its notifications, and a query of an order's state. Business rules (amount, freshness,
idempotency) stay in services.py; an adapter only speaks its gateway's protocol."""

import abc
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from eguarantee.core.exceptions import ServiceError


class NotificationError(ServiceError):
    """The notification cannot be trusted or read (code: malformed, bad_signature).
    `verified`: the signature held, and a signed field is what is wrong."""

    verified = False


class GatewayUnavailable(ServiceError):
    code = "gateway_unavailable"
    status = 503


@dataclass(frozen=True)
class Notification:
    """A verified payment notification."""

    out_trade_no: str
    trade_no: str
    amount: Decimal
    paid_at: datetime
    nonce: str
    timestamp: int


@dataclass(frozen=True)
class QueryResult:
    out_trade_no: str
    status: str  # "paid", "unpaid" or "unknown" (the gateway never saw the order)
    trade_no: str = ""
    amount: Decimal | None = None
    paid_at: datetime | None = None


class Gateway(abc.ABC):
    code = ""
    label = ""
    # What the gateway expects as the body of the answer to a notification.
    success_body = "success"
    failure_body = "fail"

    @abc.abstractmethod
    def cashier_url(self, order, *, notify_url, return_url):
        """The address the payer's browser is sent to, to pay `order`."""

    @abc.abstractmethod
    def parse_notification(self, raw: bytes) -> Notification:
        """Verify the signature and read the fields, or raise NotificationError."""

    @abc.abstractmethod
    def query(self, order) -> QueryResult:
        """Ask the gateway for the order's state (verified), or raise GatewayUnavailable."""
