"""Permission-matrix lines for 企业信用: the records are read by the enterprises they are
about (applicants), the guarantors they applied to, the departments in charge, and the
platform's administrator and auditor. Each record is made about the demo applicant on a
guarantee of the demo guarantor and department, so every reader meets it in its scope."""

from eguarantee.core.matrix import ADMIN, APPLICANTS, AUDITOR, DEPARTMENTS, GUARANTORS, Route, pk

from .helpers import other_applicant, other_department, other_guarantor, record

NAMESPACES = {"credit"}
READERS = APPLICANTS | GUARANTORS | DEPARTMENTS | ADMIN | AUDITOR


def demo_record(o):
    return record(o.users)


def demo_applicant(o):
    demo_record(o)
    return o.org_of("applicant_admin")


ROUTES = [
    Route("credit:record_list", READERS),
    Route("credit:record_detail", READERS, pk(demo_record)),
    Route("credit:organization_list", READERS),
    Route("credit:organization_detail", READERS, pk(demo_applicant)),
    Route("credit:my_credit", READERS),
    Route("api:credit-record-list", READERS),
    Route("api:credit-record-detail", READERS, pk(demo_record)),
    Route("api:credit-organization-list", READERS),
    Route("api:credit-organization-detail", READERS, pk(demo_applicant)),
]


def stranger_record(users):
    """About another applicant, on a guarantee of another guarantor and department."""
    return record(users, applicant=other_applicant(), guarantor=other_guarantor(), department=other_department())


def stranger(users):
    stranger_record(users)
    return other_applicant()


SCOPE = [
    ("applicant_admin", "credit:record_detail", stranger_record, 403),
    ("guarantor_reviewer", "credit:record_detail", stranger_record, 403),
    ("department_inspector", "credit:record_detail", stranger_record, 403),
    ("platform_auditor", "credit:record_detail", stranger_record, 200),
    ("applicant_admin", "api:credit-record-detail", stranger_record, 403),
    ("guarantor_admin", "api:credit-record-detail", stranger_record, 403),
    ("department_admin", "api:credit-record-detail", stranger_record, 403),
    ("platform_admin", "api:credit-record-detail", stranger_record, 200),
    ("guarantor_admin", "credit:organization_detail", stranger, 403),
    ("applicant_operator", "api:credit-organization-detail", stranger, 403),
]
