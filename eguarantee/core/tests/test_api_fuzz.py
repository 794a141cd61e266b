"""Random bodies against every write route of the API: whatever arrives, the answer is a
JSON error with a code (or a success), never a 500, and a refused request writes nothing."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eguarantee.accounts.models import Organization, Role, User

FIELDS = [
    "name",
    "credit_code",
    "org_type",
    "region_code",
    "username",
    "full_name",
    "mobile",
    "email",
    "password",
    "organization",
    "role_codes",
    "permissions",
    "code",
    "enabled",
    "reason",
    "status",
    "id",
]
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.text(max_size=40),
    st.sampled_from(["applicant", "platform", "350200", "13900000001", "Demo@2026!", "accounts.view_user", "💥", ""]),
    st.lists(st.text(max_size=10), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)
BODIES = st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=6)

WRITE_ROUTES = [
    ("post", "/api/v1/organizations/"),
    ("patch", "/api/v1/organizations/{org}/"),
    ("post", "/api/v1/organizations/{org}/reject/"),
    ("post", "/api/v1/users/"),
    ("patch", "/api/v1/users/{user}/"),
    ("post", "/api/v1/users/{user}/roles/"),
    ("post", "/api/v1/roles/"),
    ("patch", "/api/v1/roles/{role}/"),
]


def counts():
    return (Organization.objects.count(), User.objects.count(), Role.objects.count())


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), WRITE_ROUTES)
@pytest.mark.parametrize("role", ["platform_admin", "platform_security", "applicant_admin"])
def test_random_bodies_never_cause_a_server_error(method, path, role, api_for, demo_users):
    client = api_for(role)
    url = path.format(
        org=demo_users["applicant_admin"].organization_id,
        user=demo_users["applicant_operator"].pk,
        role=Role.objects.get(code="applicant_operator").pk,
    )

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(body=BODIES)
    def check(body):
        before = counts()
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code < 500, (body, response.content[:300])
        if response.status_code >= 400:
            assert response.json()["error"]["code"], body
            assert counts() == before, body

    check()
