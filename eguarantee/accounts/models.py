from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.urls import reverse
from django.utils import timezone

from eguarantee.core.models import TimeStampedModel

from .choices import OrgStatus, OrgType, SmsPurpose, UserStatus
from .validators import (
    jurisdiction_prefix,
    validate_bank_account,
    validate_credit_code,
    validate_mobile,
    validate_region_code,
)


def licence_path(instance, filename):
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"licences/{timezone.now():%Y/%m}/{instance.credit_code}.{extension}"


class Organization(TimeStampedModel):
    name = models.CharField("单位名称", max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True, validators=[validate_credit_code])
    org_type = models.CharField("单位类型", max_length=20, choices=OrgType.choices, db_index=True)
    region_code = models.CharField("行政区划代码", max_length=6, validators=[validate_region_code])
    address = models.CharField("地址", max_length=300, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    contact_email = models.EmailField("联系邮箱", blank=True)
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    # 基本存款账户: what collusion checks compare (several bidders paying from one account).
    basic_account_bank = models.CharField("基本账户开户银行", max_length=100, blank=True)
    basic_account_number = models.CharField(
        "基本账户账号", max_length=32, blank=True, db_index=True, validators=[validate_bank_account]
    )
    business_licence = models.FileField("营业执照", upload_to=licence_path, blank=True)
    licence_sha256 = models.CharField("营业执照SHA-256", max_length=64, blank=True)
    licence_sm3 = models.CharField("营业执照SM3", max_length=64, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=OrgStatus.choices, default=OrgStatus.PENDING, db_index=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审批时间", null=True, blank=True)
    review_comment = models.CharField("审批意见", max_length=500, blank=True)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["-created_at"]
        permissions = [
            ("approve_organization", "审批注册单位"),
            ("lock_organization", "锁定/解锁单位"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("accounts:organization_detail", args=[self.pk])

    @property
    def is_platform(self):
        return self.org_type == OrgType.PLATFORM

    @property
    def jurisdiction(self):
        return jurisdiction_prefix(self.region_code)


def mask_mobile(mobile):
    return f"{mobile[:3]}****{mobile[-4:]}" if mobile else ""


class User(AbstractUser):
    # A person's name is one field in Chinese; first_name/last_name stay empty.
    full_name = models.CharField("姓名", max_length=50)
    organization = models.ForeignKey(
        Organization, verbose_name="所属单位", null=True, on_delete=models.PROTECT, related_name="users"
    )
    mobile = models.CharField("手机号码", max_length=11, unique=True, null=True, validators=[validate_mobile])
    status = models.CharField(
        "账号状态", max_length=20, choices=UserStatus.choices, default=UserStatus.ACTIVE, db_index=True
    )
    must_change_password = models.BooleanField("须修改密码", default=False)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    failed_login_count = models.PositiveIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("临时锁定至", null=True, blank=True)
    last_login_ip = models.GenericIPAddressField("最近登录IP", null=True, blank=True)
    previous_login_at = models.DateTimeField("上次登录时间", null=True, blank=True)
    previous_login_ip = models.GenericIPAddressField("上次登录IP", null=True, blank=True)
    deactivated_at = models.DateTimeField("注销时间", null=True, blank=True)
    # Bookkeeping, not facts: changed only by queryset updates (F expressions), never written
    # back from an instance loaded earlier (see save), and left out of the change log.
    permissions_stamp = models.PositiveIntegerField("权限版本", default=0, editable=False)
    unread_messages = models.PositiveIntegerField("未读站内信", default=0, editable=False)

    REQUIRED_FIELDS = ["email"]
    BOOKKEEPING_FIELDS = ("permissions_stamp", "unread_messages")

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]
        permissions = [
            ("lock_user", "锁定/解锁用户"),
            ("assign_role", "分配角色"),
        ]

    def __str__(self):
        return f"{self.full_name}（{self.username}）" if self.full_name else self.username

    def get_absolute_url(self):
        return reverse("accounts:user_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        """A full save of an existing user leaves the bookkeeping counters alone: the copy in
        memory may be older than a role change or a new message since it was loaded."""
        if not self._state.adding and self.pk is not None and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in self.BOOKKEEPING_FIELDS
            ]
        super().save(*args, **kwargs)

    @property
    def is_platform(self):
        return self.organization_id is not None and self.organization.org_type == OrgType.PLATFORM

    @property
    def masked_mobile(self):
        return mask_mobile(self.mobile)


class Role(Group):
    """A Django group with what the platform needs to know about it."""

    code = models.SlugField("角色编码", max_length=50, unique=True)
    org_type = models.CharField("适用单位类型", max_length=20, choices=OrgType.choices)
    enabled = models.BooleanField("启用", default=True)
    builtin = models.BooleanField("内置角色", default=False)
    description = models.CharField("说明", max_length=300, blank=True)
    # The default permissions already given to this built-in role once: a module added later
    # brings its defaults to existing roles, and a permission an administrator took away
    # stays away.
    granted_defaults = models.JSONField("已授予的默认权限", default=list, blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        ordering = ["org_type", "code"]

    def get_absolute_url(self):
        return reverse("accounts:role_detail", args=[self.pk])


class PasswordHistory(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        default_permissions = ()

    def __str__(self):
        return f"{self.user_id}@{self.created_at:%Y-%m-%d}"


class SmsCode(models.Model):
    """A verification code sent by SMS; only its hash is kept."""

    mobile = models.CharField(max_length=11, db_index=True)
    purpose = models.CharField(max_length=30, choices=SmsPurpose.choices)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        default_permissions = ()

    def __str__(self):
        return f"{self.mobile[:3]}****{self.mobile[-4:]} {self.get_purpose_display()}"
