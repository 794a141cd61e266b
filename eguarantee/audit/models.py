"""The audit trail: object changes, operations, logins. Append-only: rows are never edited
or deleted through the application; only the retention command removes old ones."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone


class AuditRecordError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditRecordError("审计记录不可修改。")

    def delete(self):
        raise AuditRecordError("审计记录不可删除，过期记录由保留期清理命令处理。")

    def purge_before(self, cutoff):
        """Retention only: remove rows older than cutoff, bypassing the append-only guard.
        One DELETE statement; rows are not loaded (nothing references an audit row) and no
        delete signals are sent. Returns the number of rows removed."""
        qs = self.filter(time__lt=cutoff).order_by()
        return qs._raw_delete(qs.db)


class AppendOnlyModel(models.Model):
    time = models.DateTimeField("时间", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    user_name = models.CharField("用户名", max_length=150, blank=True)
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name="单位",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    ip = models.GenericIPAddressField("IP地址", null=True, blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True, db_index=True)
    # The hash chain (evidence/audit_chain.py): set once, by the chain job, never by hand.
    chain_seq = models.BigIntegerField("链序号", null=True, blank=True, unique=True, editable=False)
    chain_hash = models.BinaryField("链哈希", null=True, blank=True, max_length=64, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-time", "-id"]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditRecordError("审计记录不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditRecordError("审计记录不可删除。")


class ObjectChange(AppendOnlyModel):
    class Action(models.TextChoices):
        CREATE = "create", "新增"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"

    action = models.CharField("操作", max_length=10, choices=Action.choices, db_index=True)
    content_type = models.ForeignKey(ContentType, verbose_name="对象类型", on_delete=models.PROTECT)
    object_id = models.CharField("对象ID", max_length=64, db_index=True)
    object_repr = models.CharField("对象", max_length=200)
    prechange_data = models.JSONField("修改前", null=True, blank=True)
    postchange_data = models.JSONField("修改后", null=True, blank=True)

    class Meta(AppendOnlyModel.Meta):
        verbose_name = "数据变更日志"
        verbose_name_plural = verbose_name
        default_permissions = ("view",)
        permissions = [("export_auditlog", "导出系统日志")]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"

    def get_absolute_url(self):
        return reverse("audit:objectchange_detail", args=[self.pk])

    def diff(self):
        """[(field, before, after)] for the fields that changed."""
        before = self.prechange_data or {}
        after = self.postchange_data or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class OperationLog(AppendOnlyModel):
    class Result(models.TextChoices):
        SUCCESS = "success", "成功"
        FAILURE = "failure", "失败"

    method = models.CharField("请求方法", max_length=10)
    path = models.CharField("路径", max_length=500)
    module = models.CharField("模块", max_length=50, db_index=True)
    action = models.CharField("操作", max_length=100, db_index=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    result = models.CharField("结果", max_length=10, choices=Result.choices, db_index=True)
    status_code = models.PositiveSmallIntegerField("状态码")
    duration_ms = models.PositiveIntegerField("耗时(毫秒)")
    params = models.JSONField("参数", default=dict, blank=True)
    user_agent = models.CharField("浏览器", max_length=400, blank=True)

    class Meta(AppendOnlyModel.Meta):
        verbose_name = "操作日志"
        verbose_name_plural = verbose_name
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.module} {self.action}"

    def get_absolute_url(self):
        return reverse("audit:operationlog_detail", args=[self.pk])


class LoginLog(AppendOnlyModel):
    username = models.CharField("登录名", max_length=150, db_index=True)
    success = models.BooleanField("成功", db_index=True)
    reason = models.CharField("原因代码", max_length=50, blank=True)
    message = models.CharField("说明", max_length=300, blank=True)
    user_agent = models.CharField("浏览器", max_length=400, blank=True)

    class Meta(AppendOnlyModel.Meta):
        verbose_name = "登录日志"
        verbose_name_plural = verbose_name
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.username} {'成功' if self.success else '失败'}"

    def get_absolute_url(self):
        return reverse("audit:loginlog_detail", args=[self.pk])
