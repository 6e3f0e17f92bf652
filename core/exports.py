"""Every CSV and XLSX file the site writes puts its cells through here.

What people type ends up in these files: a shopper's name in the order export,
a product title in the merchant feed, a facility's name in a report. A
spreadsheet reads a cell starting with `=`, `+`, `-` or `@` (or a tab or
carriage return before one) as a formula, so `=HYPERLINK("http://x","Klik")`
typed as a name would become a live link, or worse, in the office's Excel
(CSV/formula injection). Following OWASP's guidance, such a text cell is
written with a leading `'`, which spreadsheets show as text.

Numbers stay numbers: an int, Decimal or float is never touched, nor is a
string that is only a number ("-1,50", "+62812..."), which no spreadsheet
runs as anything but a number.

CSV: `csv_writer(file)` is csv.writer with the rule applied to every cell.
XLSX: `xlsx_cell(worksheet, value)` is an openpyxl write-only cell; a text
cell is stored as a string (openpyxl would store "=..." as a formula), and
one that looks like a formula also gets Excel's quote-prefix flag, so it stays
text even when someone edits it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*")


def looks_like_formula(value: Any) -> bool:
    """Whether a spreadsheet would read `value`, as text, as a formula."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(value)
    )


def neutralise(value: Any) -> Any:
    """`value` as it may be written to a CSV cell: a formula-like text gets a
    leading `'`; anything else is returned unchanged."""
    return "'" + value if looks_like_formula(value) else value


class SafeCsvWriter:
    """csv.writer whose every cell has been through `neutralise`."""

    def __init__(self, file, **fmtparams):
        self._writer = csv.writer(file, **fmtparams)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(file, **fmtparams) -> SafeCsvWriter:
    """The only way the site writes CSV rows (the csv module's parameters)."""
    return SafeCsvWriter(file, **fmtparams)


def xlsx_cell(worksheet, value: Any):
    """An openpyxl WriteOnlyCell for `value`, never a formula when it is text."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(worksheet, value=value)
    if isinstance(value, str):
        # openpyxl stores a string starting with "=" as a formula.
        cell.data_type = "s"
        if looks_like_formula(value):
            cell.quotePrefix = True
    return cell
