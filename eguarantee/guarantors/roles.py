"""Default permissions of the built-in roles for 保证人管理.

- platform_admin keeps every guarantor's records (6.2: 平台应提供管理员增加、修改、删除和查询);
- platform_auditor reads them (audit of master data); platform_security has none — its
  duty is roles and permissions (三权分立);
- guarantor_admin keeps its own institution, qualifications, offers and clauses; deleting the
  institution record itself stays with the platform;
- guarantor_reviewer reads its own;
- applicants choose a guarantor when they apply, and beneficiaries and departments deal with
  guarantors' guarantees: they see the public face (institutions, enabled offers, published
  clauses), never the qualification certificates.
"""

MODELS = ("guarantorprofile", "qualification", "offer", "clause")
VIEW_ALL = [f"guarantors.view_{m}" for m in MODELS]
MANAGE_ALL = [f"guarantors.{verb}_{m}" for m in MODELS for verb in ("view", "add", "change", "delete")] + [
    "guarantors.publish_clause"
]
PUBLIC = ["guarantors.view_guarantorprofile", "guarantors.view_offer", "guarantors.view_clause"]

GRANTS = {
    "platform_admin": MANAGE_ALL,
    "platform_auditor": VIEW_ALL,
    "guarantor_admin": [p for p in MANAGE_ALL if p != "guarantors.delete_guarantorprofile"],
    "guarantor_reviewer": VIEW_ALL,
    "applicant_admin": PUBLIC,
    "applicant_operator": PUBLIC,
    "beneficiary_admin": PUBLIC,
    "beneficiary_operator": PUBLIC,
    "department_admin": PUBLIC,
    "department_inspector": PUBLIC,
}
