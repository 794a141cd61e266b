"""行政区划代码 lookups used by registration, projects and 归口."""

import pytest
from django.core.exceptions import ValidationError

from eguarantee.accounts.validators import validate_region_code
from eguarantee.core import regions


def test_names_levels_and_chain():
    assert regions.full_name("350203") == "福建省厦门市思明区"
    assert regions.ancestors("350203") == ["350203", "350200", "350000"]
    assert [regions.level(c) for c in regions.ancestors("350203")] == ["district", "city", "province"]
    # 直辖市: districts sit right under the municipality
    assert regions.ancestors("110105") == ["110105", "110000"]
    assert regions.full_name("110105") == "北京市朝阳区"


def test_children_walk_down_including_province_governed_counties():
    assert ("350000", "福建省") in regions.children()
    assert ("350200", "厦门市") in regions.children("350000")
    assert ("350203", "思明区") in regions.children("350200")
    assert ("469001", "五指山市") in regions.children("460000")
    assert regions.children("350203") == []


@pytest.mark.parametrize("code", ["350203", "350200", "350000", "110105"])
def test_codes_in_use_are_accepted(code):
    validate_region_code(code)


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("35020", "invalid_region_code"),
        ("abcdef", "invalid_region_code"),
        ("350299", "unknown_region_code"),
        ("110103", "unknown_region_code"),
    ],  # 110103 崇文区 was merged away in 2010
)
def test_bad_or_abolished_codes_are_refused(code, error):
    with pytest.raises(ValidationError) as exc:
        validate_region_code(code)
    assert exc.value.code == error
