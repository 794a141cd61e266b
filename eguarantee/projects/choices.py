from django.db import models


class ProjectType(models.TextChoices):
    """工程类别: what 归口 rules map to a department, together with the region."""

    BUILDING = "building", "房屋建筑工程"
    MUNICIPAL = "municipal", "市政公用工程"
    TRANSPORT = "transport", "交通运输工程"
    WATER = "water", "水利水电工程"
    POWER = "power", "电力工程"
    LANDSCAPE = "landscape", "园林绿化工程"
    OTHER = "other", "其他工程"


class ProjectSource(models.TextChoices):
    MANUAL = "manual", "手工录入"
    TRADING_CENTRE = "trading_centre", "交易中心同步"


class DocumentType(models.TextChoices):
    TENDER_NOTICE = "tender_notice", "招标公告"
    TENDER_DOCUMENT = "tender_document", "招标文件"
    CONTRACT = "contract", "施工合同"
    AWARD_NOTICE = "award_notice", "中标通知书"
    OTHER = "other", "其他"
