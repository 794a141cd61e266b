"""Default permissions of the built-in roles for 企业信用 (records are read only).

- applicants see their own records; guarantors those of the applicants that applied to them
  (for 可合作性的判断, 6.9); departments those on guarantees in their jurisdiction;
- the platform's administrator and auditor see every record; the security administrator
  has none (三权分立);
- beneficiaries have no records of their own yet, so no default.
"""

VIEW = ["credit.view_creditrecord"]

GRANTS = {
    "platform_admin": VIEW,
    "platform_auditor": VIEW,
    "applicant_admin": VIEW,
    "applicant_operator": VIEW,
    "guarantor_admin": VIEW,
    "guarantor_reviewer": VIEW,
    "department_admin": VIEW,
    "department_inspector": VIEW,
}
