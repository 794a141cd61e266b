"""Reads for departments and 归口 rules, restricted to what the user may see, and the
resolution of the department in charge of a project (6.3.2).

Data scope (decided here, used by every later module through `jurisdiction_departments`):

- platform staff see every department;
- a department's users see their own department and the departments below it — those whose
  profile names it as parent, and theirs in turn (省厅 → 市局 → 区局). The hierarchy is the
  one the administrator recorded in the profiles, not mere region containment: a province's
  建设厅 does not thereby see a city's 交通局, which answers to another line of authority;
- everybody else sees no department.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from eguarantee.accounts.choices import OrgType
from eguarantee.accounts.models import Organization, Role, User
from eguarantee.accounts.validators import validate_region_code
from eguarantee.core import regions
from eguarantee.core.exceptions import ServiceError
from eguarantee.projects.choices import ProjectType

from .models import DepartmentProfile, JurisdictionRule, level_label

# Levels strictly rise from child to parent, so a chain is at most district → city →
# province; the bound also stops a loop should region codes be edited into one.
_MAX_DEPTH = 3


def department_organizations():
    return Organization.objects.filter(org_type=OrgType.DEPARTMENT)


def _is_department_user(user):
    return (
        user.is_authenticated and user.organization_id is not None and user.organization.org_type == OrgType.DEPARTMENT
    )


def jurisdiction_department_ids(user):
    """The ids behind jurisdiction_departments, for callers that filter by `department_id__in`."""
    if not user.is_authenticated:
        return set()
    if user.is_platform:
        return set(department_organizations().values_list("pk", flat=True))
    if not _is_department_user(user):
        return set()
    ids = {user.organization_id}
    frontier = set(ids)
    for _ in range(_MAX_DEPTH):
        frontier = set(
            DepartmentProfile.objects.filter(parent_id__in=frontier, organization__org_type=OrgType.DEPARTMENT)
            .exclude(organization_id__in=ids)
            .values_list("organization_id", flat=True)
        )
        if not frontier:
            break
        ids |= frontier
    return ids


def jurisdiction_departments(user):
    """The department organizations whose records `user` may see (see the module docstring)."""
    if user.is_authenticated and user.is_platform:
        return department_organizations()
    return department_organizations().filter(pk__in=jurisdiction_department_ids(user))


def departments_for(user):
    """Department organizations with their profiles, as lists and detail pages show them."""
    return jurisdiction_departments(user).select_related("department_profile", "department_profile__parent")


def managed_departments_for(user):
    """The departments whose profile and staff the user manages: platform staff every one, a
    department's users their own only (a higher department sees, but does not edit, a
    lower one's profile)."""
    qs = department_organizations().select_related("department_profile", "department_profile__parent")
    if user.is_authenticated and user.is_platform:
        return qs
    if _is_department_user(user):
        return qs.filter(pk=user.organization_id)
    return qs.none()


def departments_without_profile():
    return department_organizations().filter(department_profile__isnull=True).order_by("region_code", "name")


def parent_candidates(organization=None):
    """Departments that may be chosen as parent: any department but the organization itself
    (the service checks level and region)."""
    qs = department_organizations().order_by("region_code", "name")
    return qs.exclude(pk=organization.pk) if organization is not None else qs


def child_departments(organization):
    return department_organizations().filter(department_profile__parent=organization).order_by("region_code", "name")


def staff_of(department):
    """The department's user accounts with their roles, for its staff page."""
    return User.objects.filter(organization=department).prefetch_related("groups__role").order_by("username")


def department_roles():
    return Role.objects.filter(org_type=OrgType.DEPARTMENT).order_by("code")


def rules_for(user):
    """Platform staff see every rule; a department's users the rules whose department is
    within their jurisdiction (their own and their lower departments')."""
    qs = JurisdictionRule.objects.select_related("department")
    if user.is_authenticated and user.is_platform:
        return qs
    return qs.filter(department_id__in=jurisdiction_department_ids(user))


# ---------------------------------------------------------------- resolution (归口)


def resolve_department(project_type, region_code):
    """The department organization in charge of a `project_type` project located in
    `region_code`, or None when no enabled rule applies.

    The enabled rule with the most specific region among the region and its ancestors
    wins (district over city over province). One query: an ancestor's code is its
    descendant's with trailing digits zeroed, so among the chain the most specific code
    sorts last. Codes nothing can match (malformed, abolished with no living ancestor)
    simply resolve to None; the preview and the API validate their input first.
    """
    if not project_type or not isinstance(region_code, str) or not region_code:
        return None
    rule = (
        JurisdictionRule.objects.filter(
            enabled=True, project_type=project_type, region_code__in=regions.ancestors(region_code)
        )
        .select_related("department")
        .order_by("-region_code")
        .first()
    )
    return rule.department if rule else None


def resolve_departments(pairs):
    """{(project_type, region_code): Organization or None} for many projects in one query
    (the projects module's recomputation after rules_changed)."""
    pairs = {(t, r) for t, r in pairs if t and isinstance(r, str) and r}
    if not pairs:
        return {}
    chains = {pair: regions.ancestors(pair[1]) for pair in pairs}
    codes = {code for chain in chains.values() for code in chain}
    types = {t for t, _ in pairs}
    rules = {
        (rule.project_type, rule.region_code): rule.department
        for rule in JurisdictionRule.objects.filter(
            enabled=True, project_type__in=types, region_code__in=codes
        ).select_related("department")
    }
    result = {}
    for pair, chain in chains.items():
        result[pair] = next((rules[(pair[0], c)] for c in chain if (pair[0], c) in rules), None)
    return result


@dataclass
class Candidate:
    """One level of the chain the resolution looked at."""

    region_code: str
    region_name: str
    level_label: str
    rule: JurisdictionRule | None = None  # the enabled rule at this level
    disabled_rules: list = field(default_factory=list)  # shown, not used
    chosen: bool = False


@dataclass
class Resolution:
    project_type: str
    project_type_label: str
    region_code: str
    region_name: str
    rule: JurisdictionRule | None
    candidates: list

    @property
    def department(self):
        return self.rule.department if self.rule else None


def check_resolve_input(project_type, region_code):
    """Cleaned (project_type, region_code), or a ServiceError naming the field at fault."""
    project_type = (project_type or "").strip()
    region_code = (region_code or "").strip()
    if project_type not in ProjectType.values:
        raise ServiceError(
            "请选择有效的工程类型。" if not project_type else f"工程类型“{project_type[:20]}”不存在。",
            code="invalid_project_type",
            field="project_type",
        )
    try:
        validate_region_code(region_code)
    except ValidationError as exc:
        message = exc.messages[0] if exc.messages else "行政区划代码无效。"
        raise ServiceError(message, code=exc.code or "invalid_region_code", field="region_code") from None
    return project_type, region_code


def resolve(project_type, region_code):
    """The resolution with its reasons, for the preview page and the API: which rule won
    and, for every level of the chain, which rules it has."""
    project_type, region_code = check_resolve_input(project_type, region_code)
    chain = regions.ancestors(region_code)
    rules = list(
        JurisdictionRule.objects.filter(project_type=project_type, region_code__in=chain)
        .select_related("department")
        .order_by("pk")
    )
    candidates = []
    for code in chain:
        here = [r for r in rules if r.region_code == code]
        candidates.append(
            Candidate(
                region_code=code,
                region_name=regions.full_name(code),
                level_label=level_label(code),
                rule=next((r for r in here if r.enabled), None),
                disabled_rules=[r for r in here if not r.enabled],
            )
        )
    winner = next((c for c in candidates if c.rule is not None), None)
    if winner is not None:
        winner.chosen = True
    return Resolution(
        project_type=project_type,
        project_type_label=ProjectType(project_type).label,
        region_code=region_code,
        region_name=regions.full_name(region_code),
        rule=winner.rule if winner else None,
        candidates=candidates,
    )
