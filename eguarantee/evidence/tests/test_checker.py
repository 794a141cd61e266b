"""The checker's fast paths say exactly what its exact ones say: PostgreSQL's rendering of a
row is Recorder.data_of()'s text wherever it vouches for it, and the tree rebuilt a chunk
at a time finds what the leaf-by-leaf walk finds."""

import dataclasses
import datetime
import functools
import json
from decimal import Decimal

import pytest
from django.db import connection, transaction

from eguarantee.evidence import checker, record_sql, services, tree_check
from eguarantee.evidence.models import Entry, Node, node_key
from eguarantee.evidence.records import recorder, registry
from eguarantee.evidence.testing import raw
from eguarantee.guarantees.models import Guarantee

pytestmark = pytest.mark.django_db


def postgresql_only(test):
    """A test of PostgreSQL's rendering. On SQLite there is none to test: what runs there
    instead checks that every kind takes the exact path (nothing is skipped)."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        if connection.vendor == "postgresql":
            return test(*args, **kwargs)
        assert all(record_sql.layout(rec) is None for rec in registry().values())
        return None

    return run


STRINGS = [
    "plain",
    "",
    'quote " and backslash \\',
    "tab\tnew\nline\r\x01\x1f\x7f",
    "保函编号“一”\u2028\u2029😀",
]
NUMBERS = ["0.00", "-1.50", "0.05", "9999999999999999.99"]
DATES = ["0001-01-01", "0999-12-31", "2026-02-28", "9999-12-31"]
TIMES = [
    "2026-11-28 05:00:42+00",
    "2026-11-28 05:00:42.5+08",
    "0001-01-01 00:00:00.000001+00",
    "9999-12-31 23:59:59.999999+00",
]


def _rendered(kind):
    """{pk: (text, strings)} as the fast path reads them."""
    layout = record_sql.layout(recorder(kind))
    rows = recorder(kind).model._base_manager.order_by("pk").values_list("pk", *layout.expressions)
    return {pk: (text, strings) for pk, text, strings in checker._fetch_all(rows)}


@postgresql_only
@pytest.mark.parametrize("n", range(len(STRINGS)))
def test_postgresql_renders_a_row_exactly_as_data_of_wherever_it_vouches_for_it(logged, n):
    raw(
        "UPDATE guarantees_guarantee SET number = %s, order_number = %s, amount = %s, premium = %s, "
        "start_date = %s, end_date = %s, issued_at = %s, closed_at = %s, section_id = NULL WHERE id = %s",
        STRINGS[n],
        STRINGS[-1 - n],
        NUMBERS[n % 4],
        None if n == 4 else NUMBERS[-1 - n % 4],
        DATES[n % 4],
        DATES[-1 - n % 4],
        TIMES[n % 4],
        None if n == 4 else TIMES[-1 - n % 4],
        logged.pk,
    )
    state = recorder("guarantee.state")
    exact = dict(state.rows())
    text, strings = _rendered("guarantee.state")[logged.pk]
    vouched = record_sql._SENTINEL not in text and not record_sql._ESCAPED.search(strings)
    assert vouched == (not record_sql._ESCAPED.search(STRINGS[n] + STRINGS[-1 - n]))
    if vouched:
        assert text == exact[logged.pk]


@postgresql_only
def test_a_value_postgresql_cannot_vouch_for_is_left_to_the_exact_check(logged):
    raw("SET CONSTRAINTS ALL IMMEDIATE")  # the ALTER must not wait on deferred checks
    raw("ALTER TABLE guarantees_guarantee ALTER COLUMN amount TYPE numeric(20, 4)")
    raw("UPDATE guarantees_guarantee SET amount = 200000.0049 WHERE id = %s", logged.pk)
    text, _ = _rendered("guarantee.state")[logged.pk]
    assert record_sql._SENTINEL in text
    report = checker.check(workers=1)
    # data_of quantizes to the field's two places: the row still says 200000.00
    assert report.ok, report.problems


@postgresql_only
def test_every_kind_recorded_by_the_platform_has_an_exact_layout_or_none(logged):
    for kind, rec in registry().items():
        layout = record_sql.layout(rec)
        if layout is None:
            continue
        exact = dict(rec.rows())
        for pk, (text, strings) in _rendered(kind).items():
            if record_sql._SENTINEL not in text and not record_sql._ESCAPED.search(strings):
                assert text == exact[pk], kind


@postgresql_only
def test_rows_with_strings_to_escape_are_still_compared(logged):
    raw("UPDATE guarantees_guarantee SET order_number = %s WHERE id = %s", 'a"b', logged.pk)
    problems = checker.check(workers=1).problems
    assert any("已被修改" in p and 'a"b' in p for p in problems), problems


def _suspects(kind, rec=None):
    rec = rec or recorder(kind)
    return record_sql.suspects(record_sql.layout(rec), None, None)[1]


def _leaf(kind, object_id, data):
    return Entry.objects.create(kind=kind, object_id=object_id, subject_id=object_id, data=data)


EDGE_TIMES = [
    "0001-01-01 00:00:00+00",  # year 1, microsecond 0
    "0001-01-01 00:00:00.999999+00",
    "2026-11-28 05:00:42+00",
    "2026-11-28 05:00:42.999999+00",
    "9999-12-31 23:59:59+00",
    "9999-12-31 23:59:59.999999+00",  # year 9999, microsecond 999999
]


@postgresql_only
@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai", "America/St_Johns", "Pacific/Kiritimati", "Etc/GMT+12"])
def test_postgresql_compares_times_at_the_edges_as_data_of_writes_them_in_any_session_time_zone(logged, zone):
    state = recorder("guarantee.state")
    for n, issued in enumerate(EDGE_TIMES):
        closed = EDGE_TIMES[-1 - n]
        raw("UPDATE guarantees_guarantee SET issued_at = %s, closed_at = %s WHERE id = %s", issued, closed, logged.pk)
        exact = dict(state.rows())[logged.pk]  # read in UTC: Python holds no year 10000
        assert f'"issued_at":"{issued[:19].replace(" ", "T")}' in exact
        assert ('.999999+00:00"' if "." in issued else '.000000+00:00"') in exact
        _leaf(state.kind, logged.pk, exact)  # the row as recorded now: its newest leaf
        raw(f"SET TIME ZONE '{zone}'")
        try:
            assert _suspects(state.kind) == []
            raw("UPDATE guarantees_guarantee SET issued_at = issued_at + '1 microsecond' WHERE id = %s", logged.pk)
            assert _suspects(state.kind) == [logged.pk]
        finally:
            raw("SET TIME ZONE 'UTC'")


@postgresql_only
def test_a_record_that_changes_is_compared_with_its_newest_leaf_only(logged):
    state = recorder("guarantee.state")
    exact = dict(state.rows())[logged.pk]
    assert _suspects(state.kind) == []
    _leaf(state.kind, logged.pk, exact.replace('"issued"', '"closed"'))  # newer, and different
    assert _suspects(state.kind) == [logged.pk]
    _leaf(state.kind, logged.pk, exact)  # newer still, and the same: the older ones do not count
    assert _suspects(state.kind) == []
    # a record that stays as recorded matches if any of its leaves does (one recorded twice)
    stays = dataclasses.replace(state, mutable=False)
    _leaf(state.kind, logged.pk, exact.replace('"issued"', '"closed"'))
    assert _suspects(state.kind) == [logged.pk]
    assert _suspects(state.kind, stays) == []
    Entry.objects.filter(kind=state.kind, object_id=logged.pk, data=exact).delete()
    assert _suspects(state.kind, stays) == [logged.pk]


@postgresql_only
def test_a_row_with_no_leaf_and_a_leaf_with_no_row_are_suspects(logged):
    state = recorder("guarantee.state")
    Entry.objects.filter(kind=state.kind, object_id=logged.pk).delete()
    missing = 10**12
    _leaf(state.kind, missing, f'{{"id":{missing}}}')
    assert _suspects(state.kind) == [logged.pk, missing]
    assert record_sql.suspects(record_sql.layout(state), missing, None) == (0, [missing])
    assert record_sql.suspects(record_sql.layout(state), None, missing) == (Guarantee.objects.count(), [logged.pk])


@postgresql_only
@pytest.mark.parametrize("text", ['a"b', "a\\b", "a\x01b", "a\x1fb", "a\nb", "a\tb"])
def test_a_string_json_escapes_is_a_suspect_even_where_the_leaf_holds_it_unescaped(logged, text):
    state = recorder("guarantee.state")
    raw("UPDATE guarantees_guarantee SET order_number = %s WHERE id = %s", text, logged.pk)
    exact = dict(state.rows())[logged.pk]
    _leaf(state.kind, logged.pk, exact.replace(json.dumps(text, ensure_ascii=False), f'"{text}"'))
    assert _suspects(state.kind) == [logged.pk]
    _leaf(state.kind, logged.pk, exact)
    assert _suspects(state.kind) == [logged.pk]  # not vouched for either way: the exact check decides
    assert not [p for p in checker.check(workers=1).problems if f"保函 #{logged.pk}" in p]  # it matches


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 4 leaves and slices of 8, so a test log spans many of both."""
    monkeypatch.setattr(tree_check, "CHUNK_LEVEL", 2)
    monkeypatch.setattr(tree_check, "CHUNK", 4)
    monkeypatch.setattr(tree_check, "SLICE_LEVEL", 3)
    monkeypatch.setattr(tree_check, "SLICE", 8)
    monkeypatch.setattr(tree_check, "_TEMPLATE", None)


def test_the_tree_rebuilt_in_chunks_and_slices_verifies(logged, small_chunks):
    report = checker.check(workers=1)
    assert report.ok, report.problems
    assert report.leaves == Entry.objects.filter(index__isnull=False).count() > 16


def test_chunks_and_slices_find_a_forged_node_a_rewritten_leaf_and_a_gap(logged, small_chunks):
    Node.objects.filter(pk=node_key(1, 2)).update(hash=b"\x11" * 32)  # inside a chunk
    Node.objects.filter(pk=node_key(4, 0)).update(hash=b"\x22" * 32)  # above the slices
    entry = Entry.objects.get(index=13)
    Entry.objects.filter(pk=entry.pk).update(data=entry.data + " ")
    problems = checker.check(workers=1).problems
    assert "树节点 (1, 2) 与重算结果不符" in problems
    assert "树节点 (4, 0) 与重算结果不符" in problems
    assert f"叶子 13（{entry.kind} #{entry.object_id}）的数据与树中哈希不符：存证记录被改动" in problems
    Entry.objects.filter(index__in=[9, 10]).delete()
    problems = checker.check(workers=1).problems
    assert "叶子 9–10 缺失：存证记录被删除" in problems
    assert "树节点 (4, 0) 与重算结果不符" not in problems  # beyond the gap nothing is rebuilt


def test_a_slice_that_starts_with_a_missing_leaf_names_the_gap_from_where_it_begins(logged, small_chunks):
    Entry.objects.filter(index__in=[7, 8, 9]).delete()
    problems = checker.check(workers=1).problems
    assert "叶子 7–9 缺失：存证记录被删除" in problems


def test_chunks_report_in_the_order_of_a_leaf_by_leaf_walk(logged, small_chunks, monkeypatch):
    for level, index in [(0, 20), (2, 1), (0, 3)]:
        Node.objects.filter(pk=node_key(level, index)).update(hash=b"\x33" * 32)
    chunked = checker.check(workers=1).problems
    monkeypatch.setattr(tree_check, "_fast_chunk", lambda *args: False)  # every chunk leaf by leaf
    assert checker.check(workers=1).problems == chunked


def test_a_head_over_a_forged_tree_is_named(logged, small_chunks):
    head = services.publish_head()
    with transaction.atomic():
        from eguarantee.evidence.models import TreeHead

        TreeHead.objects.filter(pk=head.pk).update(root=b"\x44" * 32)
    problems = checker.check(workers=1).problems
    assert f"签名树头 {head.size} 的根哈希与重算结果不符" in problems


def test_a_guarantee_changed_in_many_ways_is_named_field_by_field(logged):
    raw(
        "UPDATE guarantees_guarantee SET amount = %s, end_date = %s, issued_at = %s WHERE id = %s",
        "1.00",
        "2030-01-01",
        datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC),
        logged.pk,
    )
    problems = checker.check(workers=1).problems
    [problem] = [p for p in problems if f"保函 #{logged.pk}" in p]
    assert "担保金额（元） 存证为 200000.00，数据库现为 1.00" in problem
    assert "数据库现为 2030-01-01" in problem and "2030-01-01T00:00:00.000000+00:00" in problem
    assert Guarantee.objects.get(pk=logged.pk).amount == Decimal("1.00")
