"""Default permissions of the built-in roles for guarantees."""

INSPECT = ["guarantees.add_inspection", "guarantees.view_inspection"]
APPLY = ["guarantees.view_guarantee", "guarantees.add_guarantee", "guarantees.change_guarantee"]
REVIEW = ["guarantees.view_guarantee", "guarantees.review_guarantee", "guarantees.issue_guarantee"]
# 串标预警 go to the guarantors and the departments, never to the applicants.
WARNINGS = ["guarantees.view_collusionwarning"]
BENEFICIARY = ["guarantees.view_guarantee", "guarantees.release_guarantee", "guarantees.accept_amendment"]

GRANTS = {
    "applicant_admin": APPLY,
    "applicant_operator": APPLY,
    "guarantor_admin": REVIEW + WARNINGS,
    "guarantor_reviewer": REVIEW + WARNINGS,
    "beneficiary_admin": BENEFICIARY,
    "beneficiary_operator": BENEFICIARY,
    "department_admin": ["guarantees.view_guarantee", "guarantees.review_filing", *INSPECT, *WARNINGS],
    "department_inspector": ["guarantees.view_guarantee", "guarantees.review_filing", *INSPECT, *WARNINGS],
    "platform_admin": [
        "guarantees.view_guarantee",
        "guarantees.view_inspection",
        "guarantees.unseal_guarantee",
        *WARNINGS,
    ],
    "external_system": ["guarantees.unseal_guarantee"],
    "platform_auditor": ["guarantees.view_guarantee", "guarantees.view_inspection", *WARNINGS],
}
