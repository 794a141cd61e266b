"""行政管理部门配置 (6.3): each department organization's profile, and the 归口 rules that put a
department in charge of a project type in a region (6.3.2)."""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from eguarantee.accounts.validators import jurisdiction_prefix, validate_region_code
from eguarantee.core import regions
from eguarantee.core.models import TimeStampedModel
from eguarantee.projects.choices import ProjectType

DEPARTMENT = "department"  # accounts.choices.OrgType.DEPARTMENT, spelled once for limit_choices_to


def level_of(region_code):
    """The administrative level a region code stands for: province / city / district."""
    return regions.level(region_code) if region_code else None


def level_label(region_code):
    return regions.LEVEL_LABELS.get(level_of(region_code), "")


def contains(outer_code, inner_code):
    """Whether the region outer_code covers inner_code (350200 covers 350203 and itself)."""
    return bool(outer_code and inner_code) and inner_code.startswith(jurisdiction_prefix(outer_code))


class DepartmentProfile(TimeStampedModel):
    """What the platform keeps about a department beyond the organization record.

    The level is not stored: it is read from the organization's region code every time, so
    it can never disagree with it (an edited region code changes the level at once)."""

    organization = models.OneToOneField(
        "accounts.Organization",
        verbose_name="部门单位",
        on_delete=models.CASCADE,  # the profile has no meaning without its organization
        related_name="department_profile",
        limit_choices_to={"org_type": DEPARTMENT},
    )
    parent = models.ForeignKey(
        "accounts.Organization",
        verbose_name="上级部门",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="child_department_profiles",
        limit_choices_to={"org_type": DEPARTMENT},
    )
    duties = models.TextField("职责说明", max_length=2000, blank=True)
    contact_name = models.CharField("业务联系人", max_length=50, blank=True)
    contact_phone = models.CharField("业务联系电话", max_length=20, blank=True)
    contact_email = models.EmailField("业务联系邮箱", blank=True)
    office_address = models.CharField("办公地址", max_length=300, blank=True)

    class Meta:
        verbose_name = "部门档案"
        verbose_name_plural = "部门档案"
        ordering = ["organization__region_code", "organization__name"]

    def __str__(self):
        return str(self.organization)

    def get_absolute_url(self):
        return reverse("departments:department_detail", args=[self.organization_id])

    @property
    def level(self):
        return level_of(self.organization.region_code)

    @property
    def level_label(self):
        return level_label(self.organization.region_code)


class JurisdictionRule(TimeStampedModel):
    """归口规则: projects of `project_type` in `region_code` (and the regions below it, unless a
    more specific rule says otherwise) are in the charge of `department`."""

    project_type = models.CharField("工程类型", max_length=20, choices=ProjectType.choices, db_index=True)
    region_code = models.CharField("行政区划代码", max_length=6, validators=[validate_region_code], db_index=True)
    department = models.ForeignKey(
        "accounts.Organization",
        verbose_name="主管部门",
        # A deleted department takes its rules along; the rules_changed signal still fires
        # (signals.py listens to post_delete), so projects are re-assigned.
        on_delete=models.CASCADE,
        related_name="jurisdiction_rules",
        limit_choices_to={"org_type": DEPARTMENT},
    )
    enabled = models.BooleanField("启用", default=True)
    note = models.CharField("备注", max_length=300, blank=True)

    class Meta:
        verbose_name = "归口规则"
        verbose_name_plural = "归口规则"
        ordering = ["project_type", "region_code", "-enabled", "pk"]
        constraints = [
            # The service refuses a second enabled rule with a clear message; the index
            # keeps two simultaneous requests from both getting through.
            models.UniqueConstraint(
                fields=["project_type", "region_code"],
                condition=Q(enabled=True),
                name="departments_one_enabled_rule_per_type_region",
            ),
        ]

    def __str__(self):
        return f"{self.get_project_type_display()} · {self.region_code} {self.region_name} → {self.department}"

    def get_absolute_url(self):
        return reverse("departments:rule_detail", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # What the row said when loaded, so a change of type or region can announce both
        # the scope it leaves and the scope it enters.
        instance._loaded_scope = (instance.__dict__.get("project_type"), instance.__dict__.get("region_code"))
        return instance

    @property
    def region_name(self):
        return regions.full_name(self.region_code) if self.region_code else ""

    @property
    def level_label(self):
        return level_label(self.region_code)

    @property
    def department_covers_region(self):
        """False when the department's own region code was changed after the rule was made
        and no longer covers the rule's region: shown as a warning on the rule."""
        return contains(self.department.region_code, self.region_code)
