from django.db import models


class InstitutionType(models.TextChoices):
    BANK = "bank", "银行"
    INSURER = "insurer", "保险公司"
    GUARANTEE_COMPANY = "guarantee_company", "担保公司"


class QualificationKind(models.TextChoices):
    FINANCIAL_LICENCE = "financial_licence", "金融许可证"
    INSURANCE_LICENCE = "insurance_licence", "保险许可证"
    FINANCING_GUARANTEE_LICENCE = "financing_guarantee_licence", "融资担保业务经营许可证"
    BUSINESS_LICENCE = "business_licence", "营业执照"
    OTHER = "other", "其他"


class QualificationStatus(models.TextChoices):
    """Computed from the dates on a given day, never stored: a stored status would go stale
    at midnight."""

    VALID = "valid", "有效"
    EXPIRING = "expiring", "即将到期"
    EXPIRED = "expired", "已过期"
    NOT_YET_VALID = "not_yet_valid", "未生效"
    HISTORICAL = "historical", "历史记录"


class ClauseStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
