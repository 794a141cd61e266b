"""Default permissions of the built-in roles for guarantees."""

INSPECT = ["guarantees.add_inspection", "guarantees.view_inspection"]
APPLY = ["guarantees.view_guarantee", "guarantees.add_guarantee", "guarantees.change_guarantee"]
REVIEW = ["guarantees.view_guarantee", "guarantees.review_guarantee", "guarantees.issue_guarantee"]

GRANTS = {
    "applicant_admin": APPLY,
    "applicant_operator": APPLY,
    "guarantor_admin": REVIEW,
    "guarantor_reviewer": REVIEW,
    "beneficiary_admin": ["guarantees.view_guarantee", "guarantees.release_guarantee"],
    "beneficiary_operator": ["guarantees.view_guarantee", "guarantees.release_guarantee"],
    "department_admin": ["guarantees.view_guarantee", "guarantees.review_filing", *INSPECT],
    "department_inspector": ["guarantees.view_guarantee", "guarantees.review_filing", *INSPECT],
    "platform_admin": ["guarantees.view_guarantee", "guarantees.view_inspection", "guarantees.unseal_guarantee"],
    "external_system": ["guarantees.unseal_guarantee"],
    "platform_auditor": ["guarantees.view_guarantee", "guarantees.view_inspection"],
}
