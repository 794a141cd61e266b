from django.db import models
from django.urls import reverse

from .choices import Polarity, RecordKind


class CreditRecord(models.Model):
    """信用记录 (6.6.9): one behaviour of an enterprise on one guarantee, written in the same
    transaction as the business fact it follows from, and never changed afterwards.

    `source_event` is the guarantee event the record was drawn from (for 逾期缴费, the
    approval that started the payment period); with `kind` it is unique, so however often
    an event is heard or a job is run, a record is written once."""

    changelog_exempt = True  # append-only: a log itself, written once and never edited

    # Indexes are few on purpose: the release job writes 100,000 records in a run, and each
    # index costs every insert. (organization, kind) serves the organization lookups, the
    # unique (source_event, kind) the source-event ones.
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name="企业",
        on_delete=models.PROTECT,
        related_name="credit_records",
        db_index=False,
    )
    kind = models.CharField("信用行为", max_length=20, choices=RecordKind.choices)
    polarity = models.CharField("性质", max_length=10, choices=Polarity.choices, default=Polarity.NEUTRAL)
    guarantee = models.ForeignKey(
        "guarantees.Guarantee", verbose_name="电子保函", on_delete=models.PROTECT, related_name="credit_records"
    )
    source_event = models.ForeignKey(
        "guarantees.GuaranteeEvent",
        verbose_name="来源事件",
        on_delete=models.PROTECT,
        related_name="credit_records",
        db_index=False,
    )
    occurred_at = models.DateTimeField("发生时间", db_index=True)
    details = models.JSONField("详情", default=dict, blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "信用记录"
        verbose_name_plural = "信用记录"
        ordering = ["-occurred_at", "-id"]
        default_permissions = ("view",)  # read only: records are facts, not edited
        constraints = [models.UniqueConstraint(fields=["source_event", "kind"], name="credit_record_once")]
        indexes = [models.Index(fields=["organization", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.guarantee}）"

    def get_absolute_url(self):
        return reverse("credit:record_detail", args=[self.pk])
