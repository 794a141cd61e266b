"""The built-in roles every deployment starts with, one set per organization type.

Platform duties are split three ways (三权分立, 等保三级): the system administrator runs
accounts, the security administrator runs roles and permissions, the auditor reads logs.

The permissions listed here are the foundation's. Every other app gives the built-in roles
its own permissions in `<app>/roles.py`:

    GRANTS = {"guarantor_admin": ["guarantors.change_guarantor", ...], ...}

post_migrate gives each built-in role every default it has not been given before.
"""

from eguarantee.core.apphooks import app_modules

from .choices import OrgType

ORG_ADMIN = [
    "accounts.view_organization",
    "accounts.change_organization",
    "accounts.view_user",
    "accounts.add_user",
    "accounts.change_user",
    "accounts.delete_user",
    "accounts.lock_user",
    "accounts.assign_role",
    "accounts.view_role",
]
ORG_OPERATOR = ["accounts.view_organization"]

DEFAULT_ROLES = [
    # code, name, organization type, permissions, description
    (
        "platform_admin",
        "平台系统管理员",
        OrgType.PLATFORM,
        [
            "accounts.view_organization",
            "accounts.add_organization",
            "accounts.change_organization",
            "accounts.delete_organization",
            "accounts.approve_organization",
            "accounts.lock_organization",
            "accounts.view_user",
            "accounts.add_user",
            "accounts.change_user",
            "accounts.delete_user",
            "accounts.lock_user",
            "notifications.view_smsmessage",
        ],
        "审批注册、管理单位和用户账号、短信接口",
    ),
    (
        "platform_security",
        "平台安全管理员",
        OrgType.PLATFORM,
        [
            "accounts.view_organization",
            "accounts.view_user",
            "accounts.lock_user",
            "accounts.assign_role",
            "accounts.view_role",
            "accounts.add_role",
            "accounts.change_role",
            "accounts.delete_role",
            "audit.view_loginlog",
        ],
        "管理角色与权限、分配角色、锁定账号",
    ),
    (
        "platform_auditor",
        "平台审计管理员",
        OrgType.PLATFORM,
        [
            "audit.view_objectchange",
            "audit.view_operationlog",
            "audit.view_loginlog",
            "audit.export_auditlog",
        ],
        "查询和导出系统日志",
    ),
    ("applicant_admin", "申请人管理员", OrgType.APPLICANT, ORG_ADMIN, "管理本单位信息与用户"),
    ("applicant_operator", "申请人经办人", OrgType.APPLICANT, ORG_OPERATOR, "录入项目、申请保函"),
    ("guarantor_admin", "保证人管理员", OrgType.GUARANTOR, ORG_ADMIN, "管理本机构信息与用户"),
    ("guarantor_reviewer", "保证人审核员", OrgType.GUARANTOR, ORG_OPERATOR, "审核保函申请、出函"),
    ("beneficiary_admin", "受益人管理员", OrgType.BENEFICIARY, ORG_ADMIN, "管理本单位信息与用户"),
    ("beneficiary_operator", "受益人经办人", OrgType.BENEFICIARY, ORG_OPERATOR, "查验保函、提出索赔"),
    ("department_admin", "主管部门管理员", OrgType.DEPARTMENT, ORG_ADMIN, "管理本部门信息与用户"),
    ("department_inspector", "主管部门查验员", OrgType.DEPARTMENT, ORG_OPERATOR, "查验保函、受理报送"),
    ("external_system", "外部系统接入", OrgType.EXTERNAL, [], "交易中心或主管部门系统通过接口接入"),
]

# The role a self-registered organization's first user receives.
FIRST_USER_ROLE = {
    OrgType.APPLICANT: "applicant_admin",
    OrgType.GUARANTOR: "guarantor_admin",
    OrgType.BENEFICIARY: "beneficiary_admin",
    OrgType.DEPARTMENT: "department_admin",
}


def default_grants():
    """role code → default permissions, from DEFAULT_ROLES and every app's roles.GRANTS."""
    grants = {code: list(perms) for code, _name, _org_type, perms, _desc in DEFAULT_ROLES}
    for module in app_modules("roles", exclude=(__package__,)):
        for code, perms in module.GRANTS.items():
            if code not in grants:
                raise ValueError(f"{module.__name__} grants permissions to an unknown role {code!r}")
            grants[code].extend(p for p in perms if p not in grants[code])
    return grants
