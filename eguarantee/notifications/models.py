from django.conf import settings
from django.db import models
from django.urls import reverse


class SmsMessage(models.Model):
    """Every SMS the platform sends, with its delivery state; the send log of 6.11.4."""

    class Status(models.TextChoices):
        QUEUED = "queued", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    mobile = models.CharField("手机号码", max_length=11, db_index=True)
    content = models.TextField("短信内容")
    purpose = models.CharField("用途", max_length=50, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    provider = models.CharField("通道", max_length=100, blank=True)
    provider_message_id = models.CharField("通道消息编号", max_length=100, blank=True)
    error = models.CharField("错误信息", max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "短信发送记录"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.mobile[:3]}****{self.mobile[-4:]} {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("notifications:sms_detail", args=[self.pk])


class InSiteMessage(models.Model):
    """站内信: shown to one user in the top bar and on the message page."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="messages"
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内信"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        default_permissions = ()

    def __str__(self):
        return self.title
