import pytest

from eguarantee.guarantors import figures

from .helpers import profile_for


@pytest.fixture
def guarantor(demo_users):
    """The demo guarantor (海峡工程担保股份有限公司) with its institution record."""
    org = demo_users["guarantor_admin"].organization
    profile_for(org, short_code="HXDB")
    return org


@pytest.fixture(autouse=True)
def _no_figure_providers(monkeypatch):
    """These tests register their own providers; the guarantees module's real one (tested
    there) stays out of the way."""
    monkeypatch.setattr(figures, "_providers", [])
