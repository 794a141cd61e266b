"""Random bodies against this module's write routes: a JSON error with a code or a
success, never a server error, and a refused request writes nothing."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eguarantee.guarantors.models import Clause, GuarantorProfile, Offer, Qualification

from .helpers import clause_for, offer_for

FIELDS = [
    "organization",
    "guarantor",
    "guarantee_type",
    "institution_type",
    "registered_capital",
    "short_code",
    "regions",
    "rate_min",
    "rate_max",
    "min_premium",
    "max_single_amount",
    "total_capacity",
    "turnaround_hours",
    "enabled",
    "title",
    "body",
    "effective_from",
    "effective_to",
    "kind",
    "valid_from",
    "valid_to",
]
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.text(max_size=30),
    st.sampled_from(["bid", "350000", "1e400", "NaN", "-0.5", "2030-02-30", "2030-01-01", "99999999999999999999", ""]),
    st.lists(st.one_of(st.text(max_size=8), st.integers()), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)
BODIES = st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=7)


def counts():
    return tuple(m.objects.count() for m in (GuarantorProfile, Qualification, Offer, Clause))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/guarantors/"),
        ("patch", "/api/v1/guarantors/{profile}/"),
        ("post", "/api/v1/guarantor-offers/"),
        ("patch", "/api/v1/guarantor-offers/{offer}/"),
        ("post", "/api/v1/guarantor-clauses/"),
        ("patch", "/api/v1/guarantor-clauses/{clause}/"),
        ("post", "/api/v1/guarantor-qualifications/"),
    ],
)
@pytest.mark.parametrize("role", ["platform_admin", "guarantor_admin"])
def test_random_bodies_never_cause_a_server_error(method, path, role, api_for, guarantor):
    client = api_for(role)
    url = path.format(
        profile=guarantor.guarantor_profile.pk,
        offer=offer_for(guarantor).pk,
        clause=clause_for(guarantor).pk,
    )

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(body=BODIES)
    def check(body):
        before = counts()
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code < 500, (body, response.content[:300])
        if response.status_code >= 400:
            assert response.json()["error"]["code"], body
            assert counts() == before, body

    check()
