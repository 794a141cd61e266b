"""保证人管理 (Q/GCDB 3—2020, 6.2): institution information with qualifications (6.2.1),
business information per guarantee type (6.2.2), versioned clauses (6.2.3).

Everything a guarantor owns points at its `accounts.Organization` (as catalog's templates
do), so one organization id scopes all of it; the profile is the one-per-guarantor record
of institution data."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from eguarantee.core import regions as region_table
from eguarantee.core.models import TimeStampedModel

from .choices import ClauseStatus, InstitutionType, QualificationKind, QualificationStatus

# A qualification whose validity ends within this many days is flagged, and its guarantor
# and the platform administrators are told once (jobs.check_qualifications).
EXPIRY_WARNING_DAYS = 30

GUARANTOR_ORGS = {"org_type": "guarantor"}


def certificate_path(instance, filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"guarantor-certificates/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class GuarantorProfile(TimeStampedModel):
    """机构信息: what a guarantor declares about itself, one record per organization."""

    organization = models.OneToOneField(
        "accounts.Organization",
        verbose_name="保证人单位",
        on_delete=models.PROTECT,
        related_name="guarantor_profile",
        limit_choices_to=GUARANTOR_ORGS,
    )
    institution_type = models.CharField("机构类型", max_length=30, choices=InstitutionType.choices, db_index=True)
    registered_capital = models.DecimalField(
        "注册资本（元）", max_digits=18, decimal_places=2, help_text="单位：元（人民币）"
    )
    credit_rating = models.CharField("信用评级", max_length=20, blank=True, help_text="如 AAA、AA+")
    rating_agency = models.CharField("评级机构", max_length=100, blank=True)
    rating_date = models.DateField("评级日期", null=True, blank=True)
    legal_representative = models.CharField("法定代表人", max_length=50)
    service_hotline = models.CharField("服务热线", max_length=30)
    short_code = models.CharField(
        "机构简码",
        max_length=10,
        unique=True,
        help_text="2～10位大写字母或数字，用于生成保函编号，设定后由平台管理员维护",
    )
    introduction = models.TextField("机构简介", blank=True)
    enabled = models.BooleanField("启用", default=True, help_text="停用后不能被选为保证人")

    class Meta:
        verbose_name = "保证人机构信息"
        verbose_name_plural = verbose_name
        ordering = ["short_code"]

    def __str__(self):
        return self.organization.name

    def get_absolute_url(self):
        return reverse("guarantors:profile_detail", args=[self.pk])


def valid_on_q(day, prefix=""):
    """Qualifications that count on `day`: current (not historical), started, not ended."""
    return Q(**{f"{prefix}is_historical": False, f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def status_q(status, day):
    """The rows whose computed status on `day` is `status` (list filters, the expiry job)."""
    horizon = day + timedelta(days=EXPIRY_WARNING_DAYS)
    current = Q(is_historical=False)
    if status == QualificationStatus.HISTORICAL:
        return Q(is_historical=True)
    if status == QualificationStatus.NOT_YET_VALID:
        return current & Q(valid_from__gt=day)
    if status == QualificationStatus.EXPIRED:
        return current & Q(valid_to__lt=day)
    if status == QualificationStatus.EXPIRING:
        return current & Q(valid_from__lte=day, valid_to__gte=day, valid_to__lte=horizon)
    if status == QualificationStatus.VALID:
        return current & Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=horizon))
    return Q()


class Qualification(TimeStampedModel):
    """资质: a licence or permit with its validity and the uploaded certificate."""

    guarantor = models.ForeignKey(
        "accounts.Organization",
        verbose_name="保证人",
        on_delete=models.PROTECT,
        related_name="guarantor_qualifications",
        limit_choices_to=GUARANTOR_ORGS,
    )
    kind = models.CharField("资质类别", max_length=40, choices=QualificationKind.choices)
    name = models.CharField("资质名称", max_length=100, blank=True, help_text="类别为“其他”时必填")
    licence_number = models.CharField("证书编号", max_length=100)
    issuing_body = models.CharField("发证机关", max_length=200)
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期止", null=True, blank=True, help_text="留空表示长期有效")
    is_historical = models.BooleanField(
        "历史记录", default=False, help_text="登记已失效的历史资质；历史记录不计为有效资质"
    )
    certificate = models.FileField("资质证书文件", upload_to=certificate_path, max_length=200)
    certificate_sha256 = models.CharField("证书SHA-256", max_length=64, editable=False)
    certificate_sm3 = models.CharField("证书SM3", max_length=64, editable=False)
    # The expiry date a warning was sent for: renewing (a new valid_to) arms the warning again.
    expiry_warned_for = models.DateField("已发送到期提醒的有效期止", null=True, blank=True, editable=False)
    expiry_warned_at = models.DateTimeField("到期提醒发送时间", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "保证人资质"
        verbose_name_plural = verbose_name
        ordering = ["guarantor_id", "kind", "-valid_from"]

    def __str__(self):
        return f"{self.display_name}（{self.licence_number}）"

    def get_absolute_url(self):
        return reverse("guarantors:qualification_detail", args=[self.pk])

    @property
    def display_name(self):
        return self.name if self.kind == QualificationKind.OTHER and self.name else self.get_kind_display()

    def status_on(self, day):
        if self.is_historical:
            return QualificationStatus.HISTORICAL
        if self.valid_from > day:
            return QualificationStatus.NOT_YET_VALID
        if self.valid_to is None:
            return QualificationStatus.VALID
        if self.valid_to < day:
            return QualificationStatus.EXPIRED
        if self.valid_to <= day + timedelta(days=EXPIRY_WARNING_DAYS):
            return QualificationStatus.EXPIRING
        return QualificationStatus.VALID

    @property
    def status(self):
        return self.status_on(timezone.localdate())

    @property
    def status_label(self):
        return QualificationStatus(self.status).label

    def is_valid_on(self, day):
        return self.status_on(day) in (QualificationStatus.VALID, QualificationStatus.EXPIRING)


class Offer(TimeStampedModel):
    """业务信息: what a guarantor offers for one guarantee type — where, at what price, how much."""

    guarantor = models.ForeignKey(
        "accounts.Organization",
        verbose_name="保证人",
        on_delete=models.PROTECT,
        related_name="guarantor_offers",
        limit_choices_to=GUARANTOR_ORGS,
    )
    guarantee_type = models.ForeignKey(
        "catalog.GuaranteeType", verbose_name="保函类型", on_delete=models.PROTECT, related_name="guarantor_offers"
    )
    regions = models.JSONField(
        "服务区域", default=list, help_text="6位行政区划代码；上级代码覆盖其下级（350000 覆盖全省）"
    )
    rate_min = models.DecimalField(
        "费率下限（%）", max_digits=7, decimal_places=4, help_text="百分比，如 0.5000 表示 0.5%"
    )
    rate_max = models.DecimalField("费率上限（%）", max_digits=7, decimal_places=4)
    min_premium = models.DecimalField("最低保费（元）", max_digits=18, decimal_places=2)
    max_single_amount = models.DecimalField("单笔最高担保金额（元）", max_digits=18, decimal_places=2)
    total_capacity = models.DecimalField("总担保额度（元）", max_digits=18, decimal_places=2)
    turnaround_hours = models.PositiveIntegerField("承诺出函时效（小时）")
    enabled = models.BooleanField("启用", default=True)
    note = models.CharField("备注", max_length=300, blank=True)

    class Meta:
        verbose_name = "保证人业务信息"
        verbose_name_plural = verbose_name
        ordering = ["guarantor_id", "guarantee_type__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["guarantor", "guarantee_type"], name="guarantor_offer_unique_type"),
        ]

    def __str__(self):
        return f"{self.guarantor.name}·{self.guarantee_type.name}"

    def get_absolute_url(self):
        return reverse("guarantors:offer_detail", args=[self.pk])

    @property
    def region_names(self):
        return "、".join(region_table.full_name(code) for code in self.regions or [])

    @property
    def rate_range(self):
        if self.rate_min == self.rate_max:
            return f"{self.rate_min}%"
        return f"{self.rate_min}% ～ {self.rate_max}%"


class Clause(TimeStampedModel):
    """业务条款, versioned. A published version is never changed in place (apart from closing
    its end date when a newer version takes over), so a guarantee can point at the exact
    version it was issued under."""

    guarantor = models.ForeignKey(
        "accounts.Organization",
        verbose_name="保证人",
        on_delete=models.PROTECT,
        related_name="guarantor_clauses",
        limit_choices_to=GUARANTOR_ORGS,
    )
    guarantee_type = models.ForeignKey(
        "catalog.GuaranteeType", verbose_name="保函类型", on_delete=models.PROTECT, related_name="guarantor_clauses"
    )
    title = models.CharField("条款标题", max_length=200)
    body = models.TextField("条款正文")
    version = models.PositiveIntegerField("版本号")
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True, help_text="留空表示长期有效，直至新版本生效")
    status = models.CharField(
        "状态", max_length=20, choices=ClauseStatus.choices, default=ClauseStatus.DRAFT, db_index=True
    )
    supersedes = models.ForeignKey(
        "self",
        verbose_name="取代的版本",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="superseded_by",
    )
    # The end date the superseded version had before this one closed it: restored if this
    # version is deleted before it ever comes into force.
    superseded_effective_to = models.DateField(null=True, blank=True, editable=False)
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
        verbose_name = "保证人业务条款"
        verbose_name_plural = verbose_name
        ordering = ["guarantor_id", "guarantee_type__sort_order", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["guarantor", "guarantee_type", "version"], name="guarantor_clause_version_unique"
            ),
        ]
        permissions = [("publish_clause", "发布保证人业务条款")]

    def __str__(self):
        return f"{self.title} v{self.version}"

    def get_absolute_url(self):
        return reverse("guarantors:clause_detail", args=[self.pk])

    def in_force_on(self, day):
        return (
            self.status == ClauseStatus.PUBLISHED
            and self.effective_from <= day
            and (self.effective_to is None or self.effective_to >= day)
        )

    @property
    def in_force(self):
        return self.in_force_on(timezone.localdate())

    @property
    def period(self):
        end = self.effective_to.isoformat() if self.effective_to else "长期"
        return f"{self.effective_from.isoformat()} 至 {end}"
