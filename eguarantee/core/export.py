"""Excel export that streams: rows are written to a temporary file as they are read from
the database (openpyxl write-only mode, queryset.iterator), so memory stays flat whether the
export holds a hundred rows or a hundred thousand."""

import tempfile
from datetime import datetime

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font


def cell_value(value):
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if value is None:
        return ""
    if isinstance(value, (int, float, str)):
        return value
    return str(value)


def write_xlsx(fileobj, headers, rows, sheet_title="数据"):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title)
    header_cells = []
    bold = Font(bold=True)
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([cell_value(v) for v in row])
    workbook.save(fileobj)


def xlsx_response(headers, rows, filename, sheet_title="数据"):
    # SpooledTemporaryFile keeps small exports in memory and moves large ones to disk.
    spool = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)
    write_xlsx(spool, headers, rows, sheet_title)
    spool.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d%H%M%S")
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"{filename}-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def queryset_rows(queryset, columns, chunk_size=2000):
    """columns: list of (header, getter) where getter is an attribute path or a callable."""
    for obj in queryset.iterator(chunk_size=chunk_size):
        yield [resolve(obj, getter) for _, getter in columns]


def resolve(obj, getter):
    if callable(getter):
        return getter(obj)
    value = obj
    for part in getter.split("__"):
        if value is None:
            return None
        display = getattr(value, f"get_{part}_display", None)
        value = display() if display else getattr(value, part)
    return value
