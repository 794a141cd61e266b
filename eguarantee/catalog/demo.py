"""Demo templates: the platform's default bid template and the demo guarantor's own."""

from django.utils import timezone

from eguarantee.accounts.choices import OrgType

from . import placeholders
from .choices import TemplateStatus
from .models import GuaranteeTemplate, GuaranteeType


def seed_demo(users):
    bid = GuaranteeType.objects.get(code="bid")
    admin = users["platform_admin"]
    guarantor = users["guarantor_admin"].organization
    assert guarantor.org_type == OrgType.GUARANTOR
    for owner, name in ((None, "投标保函（平台默认格式）"), (guarantor, "投标保函（海峡担保格式）")):
        GuaranteeTemplate.objects.get_or_create(
            guarantee_type=bid,
            guarantor=owner,
            version=1,
            defaults={
                "name": name,
                "title": "投标保函",
                "body": placeholders.SAMPLE_BODY,
                "status": TemplateStatus.PUBLISHED,
                "created_by": admin,
                "published_by": admin,
                "published_at": timezone.now(),
            },
        )
