"""逾期缴费: the premium is due PAYMENT_DUE_DAYS days after approval (Beijing dates). The daily
job records every guarantee still unpaid after that; a payment arriving late records it if
the job has not. Either way, once per approval."""

import io

import pytest
from django.core.management import call_command

from eguarantee.core.schedule import daily_jobs
from eguarantee.credit import jobs, services
from eguarantee.credit.choices import Polarity, RecordKind
from eguarantee.credit.models import CreditRecord
from eguarantee.guarantees import services as guarantees
from eguarantee.guarantees.models import GuaranteeEvent

from .helpers import approved

pytestmark = pytest.mark.django_db

DUE = 5  # the default


def late_records(guarantee=None):
    qs = CreditRecord.objects.filter(kind=RecordKind.LATE_PAYMENT)
    return qs.filter(guarantee=guarantee) if guarantee else qs


def test_the_job_records_each_overdue_guarantee_once(ready):
    overdue = approved(ready, days_ago=DUE + 1)
    assert services.record_late_payments() == 1
    assert services.record_late_payments() == 0  # idempotent
    record = late_records().get()
    assert record.guarantee == overdue and record.polarity == Polarity.NEGATIVE
    assert record.organization == ready["users"]["applicant_admin"].organization
    approval = GuaranteeEvent.objects.get(guarantee=overdue, action="approve")
    assert record.source_event == approval
    assert record.details["due_date"] == services.due_date(approval.created_at).isoformat()


def test_the_due_day_itself_is_not_late(ready):
    approved(ready, days_ago=DUE)  # due today
    assert services.record_late_payments() == 0
    assert not late_records().exists()


def test_the_due_days_come_from_settings(ready, settings):
    settings.PAYMENT_DUE_DAYS = 2
    approved(ready, days_ago=3)
    assert services.record_late_payments() == 1


def test_a_late_payment_records_it_when_the_job_has_not(ready):
    guarantee = approved(ready, days_ago=DUE + 2)
    guarantees.transition(guarantee, "gateway_paid", actor=None)
    record = late_records(guarantee).get()
    assert record.details["payment_action"] == "gateway_paid" and "paid_at" in record.details
    assert services.record_late_payments() == 0  # paid now: nothing for the job
    assert late_records().count() == 1


def test_a_late_payment_after_the_job_adds_nothing(ready):
    guarantee = approved(ready, days_ago=DUE + 2)
    assert services.record_late_payments() == 1
    guarantees.confirm_payment(guarantee, actor=ready["users"]["guarantor_reviewer"], reference="网银001")
    assert late_records(guarantee).count() == 1
    assert "paid_at" not in late_records(guarantee).get().details  # the job's record stands


def test_a_payment_in_time_records_nothing(ready):
    guarantee = approved(ready, days_ago=DUE)
    guarantees.confirm_payment(guarantee, actor=ready["users"]["guarantor_reviewer"], reference="网银002")
    assert not CreditRecord.objects.exists()


def test_the_command_and_the_daily_schedule(ready):
    approved(ready, days_ago=DUE + 1)
    out = io.StringIO()
    call_command("record_late_payments", stdout=out)
    assert "1" in out.getvalue() and late_records().count() == 1
    assert "credit.record_late_payments" in {job.name for job in daily_jobs()}
    assert jobs.record_late_payments_job.enqueue().return_value == {"recorded": 0}
