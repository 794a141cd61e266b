"""Demo data for `make run`: the demo guarantor's institution, two qualifications (one
expiring within 30 days, so the warning and the badges show), offers for bid and
performance guarantees in Fujian, and a published bid clause. Idempotent."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from eguarantee.catalog.models import GuaranteeType

from . import services
from .models import Clause, GuarantorProfile, Offer, Qualification

# Smallest PDF the upload check accepts (content sniffing looks at the magic number).
DEMO_PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

CLAUSE_BODY = """第一条 本保函为见索即付独立保函，保证人在担保金额内承担保证责任。
第二条 受益人索赔时，应提交书面索赔通知，写明投标人违反招标文件规定的情形及索赔金额。
第三条 保证人在收到符合本保函约定的索赔文件之日起五个工作日内审查并付款，拒付时一次性书面告知全部不符点。
第四条 本保函有效期届满或保证人已累计支付至担保金额时，保证责任终止。"""


@transaction.atomic
def seed_demo(users):
    admin = users["platform_admin"]
    org = users["guarantor_admin"].organization
    today = timezone.localdate()
    if not GuarantorProfile.objects.filter(organization=org).exists():
        services.create_profile(
            actor=admin,
            organization=org,
            data={
                "institution_type": "guarantee_company",
                "registered_capital": Decimal("1000000000.00"),
                "credit_rating": "AA+",
                "rating_agency": "中诚信国际信用评级有限责任公司",
                "rating_date": today - timedelta(days=120),
                "legal_representative": "陈海峰",
                "service_hotline": "400-800-0592",
                "short_code": "HXDB",
                "introduction": "海峡工程担保股份有限公司专注于工程建设领域的投标、履约、工程款支付等保证担保业务。",
            },
        )
    qualifications = [
        (
            "financing_guarantee_licence",
            "闽融担00012",
            "福建省地方金融监督管理局",
            today - timedelta(days=700),
            today + timedelta(days=1100),
        ),
        (
            "business_licence",
            "91350211MA0000DEMO",
            "厦门市市场监督管理局",
            today - timedelta(days=3600),
            today + timedelta(days=20),
        ),
    ]
    for kind, number, body, start, end in qualifications:
        if not Qualification.objects.filter(guarantor=org, licence_number=number).exists():
            services.add_qualification(
                actor=admin,
                guarantor=org,
                data={
                    "kind": kind,
                    "licence_number": number,
                    "issuing_body": body,
                    "valid_from": start,
                    "valid_to": end,
                },
                certificate=SimpleUploadedFile(f"{number}.pdf", DEMO_PDF, content_type="application/pdf"),
            )
    offers = [
        ("bid", ["350000"], "0.3000", "0.6000", "300.00", "5000000.00", "500000000.00", 2),
        ("performance", ["350200", "350100"], "0.8000", "1.5000", "1000.00", "30000000.00", "800000000.00", 24),
    ]
    for code, regions, rate_min, rate_max, minimum, single, capacity, hours in offers:
        guarantee_type = GuaranteeType.objects.get(code=code)
        if not Offer.objects.filter(guarantor=org, guarantee_type=guarantee_type).exists():
            services.create_offer(
                actor=admin,
                guarantor=org,
                guarantee_type=guarantee_type,
                data={
                    "regions": regions,
                    "rate_min": Decimal(rate_min),
                    "rate_max": Decimal(rate_max),
                    "min_premium": Decimal(minimum),
                    "max_single_amount": Decimal(single),
                    "total_capacity": Decimal(capacity),
                    "turnaround_hours": hours,
                },
            )
    bid = GuaranteeType.objects.get(code="bid")
    if not Clause.objects.filter(guarantor=org, guarantee_type=bid).exists():
        clause = services.create_clause(
            actor=admin,
            guarantor=org,
            guarantee_type=bid,
            data={"title": "投标保函业务条款", "body": CLAUSE_BODY, "effective_from": today.replace(month=1, day=1)},
        )
        services.publish_clause(clause, actor=admin)
