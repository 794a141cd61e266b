"""Demo guarantees for `make run`: on the demo project, one bid guarantee issued (signed PDF
to download, verifiable with 查验) and one waiting for the guarantor's review."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from eguarantee.catalog.models import GuaranteeType
from eguarantee.guarantors.demo import DEMO_PDF
from eguarantee.projects.demo import DEMO_NUMBER
from eguarantee.projects.models import Section

from . import services
from .models import Guarantee


def seed_demo(users):
    sections = list(Section.objects.filter(project__number=DEMO_NUMBER).order_by("number"))
    if len(sections) < 2 or Guarantee.objects.filter(section__in=sections).exists():
        return
    bid = GuaranteeType.objects.get(code="bid")
    applicant, reviewer = users["applicant_operator"], users["guarantor_reviewer"]
    guarantor = users["guarantor_admin"].organization
    opening = timezone.localtime(sections[0].project.bid_opening_at).date()
    end = opening + datetime.timedelta(days=sections[0].project.bid_validity_days)

    def apply(section):
        made = services.create_application(
            actor=applicant,
            guarantee_type=bid,
            guarantor=guarantor,
            amount=section.bid_bond_amount,
            start_date=opening,
            end_date=end,
            section=section,
        )
        for item in bid.required_attachments:
            notice = ContentFile(DEMO_PDF, name=f"{item['key']}.pdf")
            notice.content_type = "application/pdf"
            services.add_attachment(made, actor=applicant, key=item["key"], upload=notice)
        return made

    issued = apply(sections[0])
    services.submit(issued, actor=applicant)
    services.accept(issued, actor=reviewer)
    services.approve(issued, actor=reviewer, comment="资料齐全，同意出函")
    services.confirm_payment(issued, actor=reviewer, reference="DEMO-0001")
    services.issue(issued, actor=reviewer)
    waiting = apply(sections[1])
    services.submit(waiting, actor=applicant)
