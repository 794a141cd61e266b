"""Permission-matrix lines for notifications: everyone's inbox, the SMS log for the
platform's system administrator."""

from eguarantee.core.matrix import ADMIN, EVERYONE, Route, pk
from eguarantee.notifications.models import SmsMessage

NAMESPACES = {"notifications"}


def sms(o):
    return SmsMessage.objects.create(mobile="13900000001", content="验证码123456", purpose="password_reset")


ROUTES = [
    Route("notifications:inbox", EVERYONE),
    Route("notifications:mark_read", EVERYONE, method="post", ok=302),
    Route("notifications:sms_list", ADMIN),
    Route("notifications:sms_detail", ADMIN, pk(sms)),
]
