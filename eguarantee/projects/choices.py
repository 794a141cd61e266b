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
