"""Two notifications at once pay once; the sandbox gateway shares no code with Django; a
premium confirmed without a voucher is still refunded on cancellation."""

import subprocess
import sys
import threading
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection

from eguarantee.guarantees import services as guarantee_services
from eguarantee.guarantees.models import GuaranteeEvent
from eguarantee.payments import services
from eguarantee.payments.choices import RefundMethod
from eguarantee.payments.models import PaymentNotification, Refund

from .conftest import signed


@pytest.mark.django_db(transaction=True)
def test_two_notifications_at_once_pay_once(awaiting, demo_users, gateway_keys):
    order = services.start_payment(awaiting, actor=demo_users["applicant_operator"])
    bodies = [signed(gateway_keys, order, trade_no="SB-SAME") for _ in range(2)]  # two retries racing
    outcomes, barrier = [], threading.Barrier(2)

    def deliver(body):
        barrier.wait()
        try:
            outcomes.append(services.handle_notification(body).outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted", "duplicate"]
    assert GuaranteeEvent.objects.filter(guarantee=awaiting, action="gateway_paid").count() == 1
    assert PaymentNotification.objects.count() == 2


def test_the_sandbox_gateway_imports_nothing_of_the_platform():
    script = (
        "import sys; import eguarantee.payments.sandbox_server; "
        "bad = sorted(m for m in sys.modules if m.startswith(('django', 'rest_framework')) "
        "or (m.startswith('eguarantee.') and m not in ('eguarantee.payments', 'eguarantee.payments.sandbox_server')));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_a_premium_confirmed_without_a_voucher_is_refunded_offline(awaiting, demo_users):
    guarantee_services.confirm_payment(awaiting, actor=demo_users["guarantor_reviewer"], reference="网银001")
    awaiting.refresh_from_db()
    guarantee_services.cancel(awaiting, actor=demo_users["applicant_operator"], reason="项目取消")
    refund = Refund.objects.get()
    assert (refund.method, refund.amount, refund.order, refund.voucher) == (
        RefundMethod.OFFLINE,
        Decimal("1200.00"),
        None,
        None,
    )
