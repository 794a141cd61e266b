"""Default permissions of the built-in roles for guarantee types and templates."""

from eguarantee.accounts.roles import DEFAULT_ROLES

TYPE_ADMIN = [
    "catalog.view_guaranteetype",
    "catalog.add_guaranteetype",
    "catalog.change_guaranteetype",
    "catalog.delete_guaranteetype",
]
TEMPLATE_ADMIN = [
    "catalog.view_guaranteetemplate",
    "catalog.add_guaranteetemplate",
    "catalog.change_guaranteetemplate",
    "catalog.delete_guaranteetemplate",
    "catalog.publish_guaranteetemplate",
]

# Every role reads the types: applicants choose one, trading centres' systems send its code.
GRANTS = {code: ["catalog.view_guaranteetype"] for code, *_ in DEFAULT_ROLES}
GRANTS["platform_admin"] = TYPE_ADMIN + TEMPLATE_ADMIN
GRANTS["guarantor_admin"] = ["catalog.view_guaranteetype", *TEMPLATE_ADMIN]
GRANTS["guarantor_reviewer"] = ["catalog.view_guaranteetype", "catalog.view_guaranteetemplate"]
