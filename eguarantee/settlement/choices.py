from django.db import models


class FeeKind(models.TextChoices):
    """What a fee record says happened to a guarantee's premium (6.8.2 对账单)."""

    RECEIVABLE = "receivable", "应收保费"
    RECEIVED = "received", "实收保费"
    REFUND = "refund", "退还保费"
