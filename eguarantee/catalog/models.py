from django.conf import settings
from django.db import models
from django.urls import reverse

from eguarantee.core.models import TimeStampedModel

from .choices import TemplateStatus, ValidityRule


class GuaranteeType(TimeStampedModel):
    """保函类型 (6.4.1). Everything that refers to a type protects it: a type in use can be
    disabled, never deleted."""

    code = models.SlugField("类型编码", max_length=30, unique=True)
    name = models.CharField("类型名称", max_length=50, unique=True)
    builtin = models.BooleanField("内置类型", default=False, editable=False)
    enabled = models.BooleanField("启用", default=True)
    requires_tender = models.BooleanField(
        "须关联招标项目标段", default=False, help_text="投标保函须选择项目标段；其他类型可直接填写受益人"
    )
    application_fields = models.JSONField("申请须填写的字段", default=list, blank=True)
    required_attachments = models.JSONField("须上传的附件", default=list, blank=True)
    validity_rule = models.CharField("默认有效期规则", max_length=20, choices=ValidityRule.choices)
    validity_days = models.PositiveIntegerField("固定有效天数", null=True, blank=True)
    sealed_allowed = models.BooleanField("允许密文出函", default=False)
    description = models.CharField("说明", max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        verbose_name = "保函类型"
        verbose_name_plural = "保函类型"
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:type_detail", args=[self.pk])


class GuaranteeTemplate(TimeStampedModel):
    """保函模板 (6.4.2): per guarantor and type, or the platform's default for a type
    (guarantor empty). Versioned: a published version is never edited; a new draft is."""

    guarantee_type = models.ForeignKey(
        GuaranteeType, verbose_name="保函类型", on_delete=models.PROTECT, related_name="templates"
    )
    guarantor = models.ForeignKey(
        "accounts.Organization",
        verbose_name="保证人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="guarantee_templates",
        help_text="为空表示平台默认模板",
    )
    name = models.CharField("模板名称", max_length=100)
    version = models.PositiveIntegerField("版本号", default=1)
    status = models.CharField(
        "状态", max_length=20, choices=TemplateStatus.choices, default=TemplateStatus.DRAFT, db_index=True
    )
    title = models.CharField("保函标题", max_length=100, blank=True)
    body = models.TextField("模板正文")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "保函模板"
        verbose_name_plural = "保函模板"
        ordering = ["guarantee_type__sort_order", "guarantor_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["guarantee_type", "guarantor", "version"], name="template_version_unique"),
            models.UniqueConstraint(
                fields=["guarantee_type", "version"],
                condition=models.Q(guarantor__isnull=True),
                name="platform_template_version_unique",
            ),
        ]
        permissions = [("publish_guaranteetemplate", "发布保函模板")]

    def __str__(self):
        return f"{self.name} v{self.version}"

    def get_absolute_url(self):
        return reverse("catalog:template_detail", args=[self.pk])
