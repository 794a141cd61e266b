"""SMS senders. A sender turns (mobile, content) into a delivery or an exception; which one
runs is the SMS_SENDER setting. Providers for production (阿里云, 腾讯云, 移动云MAS) implement
the same `send` and return the provider's message id."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


class SmsSendError(Exception):
    pass


@dataclass
class SendResult:
    provider: str
    message_id: str = ""


class BaseSender:
    name = "base"

    def send(self, mobile: str, content: str) -> SendResult:
        raise NotImplementedError


class LogSender(BaseSender):
    """Development sender: the message stays in the send log, where the administrator (and
    a developer testing password recovery) reads it. Nothing leaves the machine."""

    name = "开发通道（仅记录）"

    def send(self, mobile, content):
        return SendResult(provider=self.name, message_id="")


class FailingSender(BaseSender):
    """Always fails; lets tests and drills show that a failed send undoes nothing."""

    name = "故障演练通道"

    def send(self, mobile, content):
        raise SmsSendError("通道不可用（演练）")


def get_sender() -> BaseSender:
    return import_string(settings.SMS_SENDER)()
