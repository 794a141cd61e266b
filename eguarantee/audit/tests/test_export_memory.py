"""The Excel export streams (queryset.iterator → openpyxl write-only → file): memory stays
flat from 10,000 to 100,000 rows, and the file holds every row."""

import time
import tracemalloc
import uuid
import zipfile
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from eguarantee.audit.models import OperationLog
from eguarantee.audit.views import OPERATION_COLUMNS
from eguarantee.core import export

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("heavy")]

HEADERS = [header for header, _ in OPERATION_COLUMNS]
# The memory pass writes one column of unique strings: openpyxl without lxml writes about
# 25,000 cells a second, five times slower under tracemalloc, and what would make memory
# grow (a cached queryset, a sheet kept in memory) grows per row, not per column.
TRACED_COLUMNS = [("请求编号", "request_id")]


def fill(count):
    base = timezone.now() - timedelta(days=1)
    OperationLog.objects.bulk_create(
        [
            OperationLog(
                time=base + timedelta(milliseconds=i),
                user_name=f"user{i % 50}",
                ip=f"10.0.{i % 250}.{i % 200 + 1}",
                request_id=uuid.uuid4().hex,  # unique strings: nothing to share between rows
                method="POST",
                path=f"/accounts/users/{i}/lock/",
                module="账号与权限",
                action="user_lock",
                object_repr=f"演示用户{i}",
                result="success" if i % 7 else "failure",
                status_code=302,
                duration_ms=i % 1000,
                params={"row": i, "note": f"备注{i}"},
                user_agent="Mozilla/5.0 (pytest)",
            )
            for i in range(count)
        ],
        batch_size=2000,
    )


def multiply(copies):
    """INSERT … SELECT the rows there are `copies` more times (bulk_create of 100,000 model
    instances alone takes longer than the whole export)."""
    table = OperationLog._meta.db_table
    columns = [f.column for f in OperationLog._meta.concrete_fields if not f.primary_key]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    for copy in range(1, copies + 1):
        select = ", ".join(
            f"{connection.ops.quote_name(c)} || '-{copy}'" if c == "request_id" else connection.ops.quote_name(c)
            for c in columns
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({quoted}) SELECT {select} FROM {table} WHERE request_id NOT LIKE '%%-%%'"
            )


def test_export_content(tmp_path):
    fill(2000)
    path = tmp_path / "operations.xlsx"
    with path.open("wb") as handle:
        rows = export.queryset_rows(OperationLog.objects.order_by("time", "id"), OPERATION_COLUMNS)
        export.write_xlsx(handle, HEADERS, rows, "操作日志")
    sheet = load_workbook(path, read_only=True)["操作日志"]
    data = list(sheet.iter_rows(values_only=True))
    assert len(data) == 2001
    assert list(data[0]) == HEADERS
    first = dict(zip(HEADERS, data[1], strict=True))
    assert first["路径"] == "/accounts/users/0/lock/" and first["模块"] == "账号与权限"
    assert first["结果"] == "失败"  # row 0 failed; the label is exported, not the code
    assert first["状态码"] == 302 and "备注0" in first["参数"]
    assert first["时间"].tzinfo is None  # Excel has no time zones: local time is written
    assert data[-1][HEADERS.index("路径")] == "/accounts/users/1999/lock/"


def traced_export(queryset, path):
    """Export `queryset` to `path`; returns the peak of Python memory while doing it."""
    with open(path, "wb") as handle:
        tracemalloc.start()
        try:
            rows = export.queryset_rows(queryset, TRACED_COLUMNS)
            export.write_xlsx(handle, [h for h, _ in TRACED_COLUMNS], rows, "操作日志")
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


def test_export_memory_is_flat(tmp_path):
    started = time.monotonic()
    # only(): the rows stay model instances read through the same iterator, without parsing
    # thirteen columns nobody writes here.
    queryset = OperationLog.objects.order_by("id").only("request_id")
    fill(10_000)
    traced_export(queryset[:10], tmp_path / "warmup.xlsx")  # imports and caches outside the measurement
    small_peak = traced_export(queryset, tmp_path / "small.xlsx")

    multiply(9)
    assert OperationLog.objects.count() == 100_000
    path = tmp_path / "large.xlsx"
    large_peak = traced_export(queryset, path)

    # Ten times the rows, about the same memory: rows go to disk as they are read.
    assert large_peak < small_peak * 2 + 2 * 1024 * 1024, (small_peak, large_peak)
    assert large_peak < 16 * 1024 * 1024, large_peak  # and not everything at once in either run

    # The file opens in openpyxl, and holds the header and all 100,000 rows. Rows are counted
    # in the sheet's XML stream: openpyxl takes longer to read them than to write them.
    workbook = load_workbook(path, read_only=True)
    assert workbook.sheetnames == ["操作日志"]
    top = list(workbook["操作日志"].iter_rows(max_row=2, values_only=True))
    assert top[0] == ("请求编号",) and len(top[1][0]) == 32
    workbook.close()
    rows, tail = 0, b""
    with zipfile.ZipFile(path) as archive, archive.open("xl/worksheets/sheet1.xml") as xml:
        while chunk := xml.read(1 << 20):
            text = tail + chunk
            rows += text.count(b"<row ") - tail.count(b"<row ")
            tail = text[-4096:]
    assert rows == 100_001, rows
    assert b'<row r="100001"' in tail
    assert time.monotonic() - started < 90
