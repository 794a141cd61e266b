"""中华人民共和国行政区划代码: names, levels and the province → city → district chain.

The table is the one python-stdnum ships for 身份证 birthplaces (stdnum/cn/loc.dat, from the
official code lists, with the years each code was in use); only codes in use today count.
"""

import re
from functools import cache
from pathlib import Path

import stdnum

PROVINCE, CITY, DISTRICT = "province", "city", "district"
LEVEL_LABELS = {PROVINCE: "省级", CITY: "市级", DISTRICT: "区县级"}
_ENTRY = re.compile(r'^(\s*)(\d+) (?:province|county)="(?:\[(\d*)-(\d*)\])?(.*)"')


@cache
def _table():
    """code → name, for the codes in use (no end year)."""
    names = {}
    province = ""
    path = Path(stdnum.__file__).parent / "cn" / "loc.dat"
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _ENTRY.match(line)
        if not match:
            continue
        indent, digits, _start, end, name = match.groups()
        if not indent:
            province = digits
            names[f"{digits}0000"] = name
            continue
        if end:  # abolished or renamed
            continue
        code = province + digits
        if code.endswith("0000") or name in ("市辖区", "县") or name.endswith(("行政区划", "行政单位")):
            continue  # the province itself again, or a grouping row rather than a place
        names[code] = name
    return names


def level(code):
    if code.endswith("0000"):
        return PROVINCE
    if code.endswith("00"):
        return CITY
    return DISTRICT


def is_valid(code):
    return isinstance(code, str) and len(code) == 6 and code in _table()


def name(code):
    return _table().get(code)


def ancestors(code):
    """The code and the codes above it, most specific first: 350203 → 350203, 350200, 350000.
    Levels missing from the table (直辖市 districts have no city row) are skipped."""
    chain = [code, f"{code[:4]}00", f"{code[:2]}0000"]
    seen = []
    for item in chain:
        if item not in seen and (item == code or item in _table()):
            seen.append(item)
    return seen


def full_name(code):
    """福建省厦门市思明区: every level's name, without repeats (北京市 is province and city)."""
    parts = []
    for item in reversed(ancestors(code)):
        part = name(item)
        if part and part not in parts:
            parts.append(part)
    return "".join(parts) if parts else code


def children(parent=None):
    """[(code, name)] one level below parent (provinces when parent is None)."""
    table = _table()
    if parent is None:
        return [(c, n) for c, n in table.items() if c.endswith("0000")]
    if level(parent) == PROVINCE:
        # Cities, and the districts with no city row above them (直辖市 districts, and
        # county-level cities governed by the province directly, as 469001 五指山市).
        return [
            (c, n)
            for c, n in table.items()
            if c[:2] == parent[:2] and (level(c) == CITY or (level(c) == DISTRICT and f"{c[:4]}00" not in table))
        ]
    if level(parent) == CITY:
        return [(c, n) for c, n in table.items() if c[:4] == parent[:4] and level(c) == DISTRICT]
    return []


def choices():
    """Every code in use, labelled with its full name, for select boxes."""
    return [(code, f"{code} {full_name(code)}") for code in sorted(_table())]
