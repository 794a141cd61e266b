"""What each user may see of payments: the platform everything; an applicant and a guarantor
the records of the guarantees they are party to. Notifications are the platform's only."""

from django.db.models import Q

from .models import PaymentNotification, PaymentOrder, Refund, TransferVoucher


def _party_scope(user, prefix="guarantee__"):
    org = user.organization_id
    return Q(**{f"{prefix}applicant_id": org}) | Q(**{f"{prefix}guarantor_id": org})


def orders_for(user):
    qs = PaymentOrder.objects.select_related("guarantee", "guarantee__applicant", "guarantee__guarantor", "created_by")
    return qs if user.is_platform else qs.filter(_party_scope(user))


def vouchers_for(user):
    qs = TransferVoucher.objects.select_related(
        "guarantee", "guarantee__applicant", "guarantee__guarantor", "uploaded_by", "decided_by"
    )
    return qs if user.is_platform else qs.filter(_party_scope(user))


def refunds_for(user):
    qs = Refund.objects.select_related("guarantee", "guarantee__applicant", "order", "voucher", "created_by")
    return qs if user.is_platform else qs.filter(_party_scope(user))


def notifications_for(user):
    qs = PaymentNotification.objects.select_related("order")
    return qs if user.is_platform else qs.none()


def payable_guarantees(user):
    """Guarantees whose premium page this user may open: the applicant's and guarantor's."""
    from eguarantee.guarantees.selectors import guarantees_for

    qs = guarantees_for(user)
    return (
        qs
        if user.is_platform
        else qs.filter(Q(applicant_id=user.organization_id) | Q(guarantor_id=user.organization_id))
    )
