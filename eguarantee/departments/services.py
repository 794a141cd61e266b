"""Every write on department profiles and 归口 rules. Each function checks the actor's
permission and scope, validates, and writes inside one transaction; the audit rows follow
through the change log, and rules_changed goes out after commit (signals.py)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from eguarantee.accounts.choices import OrgType
from eguarantee.accounts.models import Organization
from eguarantee.accounts.validators import validate_region_code
from eguarantee.core import regions
from eguarantee.core.exceptions import Conflict, NotFound, ServiceError, full_clean_or_error
from eguarantee.core.permissions import require_perm, require_same_organization
from eguarantee.projects.choices import ProjectType

from .models import DepartmentProfile, JurisdictionRule, contains, level_label, level_of

PROFILE_FIELDS = ("parent", "duties", "contact_name", "contact_phone", "contact_email", "office_address")
RULE_FIELDS = ("project_type", "region_code", "department", "enabled", "note")
DUTIES_MAX = 2000  # a TextField's max_length is not enforced by Django itself
_RANK = {regions.PROVINCE: 0, regions.CITY: 1, regions.DISTRICT: 2}


def _region_label(code):
    return f"{code} {regions.full_name(code)}"


def _require_department(org, field, message=None):
    if not isinstance(org, Organization) or org.org_type != OrgType.DEPARTMENT:
        raise ServiceError(message or f"“{org}”不是行政主管部门单位。", code="not_department", field=field)


# ---------------------------------------------------------------- department profiles (6.3.1)


def _check_parent(organization, parent):
    if parent is None:
        return
    _require_department(parent, "parent", f"上级部门“{parent}”不是行政主管部门单位。")
    if parent.pk == organization.pk:
        raise ServiceError("上级部门不能是本部门自己。", code="invalid_parent", field="parent")
    own, theirs = level_of(organization.region_code), level_of(parent.region_code)
    if _RANK[theirs] >= _RANK[own]:
        raise ServiceError(
            f"上级部门的行政级别必须高于本部门：本部门为{level_label(organization.region_code)}，"
            f"“{parent}”为{level_label(parent.region_code)}。",
            code="invalid_parent",
            field="parent",
        )
    if not contains(parent.region_code, organization.region_code):
        raise ServiceError(
            f"上级部门“{parent}”的辖区（{_region_label(parent.region_code)}）"
            f"不包含本部门所在区划（{_region_label(organization.region_code)}）。",
            code="invalid_parent",
            field="parent",
        )


def _save_profile(profile, data):
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise ServiceError(f"不能修改的字段：{'、'.join(sorted(unknown))}", code="invalid")
    for key, value in data.items():
        setattr(profile, key, value if value is not None or key == "parent" else "")
    _check_parent(profile.organization, profile.parent)
    if len(profile.duties or "") > DUTIES_MAX:
        raise ServiceError(f"职责说明不能超过{DUTIES_MAX}字。", code="invalid", field="duties")
    full_clean_or_error(profile, exclude=["organization", "parent"])
    profile.save()
    return profile


@transaction.atomic
def create_profile(*, actor, organization, data):
    """The platform administrator opens the profile of a department organization."""
    require_perm(actor, "departments.add_departmentprofile")
    _require_department(organization, "organization")
    require_same_organization(actor, organization.pk, "只能管理本部门的档案。")
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if DepartmentProfile.objects.filter(organization=organization).exists():
        raise Conflict(f"“{organization}”已建立部门档案，请直接修改。", code="profile_exists", field="organization")
    return _save_profile(DepartmentProfile(organization=organization), data)


@transaction.atomic
def update_profile(organization, *, actor, data):
    """Edit a department's profile — the platform administrator any, a department's
    administrator their own. The first edit of a department without one creates it."""
    require_perm(actor, "departments.change_departmentprofile")
    _require_department(organization, "organization")
    require_same_organization(actor, organization.pk, "只能修改本部门的档案。")
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    profile = DepartmentProfile.objects.filter(organization=organization).first()
    if profile is None:
        profile = DepartmentProfile(organization=organization)
    return _save_profile(profile, data)


@transaction.atomic
def delete_profile(organization, *, actor):
    """Remove a department's profile; the organization, its users and its rules stay.
    Departments that named it as parent keep pointing at the organization."""
    require_perm(actor, "departments.delete_departmentprofile")
    require_same_organization(actor, organization.pk, "只能管理本部门的档案。")
    profile = DepartmentProfile.objects.select_for_update().filter(organization_id=organization.pk).first()
    if profile is None:
        raise NotFound(f"“{organization}”尚未建立部门档案。", code="no_profile")
    profile.delete()


# ---------------------------------------------------------------- 归口 rules (6.3.2)


def _clean_rule(data):
    project_type = data.get("project_type")
    if project_type not in ProjectType.values:
        raise ServiceError("请选择有效的工程类型。", code="invalid_project_type", field="project_type")
    region_code = data.get("region_code")
    region_code = region_code.strip() if isinstance(region_code, str) else region_code
    try:
        validate_region_code(region_code)
    except ValidationError as exc:
        raise ServiceError(exc.messages[0], code=exc.code or "invalid_region_code", field="region_code") from None
    department = data.get("department")
    if department is None:
        raise ServiceError("请选择主管部门。", code="department_required", field="department")
    _require_department(department, "department", f"“{department}”不是行政主管部门单位，不能作为归口部门。")
    if not contains(department.region_code, region_code):
        raise ServiceError(
            f"主管部门“{department}”的辖区（{_region_label(department.region_code)}）"
            f"不包含行政区划 {_region_label(region_code)}，不能归口该区划的项目。",
            code="region_outside_department",
            field="region_code",
        )
    note = data.get("note") or ""
    return {
        "project_type": project_type,
        "region_code": region_code,
        "department": department,
        "enabled": bool(data.get("enabled", True)),
        "note": note.strip() if isinstance(note, str) else note,
    }


def _conflict(message, existing):
    return Conflict(message, code="rule_conflict", field="region_code", details={"existing_rule": existing.pk})


def _check_conflicts(clean, exclude_pk=None):
    others = JurisdictionRule.objects.select_related("department").filter(
        project_type=clean["project_type"], region_code=clean["region_code"]
    )
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    scope = f"{ProjectType(clean['project_type']).label} · {_region_label(clean['region_code'])}"
    same = others.filter(department=clean["department"]).first()
    if same is not None:
        state = "启用" if same.enabled else "停用"
        raise _conflict(
            f"已存在相同的归口规则（编号 {same.pk}，{state}）：{scope} → {same.department}；请直接修改或启用该规则。",
            same,
        )
    if clean["enabled"]:
        active = others.filter(enabled=True).first()
        if active is not None:
            raise _conflict(
                f"{scope} 已由启用中的归口规则（编号 {active.pk}）归口至“{active.department}”；"
                "同一工程类型和行政区划只能有一条启用的规则，请先停用该规则。",
                active,
            )


def _save_rule(rule, clean):
    _check_conflicts(clean, exclude_pk=rule.pk)
    for key, value in clean.items():
        setattr(rule, key, value)
    full_clean_or_error(rule, exclude=["department"])
    try:
        with transaction.atomic():  # the savepoint keeps the outer transaction usable
            rule.save()
    except IntegrityError:
        # Another request enabled a rule for the same scope since our check.
        active = JurisdictionRule.objects.filter(
            project_type=clean["project_type"], region_code=clean["region_code"], enabled=True
        ).first()
        raise Conflict(
            "同一工程类型和行政区划只能有一条启用的归口规则，另一位管理员刚刚启用了一条，请刷新后重试。",
            code="rule_conflict",
            field="region_code",
            details={"existing_rule": active.pk} if active else {},
        ) from None
    return rule


@transaction.atomic
def create_rule(*, actor, data):
    require_perm(actor, "departments.add_jurisdictionrule", "只有平台管理员可以维护归口规则。")
    return _save_rule(JurisdictionRule(), _clean_rule(data))


@transaction.atomic
def update_rule(rule, *, actor, data):
    """Change any of the rule's fields; fields not in `data` keep their values."""
    require_perm(actor, "departments.change_jurisdictionrule", "只有平台管理员可以维护归口规则。")
    rule = JurisdictionRule.objects.select_for_update().select_related("department").get(pk=rule.pk)
    merged = {key: data.get(key, getattr(rule, key)) for key in RULE_FIELDS}
    return _save_rule(rule, _clean_rule(merged))


@transaction.atomic
def set_rule_enabled(rule, *, actor, enabled):
    require_perm(actor, "departments.change_jurisdictionrule", "只有平台管理员可以维护归口规则。")
    rule = JurisdictionRule.objects.select_for_update().select_related("department").get(pk=rule.pk)
    if rule.enabled == enabled:
        raise Conflict(f"该归口规则已{'启用' if enabled else '停用'}。", code="invalid_state")
    merged = {key: getattr(rule, key) for key in RULE_FIELDS} | {"enabled": enabled}
    # Enabling checks the rule again: the scope may have another enabled rule by now, or
    # the department's region may have changed since the rule was made.
    return _save_rule(rule, _clean_rule(merged) if enabled else merged)


@transaction.atomic
def delete_rule(rule, *, actor):
    require_perm(actor, "departments.delete_jurisdictionrule", "只有平台管理员可以维护归口规则。")
    rule = JurisdictionRule.objects.select_for_update().get(pk=rule.pk)
    rule.delete()
