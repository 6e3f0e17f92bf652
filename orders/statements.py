"""Reading banks' statement exports (mutasi rekening, CSV) into credit lines.

Each bank lays its export out differently; a layout names the columns to read.
Two common ones are built in, and staff can give their own column names for
any other bank. Preamble rows (account number, period) before the header row
and summary rows after the table are skipped. Only credits (money in) are
returned: debits can never pay an order.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from orders.models import CODE_ALPHABET, CODE_LENGTH, StatementLine


class StatementError(Exception):
    """The file cannot be read with the chosen layout; the message says why."""


@dataclass(frozen=True)
class StatementLayout:
    """Which columns hold what. Either `amount` with a `direction` column whose
    value starts with `credit_marker`, or a separate `credit` column."""

    date: str
    description: str
    amount: str = ""
    direction: str = ""
    credit_marker: str = "CR"
    credit: str = ""
    balance: str = ""

    def columns(self) -> list[str]:
        return [
            c for c in (self.date, self.description, self.amount, self.direction, self.credit) if c
        ]


LAYOUTS = {
    # BCA KlikBCA/myBCA: one amount column and a CR/DB column.
    "bca": StatementLayout(
        date="Tanggal",
        description="Keterangan",
        amount="Jumlah",
        direction="CR/DB",
        credit_marker="CR",
        balance="Saldo",
    ),
    # KlikBCA's own CSV: the direction is written after the amount ("125,000.00 CR").
    "bca_klik": StatementLayout(
        date="Tanggal Transaksi",
        description="Keterangan",
        amount="Jumlah",
        credit_marker="CR",
        balance="Saldo",
    ),
    # BRI, Mandiri and most others: separate debit and credit columns.
    "debet_kredit": StatementLayout(
        date="Tanggal Transaksi", description="Uraian", credit="Kredit", balance="Saldo"
    ),
}


@dataclass(frozen=True)
class CreditLine:
    """One credit of the statement, with the hash that identifies it across
    imports of the same (or an overlapping) export."""

    booked_on: date | None
    description: str
    amount: Decimal
    line_hash: str


_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y", "%d/%m")


def parse_date(value: str) -> date | None:
    value = value.strip().strip("'")
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        if fmt == "%d/%m":
            # BCA writes "22/11" (the statement's year); "PEND" lines have none.
            parsed = parsed.replace(year=date.today().year)
        return parsed.date()
    return None


def parse_amount(value: str) -> Decimal | None:
    """'1,250,000.00', '1.250.000,00', 'Rp 125.000', '125000' -> Decimal.

    When both separators appear the last one is the decimal point; a single
    separator followed by exactly three digits groups thousands.
    """
    text = re.sub(r"[^\d.,-]", "", value or "")
    if not text or not re.search(r"\d", text):
        return None
    if "," in text and "." in text:
        decimal_sep = "," if text.rfind(",") > text.rfind(".") else "."
    elif "," in text or "." in text:
        sep = "," if "," in text else "."
        head, _, tail = text.rpartition(sep)
        decimal_sep = sep if text.count(sep) == 1 and len(tail) != 3 else ""
    else:
        decimal_sep = ""
    thousands = {",", "."} - {decimal_sep}
    for sep in thousands:
        text = text.replace(sep, "")
    if decimal_sep:
        text = text.replace(decimal_sep, ".")
    try:
        return abs(Decimal(text))
    except InvalidOperation:
        return None


_CODE_RUN = re.compile(f"[{CODE_ALPHABET}]{{{CODE_LENGTH},}}")


def order_code_candidates(description: str) -> set[str]:
    """Every string in `description` that could be an order code. Banks glue
    words together ('KBACDEFGHJKM'), so every window of a long enough run of
    code characters counts; the database says which are real."""
    found = set()
    for run in _CODE_RUN.findall(description.upper()):
        for start in range(len(run) - CODE_LENGTH + 1):
            found.add(run[start : start + CODE_LENGTH])
    return found


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _normalise(name: str) -> str:
    return " ".join(name.strip().strip("\ufeff").lower().split())


def read_statement(data: bytes, layout: StatementLayout) -> list[CreditLine]:
    """The credit lines of a CSV export read with `layout`.

    Raises StatementError when no header row has the layout's columns, or when
    the file is not CSV that Python's reader can parse.
    """
    # NUL is never meaningful in an export, and PostgreSQL text cannot store it.
    text = _decode(data).replace("\x00", "")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        # newline="": the reader itself splits rows on \r\n, \n or a lone \r
        # (old exports), as the csv module asks.
        rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as error:  # e.g. a field over the module's 128 KB limit
        raise StatementError(
            _("Berkas tidak dapat dibaca sebagai CSV (%(reason)s).") % {"reason": error}
        ) from None
    wanted = [_normalise(c) for c in layout.columns()]
    header_index = None
    for index, row in enumerate(rows[:30]):
        names = [_normalise(cell) for cell in row]
        if all(name in names for name in wanted):
            header_index, header = index, names
            break
    if header_index is None:
        raise StatementError(
            _("Baris judul kolom tidak ditemukan. Kolom yang dicari: %(columns)s.")
            % {"columns": ", ".join(layout.columns())}
        )

    def cell(row: list[str], column: str) -> str:
        if not column:
            return ""
        position = header.index(_normalise(column))
        return row[position].strip() if position < len(row) else ""

    lines: list[CreditLine] = []
    seen: dict[str, int] = {}
    for row in rows[header_index + 1 :]:
        if not any(c.strip() for c in row):
            continue
        description = " ".join(cell(row, layout.description).split())
        if layout.credit:
            amount = parse_amount(cell(row, layout.credit))
        else:
            raw_amount = cell(row, layout.amount)
            direction = cell(row, layout.direction) if layout.direction else raw_amount
            # Some exports write "125,000.00 CR" in the amount column itself.
            if not direction.upper().strip().startswith(layout.credit_marker.upper()) and not (
                raw_amount.upper().rstrip().endswith(layout.credit_marker.upper())
            ):
                continue
            amount = parse_amount(raw_amount)
        if not amount:
            # A debit, an empty credit, or a summary row ("Saldo Awal", totals).
            continue
        booked_on = parse_date(cell(row, layout.date))
        if booked_on is None:
            continue
        balance = cell(row, layout.balance) if layout.balance else ""
        key = "|".join([booked_on.isoformat(), description.upper(), str(amount), balance])
        # Two identical transfers on one day are two lines: number repeats.
        seen[key] = seen.get(key, 0) + 1
        digest = hashlib.sha256(f"{key}|{seen[key]}".encode()).hexdigest()
        lines.append(
            CreditLine(
                booked_on=booked_on, description=description, amount=amount, line_hash=digest
            )
        )
    _check_amounts(lines)
    return lines


def _check_amounts(lines: list[CreditLine]) -> None:
    """Refuse the file when a line's amount cannot be a transfer (nor be stored):
    it almost always means the wrong column (an account or reference number)
    was read as the amount."""
    field = StatementLine._meta.get_field("amount")
    limit = Decimal(10) ** (field.max_digits - field.decimal_places)
    for line in lines:
        if line.amount >= limit:
            raise StatementError(
                _(
                    "Nominal %(amount)s pada baris “%(description)s” (%(date)s) terlalu besar "
                    "untuk satu transfer. Periksa kolom nominal yang dibaca; tidak ada baris "
                    "yang diimpor."
                )
                % {
                    "amount": f"{line.amount:,.0f}".replace(",", "."),
                    "description": line.description[:80],
                    "date": f"{line.booked_on:%d/%m/%Y}" if line.booked_on else "-",
                }
            )
