"""The evidence log's storage (DESIGN.md §6).

Entry: one leaf, written in the transaction of the fact it records; its place in the tree
(index) is given when the sequencer integrates it, right after commit.
Node: the hash of every complete subtree, keyed so that a root or a proof is one query on
the primary key and a full re-verification streams them in the order they were made.
"""

import datetime

from django.db import models
from django.urls import reverse
from django.utils import timezone


class Entry(models.Model):
    changelog_exempt = True  # a log of its own

    kind = models.CharField("类别", max_length=40)
    object_id = models.BigIntegerField("记录ID")
    subject_id = models.BigIntegerField("所属保函ID", null=True, blank=True, db_index=True)
    data = models.TextField("叶子数据")
    index = models.BigIntegerField("叶子序号", null=True, blank=True, unique=True)
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "存证记录"
        verbose_name_plural = verbose_name
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["kind", "object_id"], name="evidence_entry_object"),
            models.Index(fields=["id"], condition=models.Q(index__isnull=True), name="evidence_entry_pending"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.object_id}"


def node_key(level, index):
    """A complete subtree's key: the leaf that completes it, then its level. Ascending keys are
    the order in which appending leaves makes subtrees, so a re-verification streams them."""
    return ((((index + 1) << level) - 1) << 6) | level


class Node(models.Model):
    changelog_exempt = True  # a log of its own

    key = models.BigIntegerField(primary_key=True)
    hash = models.BinaryField(max_length=64)

    class Meta:
        verbose_name = "默克尔树节点"
        verbose_name_plural = verbose_name
        default_permissions = ()

    def __str__(self):
        return f"node {self.key}"


class LogState(models.Model):
    """One row: how many leaves the tree holds, and with which hash. The sequencer's lock."""

    changelog_exempt = True

    size = models.BigIntegerField(default=0)
    algorithm = models.CharField(max_length=10, blank=True)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"{self.size} leaves ({self.algorithm})"


class SigningKey(models.Model):
    """Every key that ever signed a tree head stays published, so old heads still verify."""

    key_id = models.CharField("密钥标识", max_length=16, unique=True)
    public_key = models.CharField("SM2公钥", max_length=130)
    first_used_at = models.DateTimeField("启用时间", default=timezone.now)
    retired_at = models.DateTimeField("停用时间", null=True, blank=True)

    class Meta:
        verbose_name = "树头签名密钥"
        verbose_name_plural = verbose_name
        default_permissions = ("view",)
        ordering = ["-first_used_at"]

    def __str__(self):
        return self.key_id


class TreeHead(models.Model):
    changelog_exempt = True  # a log of its own

    size = models.BigIntegerField("叶子数", unique=True)
    root = models.BinaryField("根哈希", max_length=64)
    algorithm = models.CharField("哈希算法", max_length=10)
    origin = models.CharField("日志标识", max_length=200)
    timestamp = models.BigIntegerField("签名时间（毫秒）")
    key_id = models.CharField("签名密钥", max_length=16)
    signature = models.BinaryField("SM2签名", max_length=200)
    confirmed_at = models.DateTimeField("见证确认时间", null=True, blank=True, db_index=True)
    created_at = models.DateTimeField("签发时间", default=timezone.now)

    class Meta:
        verbose_name = "签名树头"
        verbose_name_plural = verbose_name
        default_permissions = ("view",)
        ordering = ["-size"]

    def __str__(self):
        return f"树头 {self.size}"

    def get_absolute_url(self):
        return reverse("evidence:treehead_detail", args=[self.pk])

    @property
    def signed_at(self):
        return datetime.datetime.fromtimestamp(self.timestamp / 1000, tz=datetime.UTC)


class Witness(models.Model):
    """An independent co-signer, run by a department or a guarantor with its own key."""

    name = models.SlugField("见证节点名称", max_length=64, unique=True, allow_unicode=False)
    organization = models.ForeignKey(
        "accounts.Organization", verbose_name="运行单位", null=True, blank=True, on_delete=models.PROTECT
    )
    public_key = models.CharField("SM2公钥", max_length=130)
    key_id = models.CharField("密钥标识", max_length=16, editable=False)
    active = models.BooleanField("参与确认", default=True)
    last_seen_at = models.DateTimeField("最近联署时间", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "见证节点"
        verbose_name_plural = verbose_name
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("evidence:witness_detail", args=[self.pk])


class Cosignature(models.Model):
    changelog_exempt = True  # a log of its own

    head = models.ForeignKey(TreeHead, verbose_name="树头", on_delete=models.CASCADE, related_name="cosignatures")
    witness = models.ForeignKey(Witness, verbose_name="见证节点", on_delete=models.PROTECT, related_name="+")
    timestamp = models.BigIntegerField("联署时间（毫秒）")
    signature = models.BinaryField("SM2签名", max_length=200)
    received_at = models.DateTimeField("收到时间", default=timezone.now)

    class Meta:
        verbose_name = "见证联署"
        verbose_name_plural = verbose_name
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["head", "witness"], name="evidence_one_cosignature")]

    def __str__(self):
        return f"{self.witness_id} → {self.head_id}"


class WitnessAlarm(models.Model):
    witness = models.ForeignKey(Witness, verbose_name="见证节点", on_delete=models.PROTECT, related_name="alarms")
    reason = models.CharField("告警类型", max_length=40)
    message = models.CharField("说明", max_length=500)
    data = models.JSONField("详情", default=dict, blank=True)
    created_at = models.DateTimeField("告警时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "见证告警"
        verbose_name_plural = verbose_name
        default_permissions = ("view",)
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.witness} {self.reason}"

    def get_absolute_url(self):
        return reverse("evidence:alarm_detail", args=[self.pk])


class AuditCheckpoint(models.Model):
    """Where an audit table's hash chain stood, put into the tree (audit_chain.py)."""

    table = models.CharField("日志表", max_length=40)
    seq = models.BigIntegerField("链序号")
    chain_hash = models.BinaryField("链哈希", max_length=64)
    created_at = models.DateTimeField("时间", default=timezone.now)

    changelog_exempt = True

    class Meta:
        verbose_name = "审计链检查点"
        verbose_name_plural = verbose_name
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["table", "seq"], name="evidence_one_checkpoint")]

    def __str__(self):
        return f"{self.table} @{self.seq}"


class Anchoring(models.Model):
    changelog_exempt = True  # a log of its own

    head = models.ForeignKey(TreeHead, verbose_name="树头", on_delete=models.CASCADE, related_name="anchorings")
    anchor = models.CharField("锚定账本", max_length=50)
    reference = models.CharField("账本凭证", max_length=300)
    anchored_at = models.DateTimeField("锚定时间", default=timezone.now)

    class Meta:
        verbose_name = "树头锚定"
        verbose_name_plural = verbose_name
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["head", "anchor"], name="evidence_one_anchoring")]

    def __str__(self):
        return f"{self.anchor}: {self.reference}"
