"""围标串标 warnings (6.6.1; domain notes: related firms bidding the same section, one basic
account used by several bidders).

When an application goes to its guarantor, the other live applications on the same section
are compared with it: an applicant sharing its basic account or its legal representative
raises a warning to both guarantors and to the department in charge. A warning warns, it
does not refuse: only the department can judge collusion, and the applicant is not told."""

from django.db import transaction
from django.urls import reverse

from .choices import CollusionBasis, GuaranteeStatus
from .models import CollusionWarning, Guarantee

# Applications already before a guarantor (drafts are not yet a bid).
COMPARED_STATES = (
    GuaranteeStatus.SUBMITTED,
    GuaranteeStatus.UNDER_REVIEW,
    GuaranteeStatus.INFO_REQUESTED,
    GuaranteeStatus.AWAITING_PAYMENT,
    GuaranteeStatus.PAID,
    GuaranteeStatus.ISSUED,
)


def _shared(mine, theirs):
    """[(basis, value shown)] of what two applicant organizations have in common."""
    found = []
    if mine.basic_account_number and mine.basic_account_number == theirs.basic_account_number:
        found.append((CollusionBasis.SHARED_ACCOUNT, mask_account(mine.basic_account_number)))
    name = mine.legal_representative.strip()
    if name and name == theirs.legal_representative.strip():
        found.append((CollusionBasis.SHARED_LEGAL_REPRESENTATIVE, name))
    return found


def mask_account(number):
    return f"{number[:4]}****{number[-4:]}" if len(number) > 8 else number


def check_collusion(guarantee):
    """Write the warnings `guarantee` raises on its section (once each) and tell the
    guarantors and the department after commit. Returns the new warnings."""
    if guarantee.section_id is None:
        return []
    others = (
        Guarantee.objects.filter(section_id=guarantee.section_id, status__in=COMPARED_STATES)
        .exclude(applicant_id=guarantee.applicant_id)
        .select_related("applicant")
    )
    mine = guarantee.applicant
    made = []
    for other in others:
        for basis, value in _shared(mine, other.applicant):
            warning, created = CollusionWarning.objects.get_or_create(
                guarantee=guarantee,
                other=other,
                basis=basis,
                defaults={"section_id": guarantee.section_id, "shared_value": value},
            )
            if created:
                made.append(warning)
    if made:
        ids = [w.pk for w in made]
        transaction.on_commit(lambda: _enqueue_notice(ids), robust=True)
    return made


def _enqueue_notice(warning_ids):
    from .jobs import notify_collusion_job

    notify_collusion_job.enqueue(warning_ids)


def notify(warning_ids):
    """In-site messages to the reviewers of both guarantors and the department's staff."""
    from eguarantee.accounts.selectors import role_holders
    from eguarantee.notifications import services as notify

    warnings = CollusionWarning.objects.filter(pk__in=warning_ids).select_related(
        "guarantee__applicant", "guarantee__department", "other__applicant", "section__project"
    )
    for warning in warnings:
        first, second = warning.guarantee, warning.other
        text = (
            f"{warning.section.project.name}（{warning.section.number}）的投标人{first.applicant.name}与"
            f"{second.applicant.name}{warning.get_basis_display()}（{warning.shared_value}），请关注围标串标风险。"
        )
        recipients = {}
        for guarantee in (first, second):
            for code in ("guarantor_admin", "guarantor_reviewer"):
                for user in role_holders(code, guarantee.guarantor_id):
                    recipients[user.pk] = (user, reverse("guarantees:guarantee_detail", args=[guarantee.pk]))
        if first.department_id:
            for code in ("department_admin", "department_inspector"):
                for user in role_holders(code, first.department_id):
                    recipients[user.pk] = (user, reverse("guarantees:collusion_list"))
        for user, link in recipients.values():
            notify.send_in_site(user, "串标预警", text, link)
