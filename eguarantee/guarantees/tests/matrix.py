"""Permission-matrix lines for 查验 (6.3.3): department staff check; the platform's
administrator and auditor read the records."""

import datetime

from django.core.files.base import ContentFile

from eguarantee.core.matrix import (
    ADMIN,
    APPLICANTS,
    AUDITOR,
    BENEFICIARIES,
    DEPARTMENTS,
    GUARANTORS,
    Route,
    pk,
)
from eguarantee.guarantees.choices import AmendmentStatus, FilingStatus, GuaranteeStatus, InspectionResult
from eguarantee.guarantees.models import Amendment, Inspection
from eguarantee.guarantees.tests.factories import issued, project

NAMESPACES = {"guarantees"}
READERS = DEPARTMENTS | ADMIN | AUDITOR
WARNED = GUARANTORS | DEPARTMENTS | ADMIN | AUDITOR
PARTIES = APPLICANTS | GUARANTORS | BENEFICIARIES | DEPARTMENTS | ADMIN | AUDITOR


def guarantee(status):
    """A guarantee of the demo parties, in `status`."""
    return lambda o: issued(o.users, status=status)


def with_attachment(o):
    made = issued(o.users, status=GuaranteeStatus.DRAFT)
    made.attachments.create(
        key="bid_notice",
        label="招标公告",
        file=ContentFile(b"%PDF-1.4 notice", name="notice.pdf"),
        original_name="notice.pdf",
        size=15,
        content_type="application/pdf",
        sm3="0" * 64,
        sha256="0" * 64,
        uploaded_by=o.users["applicant_operator"],
    )
    return made


def attachment(o):
    made = with_attachment(o)
    return {"pk": made.pk, "attachment_id": made.attachments.get().pk}


def _ready_guarantor(o):
    from eguarantee.catalog.choices import TemplateStatus
    from eguarantee.catalog.models import GuaranteeTemplate, GuaranteeType
    from eguarantee.guarantors.tests.helpers import offer_for, profile_for

    guarantor = o.org_of("guarantor_admin")
    profile_for(guarantor, short_code="HXDB")
    offer_for(guarantor)
    template, _ = GuaranteeTemplate.objects.get_or_create(
        guarantee_type=GuaranteeType.objects.get(code="bid"),
        guarantor=guarantor,
        version=900,
        defaults={"name": "矩阵", "body": "{{保函编号}}", "status": TemplateStatus.PUBLISHED},
    )
    return template


def under_review(o):
    _ready_guarantor(o)
    return issued(o.users, status=GuaranteeStatus.UNDER_REVIEW)


def paid(o):
    return issued(o.users, status=GuaranteeStatus.PAID, template=_ready_guarantor(o))


def sealed(o):
    return issued(o.users, sealed=True)


def filed(o):
    return issued(o.users, filing_status=FilingStatus.FILED)


def with_document(o):
    made = issued(o.users)
    made.document.save(f"{made.number}.pdf", ContentFile(b"%PDF-1.4 matrix"), save=True)
    return made


def rejected_alone(o):
    """A rejected application with no live one beside it on its section (revise refuses a
    duplicate)."""
    _, section = project(o.users)
    fresh = section.project.sections.create(
        number=f"{section.project.number}-R{section.project.sections.count():03d}", name="复审标段", bid_bond_amount=1
    )
    return issued(o.users, status=GuaranteeStatus.REJECTED, section=fresh)


def amending(status):
    """An issued guarantee with an amendment in `status`."""

    def make(o):
        made = issued(o.users)
        Amendment.objects.create(
            guarantee=made,
            sequence=1,
            status=status,
            old_amount=made.amount,
            new_amount=made.amount,
            old_end_date=made.end_date,
            new_end_date=made.end_date + datetime.timedelta(days=30),
            reason="工期顺延",
            requested_by=o.users["applicant_operator"],
        )
        return made

    return make


def with_version(o):
    made = with_document(o)
    made.versions.create(
        version=1,
        file=made.document.name,
        sm3="0" * 64,
        sha256="0" * 64,
        amount=made.amount,
        end_date=made.end_date,
        issued_at=made.issued_at or made.created_at,
    )
    return {"pk": made.pk, "version": 1}


def inspection(o):
    """A record of the acting role's own organization (records are read per organization)."""
    return Inspection.objects.create(
        inspector=o.actor, organization=o.org, query={"number": "X"}, result=InspectionResult.NOT_FOUND
    )


ROUTES = [
    Route("guarantees:guarantee_list", PARTIES),
    Route("guarantees:guarantee_apply", APPLICANTS),
    Route("guarantees:guarantor_quotes", APPLICANTS),
    Route("guarantees:guarantee_detail", PARTIES, pk(guarantee(GuaranteeStatus.ISSUED))),
    Route("guarantees:guarantee_document", PARTIES, pk(with_document)),
    Route("guarantees:guarantee_submit", APPLICANTS, pk(guarantee(GuaranteeStatus.DRAFT))),
    Route("guarantees:guarantee_edit", APPLICANTS, pk(guarantee(GuaranteeStatus.DRAFT))),
    Route("guarantees:guarantee_resubmit", APPLICANTS, pk(guarantee(GuaranteeStatus.INFO_REQUESTED))),
    Route("guarantees:guarantee_revise", APPLICANTS, pk(rejected_alone)),
    Route("guarantees:guarantee_request_info", GUARANTORS, pk(guarantee(GuaranteeStatus.UNDER_REVIEW))),
    Route("guarantees:amendment_request", APPLICANTS, pk(guarantee(GuaranteeStatus.ISSUED))),
    Route("guarantees:amendment_approve", GUARANTORS, pk(amending(AmendmentStatus.REQUESTED))),
    Route("guarantees:amendment_refuse", GUARANTORS, pk(amending(AmendmentStatus.REQUESTED))),
    Route("guarantees:amendment_withdraw", APPLICANTS, pk(amending(AmendmentStatus.REQUESTED))),
    Route("guarantees:amendment_accept", BENEFICIARIES, pk(amending(AmendmentStatus.APPROVED))),
    Route("guarantees:amendment_decline", BENEFICIARIES, pk(amending(AmendmentStatus.APPROVED))),
    Route("guarantees:version_document", PARTIES, with_version),
    Route("guarantees:collusion_list", WARNED),
    Route("guarantees:guarantee_cancel", APPLICANTS, pk(guarantee(GuaranteeStatus.DRAFT))),
    Route("guarantees:guarantee_accept", GUARANTORS, pk(guarantee(GuaranteeStatus.SUBMITTED))),
    Route("guarantees:guarantee_approve", GUARANTORS, pk(guarantee(GuaranteeStatus.UNDER_REVIEW))),
    Route("guarantees:guarantee_reject", GUARANTORS, pk(guarantee(GuaranteeStatus.UNDER_REVIEW))),
    Route("guarantees:guarantee_confirm_payment", GUARANTORS, pk(guarantee(GuaranteeStatus.AWAITING_PAYMENT))),
    Route("guarantees:guarantee_issue", GUARANTORS, pk(guarantee(GuaranteeStatus.PAID))),
    Route("guarantees:guarantee_release", BENEFICIARIES, pk(guarantee(GuaranteeStatus.ISSUED))),
    Route("guarantees:surrender_request", APPLICANTS, pk(guarantee(GuaranteeStatus.ISSUED))),
    Route("guarantees:surrender_approve", GUARANTORS, pk(guarantee(GuaranteeStatus.SURRENDER_REQUESTED))),
    Route("guarantees:surrender_refuse", GUARANTORS, pk(guarantee(GuaranteeStatus.SURRENDER_REQUESTED))),
    Route("guarantees:attachment_add", APPLICANTS, pk(guarantee(GuaranteeStatus.DRAFT))),
    Route("guarantees:attachment_download", PARTIES, attachment),
    Route("guarantees:guarantee_archive", PARTIES, pk(with_attachment)),
    Route("guarantees:filing_list", DEPARTMENTS),
    Route("guarantees:filing_accept", DEPARTMENTS, pk(filed)),
    Route("guarantees:filing_return", DEPARTMENTS, pk(filed)),
    Route("guarantees:filing_refile", PARTIES, pk(filed)),
    Route("guarantees:inspect", DEPARTMENTS),
    Route("guarantees:inspection_list", READERS),
    Route("guarantees:inspection_detail", READERS, pk(inspection)),
    Route("api:guarantee-list", PARTIES),
    Route("api:guarantee-detail", PARTIES, pk(guarantee(GuaranteeStatus.ISSUED))),
    Route("api:guarantee-document", PARTIES, pk(with_document)),
    Route("api:guarantee-submit", APPLICANTS, pk(guarantee(GuaranteeStatus.DRAFT)), method="post", ok=400),
    Route("api:guarantee-unseal", ADMIN, pk(sealed), method="post", data={"reason": "提前开标"}),
    Route("api:guarantee-accept", GUARANTORS, pk(guarantee(GuaranteeStatus.SUBMITTED)), method="post"),
    Route(
        "api:guarantee-cancel", APPLICANTS, pk(guarantee(GuaranteeStatus.DRAFT)), method="post", data={"reason": "撤"}
    ),
    Route(
        "api:guarantee-reject",
        GUARANTORS,
        pk(guarantee(GuaranteeStatus.UNDER_REVIEW)),
        method="post",
        data={"reason": "否"},
    ),
    Route("api:guarantee-approve", GUARANTORS, pk(under_review), method="post"),
    Route(
        "api:guarantee-confirm-payment",
        GUARANTORS,
        pk(guarantee(GuaranteeStatus.AWAITING_PAYMENT)),
        method="post",
        data={"reference": "R1"},
    ),
    Route("api:guarantee-issue", GUARANTORS, pk(paid), method="post"),
    Route("api:guarantee-resubmit", APPLICANTS, pk(guarantee(GuaranteeStatus.INFO_REQUESTED)), method="post", ok=400),
    Route("api:guarantee-revise", APPLICANTS, pk(rejected_alone), method="post"),
    Route(
        "api:guarantee-request-info",
        GUARANTORS,
        pk(guarantee(GuaranteeStatus.UNDER_REVIEW)),
        method="post",
        data={"comment": "请补充"},
    ),
    Route("api:guarantee-amendments", PARTIES, pk(amending(AmendmentStatus.REQUESTED))),
    Route(
        "api:guarantee-request-amendment",
        APPLICANTS,
        pk(guarantee(GuaranteeStatus.ISSUED)),
        method="post",
        data={"reason": "顺延", "new_end_date": "2099-12-31"},
        ok=201,
    ),
    Route(
        "api:guarantee-decide-amendment",
        GUARANTORS,
        pk(amending(AmendmentStatus.REQUESTED)),
        method="post",
        data={"approve": True},
    ),
    Route(
        "api:guarantee-answer-amendment",
        BENEFICIARIES,
        pk(amending(AmendmentStatus.APPROVED)),
        method="post",
        data={"accept": False, "comment": "不同意"},
    ),
    Route("api:inspection-list", READERS),
    Route("api:inspection-detail", READERS, pk(inspection)),
]
