"""保函结算 (6.8): the 业务台账 line made when a guarantee is issued, and the fee records
(应收 / 实收 / 退费) that the 对账单 is read from. Both are written only by the domain-event
subscribers (subscribers.py), inside the transaction of the fact they record."""

from django.db import models
from django.urls import reverse
from django.utils import timezone

from .choices import FeeKind

MONEY = {"max_digits": 18, "decimal_places": 2}


class LedgerLine(models.Model):
    """业务台账 (6.8.1): one line per issued guarantee, the terms as they were at issue.

    The names of the project and section are copied, so the ledger keeps saying what was
    issued on what even if the project is later renamed by the platform administrator.

    The line's status and closing time are deliberately NOT stored: they are the guarantee's
    own (released, surrendered, claimed…), read through the one-to-one join. A stored copy
    would have to be rewritten on every release — the daily job releases 100,000 guarantees
    in one run, and one more UPDATE per guarantee there was the cost we refused — and a
    copy is a second truth that can drift from the first."""

    changelog_exempt = True  # written once by the issue, itself a record of it

    guarantee = models.OneToOneField(
        "guarantees.Guarantee", verbose_name="电子保函", on_delete=models.PROTECT, related_name="ledger_line"
    )
    number = models.CharField("保函编号", max_length=40)
    guarantee_type = models.ForeignKey(
        "catalog.GuaranteeType", verbose_name="保函类型", on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.ForeignKey(
        "accounts.Organization", verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    guarantor = models.ForeignKey(
        "accounts.Organization", verbose_name="保证人", on_delete=models.PROTECT, related_name="+"
    )
    beneficiary_name = models.CharField("受益人", max_length=200)
    project_name = models.CharField("工程名称", max_length=200, blank=True)
    section_name = models.CharField("标段", max_length=200, blank=True)
    department = models.ForeignKey(
        "accounts.Organization",
        verbose_name="归口主管部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = models.DecimalField("担保金额（元）", **MONEY)
    premium = models.DecimalField("保费（元）", **MONEY)
    rate = models.DecimalField("费率（%）", max_digits=7, decimal_places=4, null=True, blank=True)
    start_date = models.DateField("生效日期")
    end_date = models.DateField("失效日期")
    issued_at = models.DateTimeField("出函时间")

    class Meta:
        verbose_name = "业务台账"
        verbose_name_plural = "业务台账"
        ordering = ["-issued_at", "-id"]
        default_permissions = ("view",)
        # The list filters by guarantor, applicant and department, each by issue date.
        indexes = [
            models.Index(fields=["guarantor", "issued_at"], name="ledger_guarantor_issued"),
            models.Index(fields=["applicant", "issued_at"], name="ledger_applicant_issued"),
            models.Index(fields=["department", "issued_at"], name="ledger_department_issued"),
            models.Index(fields=["guarantee_type", "issued_at"], name="ledger_type_issued"),
            models.Index(fields=["issued_at"], name="ledger_issued"),
            models.Index(fields=["end_date"], name="ledger_end_date"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("settlement:ledger_detail", args=[self.pk])

    @property
    def status(self):
        return self.guarantee.status

    def get_status_display(self):
        return self.guarantee.get_status_display()

    @property
    def closed_at(self):
        return self.guarantee.closed_at


class FeeRecord(models.Model):
    """保费记录: one movement of a guarantee's premium — receivable when issued, received when
    paid, refunded when a paid application is cancelled. The state table lets each happen
    at most once per guarantee, and the constraint holds the subscribers to it."""

    changelog_exempt = True  # written once by the fact it records

    guarantee = models.ForeignKey(
        "guarantees.Guarantee", verbose_name="电子保函", on_delete=models.PROTECT, related_name="fee_records"
    )
    kind = models.CharField("类别", max_length=20, choices=FeeKind.choices)
    amount = models.DecimalField("金额（元）", **MONEY)
    payer = models.ForeignKey(
        "accounts.Organization", verbose_name="付款单位", on_delete=models.PROTECT, related_name="+"
    )
    payee = models.ForeignKey(
        "accounts.Organization", verbose_name="收款单位", on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField("发生时间", default=timezone.now)
    reference = models.CharField("凭证号", max_length=100, blank=True)

    class Meta:
        verbose_name = "保费记录"
        verbose_name_plural = "保费记录"
        ordering = ["-occurred_at", "-id"]
        default_permissions = ("view",)
        constraints = [models.UniqueConstraint(fields=["guarantee", "kind"], name="fee_record_once_per_kind")]
        indexes = [
            models.Index(fields=["payer", "occurred_at"], name="fee_payer_occurred"),
            models.Index(fields=["payee", "occurred_at"], name="fee_payee_occurred"),
            models.Index(fields=["kind", "occurred_at"], name="fee_kind_occurred"),
            models.Index(fields=["occurred_at"], name="fee_occurred"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"
