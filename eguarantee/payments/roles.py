"""Default permissions of the built-in roles for 保费支付.

- applicants pay (online orders, transfer vouchers) and see their payments and refunds;
- guarantors see the payments for their guarantees and confirm transfers (确认到账);
- the platform's administrator and auditor read everything, including every gateway
  notification (a refused one is how a forged or tampered payment shows up);
- beneficiaries and departments have no part in the premium.
"""

PARTY_READ = ["payments.view_paymentorder", "payments.view_transfervoucher", "payments.view_refund"]
PAY = [*PARTY_READ, "payments.add_paymentorder", "payments.add_transfervoucher"]
CONFIRM = [*PARTY_READ, "payments.confirm_transfervoucher"]
PLATFORM_READ = [*PARTY_READ, "payments.view_paymentnotification"]

GRANTS = {
    "applicant_admin": PAY,
    "applicant_operator": PAY,
    "guarantor_admin": CONFIRM,
    "guarantor_reviewer": CONFIRM,
    "platform_admin": PLATFORM_READ,
    "platform_auditor": PLATFORM_READ,
}
