from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from eguarantee.core.models import TimeStampedModel

from .choices import (
    ISSUED_STATES,
    OPEN_AMENDMENT_STATES,
    AmendmentStatus,
    CollusionBasis,
    FilingStatus,
    GuaranteeStatus,
    InspectionResult,
    in_force,
)

MONEY = {"max_digits": 18, "decimal_places": 2}


class Guarantee(TimeStampedModel):
    """电子保函: one application from draft to release (DESIGN.md §5). The parties are kept as
    organizations and, for the beneficiary, also by name and credit code as entered, because a
    tenderee need not be registered on the platform."""

    order_number = models.CharField("申请单号", max_length=32, unique=True)
    number = models.CharField("保函编号", max_length=40, unique=True, null=True, blank=True)
    verification_code = models.CharField("验真码", max_length=16, blank=True)
    guarantee_type = models.ForeignKey(
        "catalog.GuaranteeType", verbose_name="保函类型", on_delete=models.PROTECT, related_name="guarantees"
    )
    status = models.CharField(
        "状态", max_length=20, choices=GuaranteeStatus.choices, default=GuaranteeStatus.DRAFT, db_index=True
    )
    applicant = models.ForeignKey(
        "accounts.Organization", verbose_name="申请人", on_delete=models.PROTECT, related_name="applied_guarantees"
    )
    guarantor = models.ForeignKey(
        "accounts.Organization",
        verbose_name="保证人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_guarantees",
    )
    beneficiary = models.ForeignKey(
        "accounts.Organization",
        verbose_name="受益人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="beneficiary_guarantees",
    )
    beneficiary_name = models.CharField("受益人名称", max_length=200)
    beneficiary_credit_code = models.CharField("受益人统一社会信用代码", max_length=18, db_index=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="工程项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="guarantees",
    )
    section = models.ForeignKey(
        "projects.Section",
        verbose_name="标段",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="guarantees",
    )
    department = models.ForeignKey(
        "accounts.Organization",
        verbose_name="归口主管部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_guarantees",
    )
    amount = models.DecimalField("担保金额（元）", **MONEY)
    outstanding_amount = models.DecimalField("剩余担保金额（元）", null=True, blank=True, **MONEY)
    rate = models.DecimalField("费率（%）", max_digits=7, decimal_places=4, null=True, blank=True)
    premium = models.DecimalField("保费（元）", null=True, blank=True, **MONEY)
    start_date = models.DateField("生效日期")
    end_date = models.DateField("失效日期", db_index=True)
    sealed = models.BooleanField("密文出函", default=False)
    unsealed_at = models.DateTimeField("解密时间", null=True, blank=True)
    fields = models.JSONField("申请信息", default=dict, blank=True)
    template = models.ForeignKey(
        "catalog.GuaranteeTemplate",
        verbose_name="保函模板",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="guarantees",
    )
    clause = models.ForeignKey(
        "guarantors.Clause",
        verbose_name="保函条款",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="guarantees",
    )
    filing_status = models.CharField(
        "报送状态", max_length=20, choices=FilingStatus.choices, default=FilingStatus.NOT_FILED, db_index=True
    )
    issued_at = models.DateTimeField("出函时间", null=True, blank=True)
    closed_at = models.DateTimeField("解保/退保/理赔时间", null=True, blank=True)
    document = models.FileField("保函文件", upload_to="guarantees/%Y/%m/", blank=True)
    document_sm3 = models.CharField("保函文件SM3", max_length=64, blank=True)
    document_sha256 = models.CharField("保函文件SHA-256", max_length=64, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "电子保函"
        verbose_name_plural = "电子保函"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["applicant", "status"]),
            models.Index(fields=["guarantor", "status"]),
            # the list's order: keyset pages read one page of this index (core/pagination.py)
            models.Index(fields=["created_at", "id"], name="guarantee_list_order"),
        ]
        permissions = [
            ("review_guarantee", "审核保函申请"),
            ("issue_guarantee", "出具保函"),
            ("release_guarantee", "确认提前解保"),
            ("review_filing", "受理保函报送"),
            ("unseal_guarantee", "发出解密通知"),
        ]

    def __str__(self):
        return self.number or self.order_number

    def get_absolute_url(self):
        return reverse("guarantees:guarantee_detail", args=[self.pk])

    @property
    def is_issued(self):
        return self.status in ISSUED_STATES

    @property
    def open_to_beneficiary(self):
        """A sealed guarantee stays closed to the beneficiary until bid opening, or until a
        decryption notice (解密通知) opens it earlier."""
        if not self.sealed or self.unsealed_at is not None:
            return True
        return self.project is not None and self.project.bid_opening_passed

    @property
    def in_force(self):
        return in_force(self.status, self.end_date)


# Timeline events that are not moves of the state table.
OTHER_EVENT_LABELS = {
    "create": "创建申请",
    "attach": "上传附件",
    "file": "报送主管部门",
    "filing_accepted": "主管部门受理报送",
    "filing_returned": "主管部门退回报送",
    "unseal": "解密",
    "edit": "修改申请",
    "amend_request": "申请变更",
    "amend_approve": "保证人同意变更",
    "amend_refuse": "保证人不同意变更",
    "amend_accept": "受益人接受变更，出具新版本保函",
    "amend_decline": "受益人不接受变更",
    "amend_withdraw": "撤回变更申请",
}


class GuaranteeEvent(models.Model):
    """The guarantee's own timeline (who, when, what, why), shown to the parties."""

    changelog_exempt = True  # append-only, and itself the trail of the guarantee's changes

    guarantee = models.ForeignKey(Guarantee, verbose_name="电子保函", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=40)
    from_status = models.CharField("原状态", max_length=20, blank=True)
    to_status = models.CharField("新状态", max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name="操作单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    comment = models.TextField("说明", blank=True)
    data = models.JSONField("数据", default=dict, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "保函事件"
        verbose_name_plural = "保函事件"
        ordering = ["created_at", "id"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.guarantee} {self.action}"

    @property
    def action_label(self):
        from .workflow import TRANSITIONS

        move = TRANSITIONS.get(self.action)
        return move.label if move else OTHER_EVENT_LABELS.get(self.action, self.action)


class Inspection(models.Model):
    """查验记录 (6.3.3): who checked what, when, and what the platform answered."""

    changelog_exempt = True  # a log itself, written once

    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="查验人", on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "accounts.Organization", verbose_name="查验单位", null=True, on_delete=models.PROTECT, related_name="+"
    )
    query = models.JSONField("查验条件", default=dict)
    guarantee = models.ForeignKey(
        Guarantee, verbose_name="电子保函", null=True, blank=True, on_delete=models.PROTECT, related_name="inspections"
    )
    result = models.CharField("查验结果", max_length=20, choices=InspectionResult.choices)
    status_seen = models.CharField("查验时状态", max_length=20, blank=True)
    created_at = models.DateTimeField("查验时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "查验记录"
        verbose_name_plural = "查验记录"
        ordering = ["-created_at", "-id"]
        default_permissions = ("view", "add")

    def __str__(self):
        return f"{self.get_result_display()} {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("guarantees:inspection_detail", args=[self.pk])


class NumberSequence(models.Model):
    """The last 保函编号 sequence used per guarantor and year. Taken under a row lock in the
    issuing transaction, so numbers are unique and a rolled-back issue leaves no gap."""

    changelog_exempt = True  # a counter; the numbers it hands out are on the guarantees

    guarantor = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["guarantor", "year"], name="number_sequence_unique")]

    def __str__(self):
        return f"{self.guarantor_id}/{self.year}: {self.last}"


def attachment_path(instance, filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"guarantees/attachments/{timezone.now():%Y/%m}/{instance.guarantee_id}/{instance.sha256[:16]}.{extension}"


class GuaranteeAttachment(models.Model):
    """An attachment the guarantee type asks for (中标通知书, 施工合同 …), kept with its hashes."""

    guarantee = models.ForeignKey(
        Guarantee, verbose_name="电子保函", on_delete=models.CASCADE, related_name="attachments"
    )
    key = models.CharField("附件类别", max_length=50)
    label = models.CharField("附件名称", max_length=50)
    file = models.FileField("文件", upload_to=attachment_path, max_length=255)
    original_name = models.CharField("原文件名", max_length=255)
    size = models.PositiveBigIntegerField("文件大小（字节）")
    content_type = models.CharField("文件类型", max_length=100)
    sm3 = models.CharField("SM3", max_length=64)
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "保函附件"
        verbose_name_plural = "保函附件"
        ordering = ["guarantee_id", "key", "id"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.label}：{self.original_name}"


class GuaranteeDocument(models.Model):
    """One version of the issued document. An amendment issues a new version; the old one is
    kept, marked superseded, so a holder of it can still be told what became of it."""

    changelog_exempt = True  # append-only; the versions themselves are the history

    guarantee = models.ForeignKey(Guarantee, verbose_name="电子保函", on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveSmallIntegerField("版本")
    file = models.FileField("保函文件", upload_to="guarantees/%Y/%m/", max_length=255)
    sm3 = models.CharField("SM3", max_length=64)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    amount = models.DecimalField("担保金额（元）", **MONEY)
    end_date = models.DateField("失效日期")
    issued_at = models.DateTimeField("出具时间")
    superseded_at = models.DateTimeField("被替代时间", null=True, blank=True)
    amendment = models.ForeignKey(
        "Amendment", verbose_name="保函变更", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "保函文件版本"
        verbose_name_plural = "保函文件版本"
        ordering = ["guarantee_id", "version"]
        default_permissions = ("view",)
        constraints = [models.UniqueConstraint(fields=["guarantee", "version"], name="guarantee_document_version")]

    def __str__(self):
        return f"{self.guarantee}（第{self.version}版）"


class Amendment(TimeStampedModel):
    """保函变更: a new end date and/or a new amount for an issued guarantee."""

    guarantee = models.ForeignKey(
        Guarantee, verbose_name="电子保函", on_delete=models.CASCADE, related_name="amendments"
    )
    sequence = models.PositiveSmallIntegerField("变更序号")
    status = models.CharField(
        "状态", max_length=20, choices=AmendmentStatus.choices, default=AmendmentStatus.REQUESTED, db_index=True
    )
    old_amount = models.DecimalField("原担保金额（元）", **MONEY)
    new_amount = models.DecimalField("变更后担保金额（元）", **MONEY)
    old_end_date = models.DateField("原失效日期")
    new_end_date = models.DateField("变更后失效日期")
    reason = models.TextField("变更原因")
    additional_premium = models.DecimalField("应补保费（元）", null=True, blank=True, **MONEY)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "保函变更"
        verbose_name_plural = "保函变更"
        ordering = ["guarantee_id", "sequence"]
        permissions = [("accept_amendment", "确认保函变更")]
        constraints = [models.UniqueConstraint(fields=["guarantee", "sequence"], name="amendment_sequence")]

    def __str__(self):
        return f"{self.guarantee}第{self.sequence}次变更"

    @property
    def is_open(self):
        return self.status in OPEN_AMENDMENT_STATES


class CollusionWarning(models.Model):
    """围标串标 warning: two applicants for the same section share a basic account or a legal
    representative. Raised when the later application is submitted; the guarantors and the
    department are told, the applicants are not."""

    changelog_exempt = True  # written once by the platform, never edited

    section = models.ForeignKey(
        "projects.Section", verbose_name="标段", on_delete=models.CASCADE, related_name="collusion_warnings"
    )
    guarantee = models.ForeignKey(
        Guarantee, verbose_name="触发的保函申请", on_delete=models.CASCADE, related_name="collusion_warnings"
    )
    other = models.ForeignKey(Guarantee, verbose_name="关联的保函申请", on_delete=models.CASCADE, related_name="+")
    basis = models.CharField("预警依据", max_length=40, choices=CollusionBasis.choices)
    shared_value = models.CharField("相同信息", max_length=100)
    created_at = models.DateTimeField("预警时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "串标预警"
        verbose_name_plural = "串标预警"
        ordering = ["-created_at", "-id"]
        default_permissions = ("view",)
        constraints = [models.UniqueConstraint(fields=["guarantee", "other", "basis"], name="collusion_warning_once")]

    def __str__(self):
        return f"{self.section}：{self.get_basis_display()}"

    def get_absolute_url(self):
        return reverse("guarantees:guarantee_detail", args=[self.guarantee_id])
