"""Business information (6.2.2): offers, their refusals, quotes, the figures registry, and
which guarantors an applicant may choose."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import ProtectedError

from eguarantee.core.exceptions import ServiceError
from eguarantee.guarantors import figures, selectors, services
from eguarantee.guarantors.models import Offer

from .helpers import gtype, offer_for, profile_for, qualification_for, ready_guarantor, second_guarantor, today

pytestmark = pytest.mark.django_db


def offer_data(**overrides):
    data = {
        "regions": ["350000"],
        "rate_min": Decimal("0.5000"),
        "rate_max": Decimal("1.2000"),
        "min_premium": Decimal("300.00"),
        "max_single_amount": Decimal("5000000.00"),
        "total_capacity": Decimal("50000000.00"),
        "turnaround_hours": 2,
    }
    data.update(overrides)
    return data


def refused(code, call, *args, **kwargs):
    with pytest.raises(ServiceError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


def test_create_offer_cleans_regions(demo_users, guarantor):
    offer = services.create_offer(
        actor=demo_users["guarantor_admin"],
        guarantor=guarantor,
        guarantee_type=gtype("bid"),
        data=offer_data(regions=" 350200、350100 350200"),
    )
    assert offer.regions == ["350200", "350100"]
    assert offer.region_names == "福建省厦门市、福建省福州市"


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"rate_min": Decimal("1.5"), "rate_max": Decimal("1.0")}, "rate_range_invalid", "rate_min"),
        ({"rate_min": Decimal("-0.1")}, "negative_value", "rate_min"),
        ({"min_premium": Decimal("-300")}, "negative_value", "min_premium"),
        ({"max_single_amount": Decimal("-1")}, "negative_value", "max_single_amount"),
        ({"total_capacity": Decimal("-1")}, "negative_value", "total_capacity"),
        ({"turnaround_hours": -4}, "negative_value", "turnaround_hours"),
        ({"rate_max": Decimal("120")}, "rate_out_of_range", "rate_max"),
        ({"regions": ["359999"]}, "unknown_region_code", "regions"),
        ({"regions": ["3502"]}, "invalid_region_code", "regions"),
        ({"regions": []}, "regions_required", "regions"),
        ({"max_single_amount": Decimal("60000000")}, "single_exceeds_capacity", "max_single_amount"),
        ({"total_capacity": Decimal("0"), "max_single_amount": Decimal("0")}, "must_be_positive", "max_single_amount"),
        ({"rate_min": "abc"}, "invalid_number", "rate_min"),
    ],
)
def test_bad_offer_input_writes_nothing(demo_users, guarantor, overrides, code, field):
    error = refused(
        code,
        services.create_offer,
        actor=demo_users["guarantor_admin"],
        guarantor=guarantor,
        guarantee_type=gtype("bid"),
        data=offer_data(**overrides),
    )
    assert error.field == field
    assert not Offer.objects.exists()


def test_bad_update_leaves_offer_as_it_was(demo_users, guarantor):
    offer = offer_for(guarantor)
    refused(
        "rate_range_invalid",
        services.update_offer,
        offer,
        actor=demo_users["guarantor_admin"],
        data={"rate_min": Decimal("2"), "rate_max": Decimal("1")},
    )
    offer.refresh_from_db()
    assert (offer.rate_min, offer.rate_max) == (Decimal("0.5000"), Decimal("1.0000"))


def test_one_offer_per_guarantor_and_type(demo_users, guarantor):
    offer_for(guarantor)
    refused(
        "duplicate_offer",
        services.create_offer,
        actor=demo_users["platform_admin"],
        guarantor=guarantor,
        guarantee_type=gtype("bid"),
        data=offer_data(),
    )
    assert Offer.objects.count() == 1


def test_disabled_type_refused(demo_users, guarantor):
    wage = gtype("wage")
    wage.enabled = False
    wage.save()
    refused(
        "type_disabled",
        services.create_offer,
        actor=demo_users["platform_admin"],
        guarantor=guarantor,
        guarantee_type=wage,
        data=offer_data(),
    )


def test_type_in_use_cannot_be_deleted(guarantor):
    offer_for(guarantor)
    with pytest.raises(ProtectedError):
        gtype("bid").delete()


def test_quote_uses_lower_rate_and_minimum_premium(guarantor):
    offer = offer_for(guarantor, rate_min=Decimal("0.5000"), rate_max=Decimal("1.0000"), min_premium=Decimal("300"))
    assert services.quote(offer, Decimal("1000000")) == Decimal("5000.00")
    assert services.quote(offer, Decimal("10000")) == Decimal("300.00")  # 50 元 < minimum
    assert services.quote(offer, "123456.78") == Decimal("617.28")  # 617.2839 → fen, half up
    refused("invalid_amount", services.quote, offer, 0)
    refused("negative_value", services.quote, offer, -5)
    refused("amount_exceeds_single_limit", services.quote, offer, Decimal("5000000.01"))


def test_figures_absent_until_a_provider_registers(guarantor):
    offer = offer_for(guarantor)
    assert figures.for_offer(offer) is None

    def provider(guarantor_id, guarantee_type_id):
        return figures.Figures(issued_count=3, outstanding_amount=Decimal("25000000"))

    figures.register(provider)
    try:
        counted = figures.for_offer(offer)
        assert counted.issued_count == 3
        assert figures.capacity_used(offer, counted) == Decimal("25.00")
    finally:
        figures.unregister(provider)


# ---------------------------------------------------------------- selectable_guarantors


def chosen(**kwargs):
    return set(selectors.selectable_guarantors(**kwargs).values_list("name", flat=True))


def test_selectable_requires_profile_valid_qualification_and_approval(demo_users):
    org = ready_guarantor(demo_users["guarantor_admin"].organization)
    assert chosen() == {org.name}
    assert chosen(guarantee_type=gtype("bid"), region_code="350203", amount=Decimal("1000000")) == {org.name}
    profile = org.guarantor_profile
    profile.enabled = False
    profile.save()
    assert chosen() == set()
    profile.enabled = True
    profile.save()
    org.status = "locked"
    org.save()
    assert chosen() == set()


def test_expired_qualification_stops_a_guarantor_being_chosen(demo_users):
    org = demo_users["guarantor_admin"].organization
    profile_for(org)
    offer_for(org)
    licence = qualification_for(org, valid_from=today() - timedelta(days=400), valid_to=today() - timedelta(days=1))
    qualification_for(org, historical=True)
    qualification_for(org, valid_from=today() + timedelta(days=3))  # not yet in force
    assert chosen(guarantee_type="bid") == set()
    licence.valid_to = today()  # last day of validity still counts
    licence.save()
    assert chosen(guarantee_type="bid") == {org.name}
    # Long-term licences (no end date) count.
    licence.valid_to = None
    licence.save()
    assert chosen(guarantee_type="bid") == {org.name}


def test_selectable_by_type_region_and_amount(demo_users):
    fujian = ready_guarantor(demo_users["guarantor_admin"].organization)  # bid, 350000, single 5M
    xiamen = second_guarantor()
    qualification_for(xiamen)
    offer_for(xiamen, regions=["350200"], max_single_amount=Decimal("1000000"), total_capacity=Decimal("3000000"))
    offer_for(xiamen, code="performance", regions=["350200"], enabled=False)
    assert chosen(guarantee_type="bid", region_code="350203") == {fujian.name, xiamen.name}
    assert chosen(guarantee_type="bid", region_code="350102") == {fujian.name}  # 福州 not served by the second
    assert chosen(guarantee_type="bid", region_code="440300") == set()  # 深圳: nobody
    assert chosen(guarantee_type="bid", region_code="999999") == set()
    assert chosen(guarantee_type="bid", amount=Decimal("2000000")) == {fujian.name}  # over the second's single limit
    assert chosen(guarantee_type="performance") == set()  # offer disabled
    assert chosen(guarantee_type=gtype("quality")) == set()  # no offer at all
    bid = gtype("bid")
    bid.enabled = False
    bid.save()
    assert chosen(guarantee_type="bid") == set()


def test_selectable_respects_capacity_counted_by_the_platform(demo_users):
    org = ready_guarantor(
        demo_users["guarantor_admin"].organization,
        total_capacity=Decimal("10000000"),
        max_single_amount=Decimal("5000000"),
    )

    def provider(guarantor_id, guarantee_type_id):
        return figures.Figures(issued_count=2, outstanding_amount=Decimal("8000000"))

    assert chosen(guarantee_type="bid", amount=Decimal("3000000")) == {org.name}
    figures.register(provider)
    try:
        assert chosen(guarantee_type="bid", amount=Decimal("3000000")) == set()  # 8M + 3M > 10M
        assert chosen(guarantee_type="bid", amount=Decimal("2000000")) == {org.name}
    finally:
        figures.unregister(provider)
