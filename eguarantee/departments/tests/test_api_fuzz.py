"""Random bodies against the departments' write routes: a JSON error with a code or a
success, never a 500, and a refused request writes nothing."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eguarantee.departments.models import DepartmentProfile, JurisdictionRule

from .helpers import rule

FIELDS = ["project_type", "region_code", "department", "enabled", "note", "parent", "duties", "contact_email"]
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.text(max_size=30),
    st.sampled_from(["building", "municipal", "350200", "350203", "350102", "110105", "000000", "💥", ""]),
    st.lists(st.text(max_size=5), max_size=2),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)
BODIES = st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=5)


def state():
    return (
        sorted(JurisdictionRule.objects.values_list("pk", "project_type", "region_code", "department_id", "enabled")),
        sorted(DepartmentProfile.objects.values_list("organization_id", "parent_id", "duties", "contact_email")),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/jurisdiction-rules/"),
        ("patch", "/api/v1/jurisdiction-rules/{rule}/"),
        ("patch", "/api/v1/departments/{dept}/"),
    ],
)
def test_random_bodies_never_cause_a_server_error(method, path, api_for, demo_users):
    client = api_for("platform_admin")
    city = demo_users["department_admin"].organization
    url = path.format(rule=rule(city, "350200").pk, dept=city.pk)

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(body=BODIES)
    def check(body):
        before = state()
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code < 500, (body, response.content[:300])
        if response.status_code >= 400:
            assert response.json()["error"]["code"], body
            assert state() == before, body

    check()
