from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from eguarantee.accounts.validators import validate_region_code
from eguarantee.core.models import TimeStampedModel
from eguarantee.core.regions import full_name as region_full_name

from .choices import DocumentType, ProjectSource, ProjectType

MONEY = {"max_digits": 18, "decimal_places": 2}


class Project(TimeStampedModel):
    """工程项目 (6.5.1). One row per 招标项目编号 across the platform: every applicant bidding on
    the same project shares it (ProjectParticipant) rather than entering a copy."""

    number = models.CharField("项目编号", max_length=64, unique=True)
    name = models.CharField("项目名称", max_length=200)
    project_type = models.CharField("项目类型", max_length=20, choices=ProjectType.choices, db_index=True)
    region_code = models.CharField("行政区划代码", max_length=6, validators=[validate_region_code], db_index=True)
    # The tenderee as entered; `beneficiary` is set once it is (or becomes) a registered
    # beneficiary organization with the same credit code.
    beneficiary = models.ForeignKey(
        "accounts.Organization",
        verbose_name="招标人/受益人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="beneficiary_projects",
    )
    beneficiary_name = models.CharField("招标人名称", max_length=200)
    beneficiary_credit_code = models.CharField("招标人统一社会信用代码", max_length=18, db_index=True)
    total_investment = models.DecimalField("总投资（元）", null=True, blank=True, **MONEY)
    contract_estimate = models.DecimalField("合同估算价（元）", **MONEY)
    bid_opening_at = models.DateTimeField("开标时间", db_index=True)
    bid_validity_days = models.PositiveIntegerField("投标有效期（天）", default=90)
    tender_announced_at = models.DateTimeField("招标公告时间", null=True, blank=True)
    source = models.CharField(
        "项目来源", max_length=20, choices=ProjectSource.choices, default=ProjectSource.MANUAL, db_index=True
    )
    external_id = models.CharField("外部系统项目标识", max_length=100, blank=True)
    created_by = models.ForeignKey(
        "accounts.Organization", verbose_name="录入单位", on_delete=models.PROTECT, related_name="entered_projects"
    )
    created_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    department = models.ForeignKey(
        "accounts.Organization",
        verbose_name="归口主管部门",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_projects",
    )
    locked_at = models.DateTimeField("锁定时间", null=True, blank=True)
    lock_reason = models.CharField("锁定原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "工程项目"
        verbose_name_plural = "工程项目"
        ordering = ["-created_at", "-id"]
        permissions = [
            ("join_project", "加入已有项目"),
            ("change_locked_project", "修改已出函项目"),
        ]

    def __str__(self):
        return f"{self.name}（{self.number}）"

    def get_absolute_url(self):
        return reverse("projects:project_detail", args=[self.pk])

    @property
    def region_name(self):
        return region_full_name(self.region_code) or self.region_code

    @property
    def is_locked(self):
        return self.locked_at is not None

    @property
    def bid_opening_passed(self):
        return self.bid_opening_at <= timezone.now()


class ProjectParticipant(models.Model):
    """An applicant organization that entered or joined a project and may apply for its
    guarantees."""

    project = models.ForeignKey(Project, verbose_name="工程项目", on_delete=models.CASCADE, related_name="participants")
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name="申请人单位",
        on_delete=models.PROTECT,
        related_name="project_participations",
    )
    joined_at = models.DateTimeField("加入时间", default=timezone.now)
    joined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "项目参与单位"
        verbose_name_plural = "项目参与单位"
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "organization"], name="project_participant_unique"),
        ]
        default_permissions = ()

    def __str__(self):
        return f"{self.organization}@{self.project.number}"


class BeneficiaryInvitation(models.Model):
    """A tenderee entered by name and credit code, invited by SMS to register; the project
    links to it when an organization with that code is approved."""

    project = models.ForeignKey(Project, verbose_name="工程项目", on_delete=models.CASCADE, related_name="invitations")
    name = models.CharField("招标人名称", max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18, db_index=True)
    mobile = models.CharField("联系手机", max_length=11)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="邀请人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField("邀请时间", default=timezone.now)
    sms = models.ForeignKey(
        "notifications.SmsMessage", verbose_name="邀请短信", null=True, blank=True, on_delete=models.SET_NULL
    )
    linked_organization = models.ForeignKey(
        "accounts.Organization", verbose_name="已关联单位", null=True, blank=True, on_delete=models.SET_NULL
    )
    linked_at = models.DateTimeField("关联时间", null=True, blank=True)

    class Meta:
        verbose_name = "受益人注册邀请"
        verbose_name_plural = "受益人注册邀请"
        ordering = ["-invited_at", "-id"]
        default_permissions = ()

    def __str__(self):
        return f"{self.name}（{self.credit_code}）"

    @property
    def masked_mobile(self):
        return f"{self.mobile[:3]}****{self.mobile[-4:]}" if self.mobile else ""


class Section(TimeStampedModel):
    """标段: what a bid guarantee is for; its bid bond is the guarantee amount."""

    project = models.ForeignKey(Project, verbose_name="工程项目", on_delete=models.CASCADE, related_name="sections")
    number = models.CharField("标段编号", max_length=64)
    name = models.CharField("标段名称", max_length=200)
    bid_bond_amount = models.DecimalField("投标保证金（元）", **MONEY)

    class Meta:
        verbose_name = "标段"
        verbose_name_plural = "标段"
        ordering = ["project_id", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="section_number_unique_in_project")]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.number} {self.name}"

    def get_absolute_url(self):
        return reverse("projects:section_detail", args=[self.pk])


def document_path(instance, filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"projects/{timezone.now():%Y/%m}/{instance.project_id}/{instance.sha256[:16]}.{extension}"


class ProjectDocument(models.Model):
    """项目资料: stored under its hash, with SM3 and SHA-256 kept for the evidence log."""

    project = models.ForeignKey(Project, verbose_name="工程项目", on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField("资料类型", max_length=20, choices=DocumentType.choices, db_index=True)
    file = models.FileField("文件", upload_to=document_path, max_length=255)
    original_name = models.CharField("文件名", max_length=255)
    size = models.PositiveBigIntegerField("文件大小（字节）")
    content_type = models.CharField("文件类型", max_length=100)
    sm3 = models.CharField("SM3", max_length=64)
    sha256 = models.CharField("SHA-256", max_length=64)
    note = models.CharField("说明", max_length=200, blank=True)
    organization = models.ForeignKey(
        "accounts.Organization", verbose_name="上传单位", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "项目资料"
        verbose_name_plural = "项目资料"
        ordering = ["-uploaded_at", "-id"]
        default_permissions = ("view", "add", "delete")

    def __str__(self):
        return f"{self.get_doc_type_display()}：{self.original_name}"

    def get_absolute_url(self):
        return reverse("projects:document_detail", args=[self.pk])
