from django.db import models


class OrgType(models.TextChoices):
    APPLICANT = "applicant", "申请人"
    GUARANTOR = "guarantor", "保证人"
    BENEFICIARY = "beneficiary", "受益人"
    DEPARTMENT = "department", "行政主管部门"
    PLATFORM = "platform", "平台运营方"
    EXTERNAL = "external", "外部系统"


# Who may register themselves on the portal (6.1.3); the others are created by the platform.
SELF_REGISTERING_TYPES = (OrgType.APPLICANT, OrgType.GUARANTOR, OrgType.BENEFICIARY)


class OrgStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "已驳回"
    LOCKED = "locked", "已锁定"


class UserStatus(models.TextChoices):
    ACTIVE = "active", "正常"
    LOCKED = "locked", "已锁定"
    DEACTIVATED = "deactivated", "已注销"


class SmsPurpose(models.TextChoices):
    PASSWORD_RESET = "password_reset", "找回密码"
