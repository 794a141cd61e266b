"""Default permissions of the built-in roles for 保函结算 (6.8).

- the platform's administrator and auditor read every ledger line and fee record;
  platform_security has none (三权分立: its duty is roles and permissions);
- guarantors and applicants read the lines and fee records of their own guarantees;
- departments read the ledger of the guarantees in their jurisdiction (管理人员查看、查询
  业务台账, 6.8.1), not the premium movements between the parties;
- beneficiaries are not party to the premium: neither.
"""

LEDGER = "settlement.view_ledgerline"
FEES = "settlement.view_feerecord"

GRANTS = {
    "platform_admin": [LEDGER, FEES],
    "platform_auditor": [LEDGER, FEES],
    "guarantor_admin": [LEDGER, FEES],
    "guarantor_reviewer": [LEDGER, FEES],
    "applicant_admin": [LEDGER, FEES],
    "applicant_operator": [LEDGER, FEES],
    "department_admin": [LEDGER],
    "department_inspector": [LEDGER],
}
