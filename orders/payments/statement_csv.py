"""Reading banks' statement exports (mutasi rekening, CSV) into credit lines.

Each bank lays its export out differently; a layout names the columns to read.
Two common ones are built in, and staff can give their own column names for
any other bank. Preamble rows (account number, period) before the header row
and summary rows after the table are skipped, and so are debits: they can
never pay an order.

Every other row in the credit column becomes a line: either one the matcher
may confirm an order with, or one that carries a `problem` (a date that does
not exist, a negative amount, a transaction the bank has not booked yet) and
waits for a person with that reason. Nothing that looks like a credit is
dropped without a word.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from orders.models import CODE_ALPHABET, CODE_LENGTH
from orders.payments.models import StatementLine

Outcome = StatementLine.Outcome
# What the reader itself decides a line needs a person for.
READER_OUTCOMES = frozenset(
    o.value for o in (Outcome.BAD_DATE, Outcome.PENDING, Outcome.NOT_CREDIT)
)


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
    imports of the same (or an overlapping) export.

    `problem` is empty for a line the matcher may confirm with, else the
    StatementLine outcome that says why a person must look at it.
    """

    booked_on: date | None
    description: str
    amount: Decimal
    line_hash: str
    date_text: str = ""
    problem: str = ""


_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y")
_DAY_MONTH = re.compile(r"(\d{1,2})/(\d{1,2})")
PENDING_MARKER = "PEND"


def parse_date(value: str, *, today: date | None = None) -> date | None:
    """The date written in `value`, or None when it is not a real date
    ("31/04/2026", "29/02/2026") or not a date at all."""
    value = value.strip().strip("'")
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    day_month = _DAY_MONTH.fullmatch(value)
    if day_month:
        # BCA writes "22/11": the statement's year, which is this year unless
        # that puts the day in the future (a December export read in January).
        # Parsed by hand: strptime fills in 1900, which has no 29 February.
        today = today or timezone.localdate()
        day, month = int(day_month[1]), int(day_month[2])
        for year in (today.year, today.year - 1):
            try:
                booked = date(year, month, day)
            except ValueError:
                continue
            if booked <= today:
                return booked
    return None


def parse_amount(value: str) -> Decimal | None:
    """'1,250,000.00', '1.250.000,00', 'Rp 125.000', '125000' -> Decimal.

    When both separators appear the last one is the decimal point; a single
    separator followed by exactly three digits groups thousands. The sign is
    kept: '-125.000', '125.000-' and '(125.000)' are negative, and a negative
    amount in a credit column is money going out, never a payment.
    """
    raw = (value or "").strip()
    negative = (
        raw.startswith("-") or raw.endswith("-") or (raw.startswith("(") and raw.endswith(")"))
    )
    text = re.sub(r"[^\d.,-]", "", raw).strip("-")
    if "-" in text:  # "12-500": not a number
        return None
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
        amount = Decimal(text)
    except InvalidOperation:
        return None
    return -amount if negative else amount


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


def normalise_column(name: str) -> str:
    """A column name as compared: case, outer spaces, BOM and inner runs of
    spaces do not matter."""
    return " ".join(name.strip().strip("\ufeff").lower().split())


def read_rows(data: bytes, *, delimiter: str = "") -> list[list[str]]:
    """The rows of an exported CSV file, whatever its encoding, separator
    (sniffed unless `delimiter` is given) and line endings. Shared by every
    export read here (bank statements, the gateway's settlement report).

    Raises StatementError when Python's CSV reader cannot parse the file.
    """
    # NUL is never meaningful in an export, and PostgreSQL text cannot store it.
    text = _decode(data).replace("\x00", "")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=delimiter or ",;\t|")
    except csv.Error:
        dialect = csv.excel
    if delimiter and dialect.delimiter != delimiter:
        # The caller knows better than the sniffer (a preamble confuses it).
        dialect = type("Given", (csv.excel,), {"delimiter": delimiter})
    try:
        # newline="": the reader itself splits rows on \r\n, \n or a lone \r
        # (old exports), as the csv module asks.
        return list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as error:  # e.g. a field over the module's 128 KB limit
        raise StatementError(
            _("Berkas tidak dapat dibaca sebagai CSV (%(reason)s).") % {"reason": error}
        ) from None


def read_statement(data: bytes, layout: StatementLayout) -> list[CreditLine]:
    """The credit lines of a CSV export read with `layout`.

    Raises StatementError when no header row has the layout's columns, or when
    the file is not CSV that Python's reader can parse.
    """
    rows = read_rows(data)
    wanted = [normalise_column(c) for c in layout.columns()]
    header_index = None
    for index, row in enumerate(rows[:30]):
        names = [normalise_column(cell) for cell in row]
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
        position = header.index(normalise_column(column))
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
            # A debit (nothing or 0 in the credit column) or an empty cell.
            continue
        date_text = cell(row, layout.date).strip().strip("'")
        booked_on = parse_date(date_text)
        problem = ""
        if booked_on is None:
            if date_text.upper().startswith(PENDING_MARKER):
                # Not booked yet: it comes back with its date in a later export.
                problem = Outcome.PENDING
            elif re.search(r"\d", date_text):
                # Written as a date but not a real one ("29/02/2026", "31/04"):
                # the row is not what it seems, so no one is confirmed by it.
                problem = Outcome.BAD_DATE
            else:
                # A summary row ("Saldo Awal", "Total Kredit") has no date.
                continue
        if amount < 0:
            problem = Outcome.NOT_CREDIT
        balance = cell(row, layout.balance) if layout.balance else ""
        day = booked_on.isoformat() if booked_on else date_text
        key = "|".join([day, description.upper(), str(amount), balance])
        # Two identical transfers on one day are two lines: number repeats.
        seen[key] = seen.get(key, 0) + 1
        digest = hashlib.sha256(f"{key}|{seen[key]}".encode()).hexdigest()
        lines.append(
            CreditLine(
                booked_on=booked_on,
                description=description,
                amount=amount,
                line_hash=digest,
                date_text=date_text[:40],
                problem=problem,
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
