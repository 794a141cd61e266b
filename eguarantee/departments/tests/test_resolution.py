"""归口 resolution: the most specific enabled rule among the region and its ancestors wins."""

import pytest

from eguarantee.departments import selectors
from eguarantee.projects.choices import ProjectType

from .helpers import department, rule

pytestmark = pytest.mark.django_db

BUILDING, MUNICIPAL = ProjectType.BUILDING, ProjectType.MUNICIPAL


@pytest.fixture
def depts(db):
    return {
        "province": department("福建省住房和城乡建设厅", "350000"),
        "city": department("厦门市建设局", "350200"),
        "district": department("厦门市思明区建设局", "350203"),
        "beijing": department("北京市住房和城乡建设委员会", "110000"),
    }


def test_most_specific_rule_wins(depts):
    rule(depts["province"], "350000")
    rule(depts["city"], "350200")
    assert selectors.resolve_department(BUILDING, "350203") == depts["city"]  # district → city rule
    assert selectors.resolve_department(BUILDING, "350200") == depts["city"]
    assert selectors.resolve_department(BUILDING, "350102") == depts["province"]  # 福州: only the province's
    rule(depts["district"], "350203")
    assert selectors.resolve_department(BUILDING, "350203") == depts["district"]
    assert selectors.resolve_department(BUILDING, "350206") == depts["city"]  # 湖里区 still the city's


def test_rules_of_other_project_types_do_not_apply(depts):
    rule(depts["city"], "350200", MUNICIPAL)
    assert selectors.resolve_department(BUILDING, "350203") is None
    assert selectors.resolve_department(MUNICIPAL, "350203") == depts["city"]


def test_disabled_rules_are_ignored(depts):
    rule(depts["province"], "350000")
    rule(depts["city"], "350200", enabled=False)
    assert selectors.resolve_department(BUILDING, "350203") == depts["province"]


def test_no_rule_gives_none(depts):
    assert selectors.resolve_department(BUILDING, "350203") is None
    rule(depts["city"], "350200")
    assert selectors.resolve_department(BUILDING, "110105") is None
    for junk in ("", None, "abc", "9999999", 350203):
        assert selectors.resolve_department(BUILDING, junk) is None


def test_municipality_district_falls_back_to_the_municipality(depts):
    """直辖市: 110105 朝阳区 has no city row above it; the chain is 110105 → 110000."""
    rule(depts["beijing"], "110000")
    assert selectors.resolve_department(BUILDING, "110105") == depts["beijing"]
    resolution = selectors.resolve(BUILDING, "110105")
    assert [c.region_code for c in resolution.candidates] == ["110105", "110000"]
    assert resolution.department == depts["beijing"]


def test_resolution_is_one_query(depts, django_assert_num_queries):
    rule(depts["province"], "350000")
    rule(depts["city"], "350200")
    with django_assert_num_queries(1):
        department_in_charge = selectors.resolve_department(BUILDING, "350203")
        assert department_in_charge.name == "厦门市建设局"  # the department came with the rule


def test_many_projects_resolved_in_one_query(depts, django_assert_num_queries):
    rule(depts["province"], "350000")
    rule(depts["city"], "350200")
    rule(depts["beijing"], "110000", MUNICIPAL)
    pairs = [(BUILDING, "350203"), (BUILDING, "350102"), (MUNICIPAL, "110105"), (MUNICIPAL, "350203")]
    with django_assert_num_queries(1):
        result = selectors.resolve_departments(pairs)
    assert result == {
        (BUILDING, "350203"): depts["city"],
        (BUILDING, "350102"): depts["province"],
        (MUNICIPAL, "110105"): depts["beijing"],
        (MUNICIPAL, "350203"): None,
    }
    for pair in pairs:
        assert result[pair] == selectors.resolve_department(*pair)


def test_resolution_explains_the_chain(depts):
    province_rule = rule(depts["province"], "350000")
    city_rule = rule(depts["city"], "350200")
    parked = rule(depts["district"], "350203", enabled=False)
    resolution = selectors.resolve(BUILDING, "350203")
    assert resolution.rule == city_rule and resolution.department == depts["city"]
    assert resolution.region_name == "福建省厦门市思明区"
    chain = [(c.region_code, c.level_label, c.rule, c.disabled_rules, c.chosen) for c in resolution.candidates]
    assert chain == [
        ("350203", "区县级", None, [parked], False),
        ("350200", "市级", city_rule, [], True),
        ("350000", "省级", province_rule, [], False),
    ]
