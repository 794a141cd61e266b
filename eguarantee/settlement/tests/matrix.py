"""Permission-matrix lines for 保函结算: 业务台账 and 保费记录, pages and API. The records
are made on a demo guarantee, so every reader meets them in scope: its applicant and
guarantor as parties, the demo department by jurisdiction, the platform all."""

from eguarantee.core.matrix import ADMIN, APPLICANTS, AUDITOR, DEPARTMENTS, GUARANTORS, Route, pk
from eguarantee.settlement.models import FeeRecord

from .helpers import issued_line, other_applicant, other_department, other_guarantor

NAMESPACES = {"settlement"}
FEE_READERS = ADMIN | AUDITOR | GUARANTORS | APPLICANTS
LEDGER_READERS = FEE_READERS | DEPARTMENTS


def line(o):
    return issued_line(o.users)


def fee(o):
    return FeeRecord.objects.get(guarantee=line(o).guarantee)


ROUTES = [
    Route("settlement:ledger_list", LEDGER_READERS),
    Route("settlement:ledger_detail", LEDGER_READERS, pk(line)),
    Route("settlement:fee_list", FEE_READERS),
    Route("api:ledger-line-list", LEDGER_READERS),
    Route("api:ledger-line-detail", LEDGER_READERS, pk(line)),
    Route("api:ledger-line-totals", LEDGER_READERS),
    Route("api:fee-record-list", FEE_READERS),
    Route("api:fee-record-detail", FEE_READERS, pk(fee)),
]


def _other_guarantors_line(users):
    return issued_line(users, guarantor=other_guarantor())


def _other_applicants_line(users):
    return issued_line(users, applicant=other_applicant())


def _other_departments_line(users):
    return issued_line(users, department=other_department())


def _other_guarantors_fee(users):
    return FeeRecord.objects.get(guarantee=_other_guarantors_line(users).guarantee)


# Another guarantor's, applicant's or jurisdiction's line answers 403; the platform sees all.
SCOPE = [
    ("guarantor_admin", "settlement:ledger_detail", _other_guarantors_line, 403),
    ("guarantor_reviewer", "api:ledger-line-detail", _other_guarantors_line, 403),
    ("guarantor_admin", "api:fee-record-detail", _other_guarantors_fee, 403),
    ("applicant_operator", "settlement:ledger_detail", _other_applicants_line, 403),
    ("applicant_admin", "api:ledger-line-detail", _other_applicants_line, 403),
    ("department_inspector", "settlement:ledger_detail", _other_departments_line, 403),
    ("department_admin", "api:ledger-line-detail", _other_departments_line, 403),
    ("guarantor_admin", "settlement:ledger_detail", _other_departments_line, 200),
    ("platform_auditor", "settlement:ledger_detail", _other_guarantors_line, 200),
    ("platform_admin", "api:fee-record-detail", _other_guarantors_fee, 200),
]
