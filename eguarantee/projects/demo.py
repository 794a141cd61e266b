"""Demo project for `make run`: a 市政 project in 思明区 entered by the demo applicant."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from . import services
from .choices import ProjectType
from .models import Project

DEMO_NUMBER = "E3502030001202600101"


def seed_demo(users):
    if Project.objects.filter(number=DEMO_NUMBER).exists():
        return
    applicant = users["applicant_admin"]
    beneficiary = users["beneficiary_admin"].organization
    opening = (timezone.localtime() + timedelta(days=30)).replace(hour=9, minute=30, second=0, microsecond=0)
    services.create_project(
        actor=applicant,
        data={
            "number": DEMO_NUMBER,
            "name": "厦门市思明区环岛路市政道路提升改造工程",
            "project_type": ProjectType.MUNICIPAL,
            "region_code": "350203",
            "beneficiary": beneficiary,
            "total_investment": Decimal("86000000.00"),
            "contract_estimate": Decimal("72500000.00"),
            "bid_opening_at": opening,
            "bid_validity_days": 90,
            "tender_announced_at": timezone.now() - timedelta(days=2),
        },
        sections=[
            {"number": "01", "name": "第一标段（道路工程）", "bid_bond_amount": Decimal("800000.00")},
            {"number": "02", "name": "第二标段（排水及照明工程）", "bid_bond_amount": Decimal("500000.00")},
        ],
    )
