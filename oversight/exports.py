"""CSV and XLSX files of a report: one table definition, two formats.

CSV: UTF-8 with a byte-order mark and `;` between fields, which is what Excel
set to Indonesian (where `,` is the decimal comma) opens into columns; numbers
are written bare (1250000) so they stay numbers.

XLSX (openpyxl): amounts are real numbers with the format `"Rp" #,##0`. A
format code inside the file always uses `,` for grouping; Excel swaps in the
reader's own separators when it displays, so Excel in Indonesian shows
Rp 1.250.000 and the cell still sums.

Both formats write their cells through core.exports, the site's one
guard against formula injection: a name typed by a person never runs as a
spreadsheet formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.http import HttpResponse

from core.exports import csv_writer, xlsx_cell

TEXT, COUNT, MONEY, MONTH, PERCENT = "text", "count", "money", "month", "percent"

NUMBER_FORMATS = {
    COUNT: "#,##0",
    MONEY: '"Rp" #,##0',
    MONTH: "mmm yyyy",
    PERCENT: '0.00"%"',
}
WIDTHS = {TEXT: 32, COUNT: 12, MONEY: 18, MONTH: 12, PERCENT: 10}

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Sheet:
    title: str
    columns: Sequence[tuple[str, str]]  # (header, kind)
    rows: Iterable[Sequence]


def _csv_value(value, kind: str):
    if value is None:
        return ""
    if kind == MONTH and isinstance(value, date):
        return value.strftime("%Y-%m")
    if kind == PERCENT and isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    return value if isinstance(value, int | Decimal) else str(value)


def csv_response(sheet: Sheet, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv_writer(buffer, delimiter=";")
    writer.writerow([header for header, _kind in sheet.columns])
    kinds = [kind for _header, kind in sheet.columns]
    for row in sheet.rows:
        writer.writerow([_csv_value(value, kind) for value, kind in zip(row, kinds, strict=True)])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(sheets: Sequence[Sheet], filename: str) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=sheet.title[:31])
        worksheet.freeze_panes = "A2"
        for index, (_header, kind) in enumerate(sheet.columns, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = WIDTHS[kind]
        header_cells = []
        for header, _kind in sheet.columns:
            cell = xlsx_cell(worksheet, header)
            cell.font = bold
            header_cells.append(cell)
        worksheet.append(header_cells)
        kinds = [kind for _header, kind in sheet.columns]
        for row in sheet.rows:
            cells = []
            for value, kind in zip(row, kinds, strict=True):
                if kind == TEXT and value is not None:
                    value = str(value)
                cell = xlsx_cell(worksheet, float(value) if isinstance(value, Decimal) else value)
                if kind in NUMBER_FORMATS and value is not None:
                    cell.number_format = NUMBER_FORMATS[kind]
                cells.append(cell)
            worksheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
