"""Reading the gateway's settlement report (CSV downloaded from the Midtrans
dashboard, Transactions / Settlement) into lines.

Midtrans does not publish the report's layout as an API contract, and its
dashboard has changed it over time; the columns read here are those of the
dashboard's CSV download (see docs/books.md), found by name wherever they
stand, with the snake_case names of the API as aliases. Required: Order ID,
Transaction Status, Gross Amount and a time (Settlement Time, else
Transaction Time). Fee, Net Amount, Transaction ID and Payment Type are read
when present.

Whatever the file holds, reading ends in lines or in a StatementError with an
Indonesian message, like the bank statements (orders.payments.statement_csv) whose CSV
mechanics it shares. A row whose amount or time cannot be read is kept as a
line with a problem for a person, never dropped.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from orders.payments.models import GatewayReportLine
from orders.payments.statement_csv import StatementError, normalise_column, parse_amount, read_rows

COLUMNS = {
    "order_id": ("order id", "order_id", "orderid"),
    "transaction_id": ("transaction id", "transaction_id"),
    "payment_type": ("payment type", "payment_type", "payment method"),
    "status": ("transaction status", "transaction_status", "status"),
    "gross": ("gross amount", "gross_amount", "amount"),
    "fee": ("fee", "fee amount", "mdr"),
    "net": ("net amount", "net_amount"),
    "time": (
        "settlement time",
        "settlement_time",
        "settlement date",
        "transaction time",
        "transaction_time",
    ),
}
REQUIRED = ("order_id", "status", "gross", "time")
_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%d",
    "%d/%m/%Y",
)
# What a field of the model can hold; longer text is cut, never refused.
_LIMITS = {"order_id": 64, "transaction_id": 64, "payment_type": 40, "status": 30}
# A formula cell ("=HYPERLINK(...)") is kept as text: it is never evaluated
# here, and the admin escapes what it shows.


@dataclass(frozen=True)
class ReportLine:
    gateway_order_id: str
    transaction_id: str
    payment_type: str
    transaction_status: str
    gross_amount: Decimal
    fee: Decimal
    net_amount: Decimal
    settled_at: datetime | None
    time_text: str
    line_hash: str
    problem: str = ""

    @property
    def settled_on(self) -> date | None:
        return timezone.localdate(self.settled_at) if self.settled_at else None


def parse_time(value: str) -> datetime | None:
    """'2026-11-28 10:05:12' (the dashboard writes WIB, the site's zone) ->
    an aware datetime; None when it is not a real moment."""
    value = value.strip().strip("'")
    for fmt in _TIME_FORMATS:
        try:
            moment = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return timezone.make_aware(moment)
    return None


def _find_header(rows: list[list[str]]) -> tuple[int, dict[str, int]]:
    for index, row in enumerate(rows[:30]):
        names = [normalise_column(cell) for cell in row]
        found = {}
        for key, aliases in COLUMNS.items():
            for alias in aliases:
                if alias in names:
                    found[key] = names.index(alias)
                    break
        if all(key in found for key in REQUIRED):
            return index, found
    raise StatementError(
        _(
            "Baris judul kolom laporan settlement tidak ditemukan. Kolom yang dicari: "
            "Order ID, Transaction Status, Gross Amount, Settlement Time."
        )
    )


def read_report(data: bytes) -> list[ReportLine]:
    """The lines of a settlement report.

    Raises StatementError when the file is not CSV, has no header with the
    required columns, or holds an amount no payment can have (the wrong
    column read as the amount, most likely).
    """
    rows = read_rows(data)
    try:
        header_index, columns = _find_header(rows)
    except StatementError:
        # The sniffer guesses the separator from the first few KB, and a
        # preamble ("Periode;...") can mislead it: try each one in turn.
        for delimiter in (",", ";", "\t"):
            rows = read_rows(data, delimiter=delimiter)
            try:
                header_index, columns = _find_header(rows)
                break
            except StatementError:
                continue
        else:
            raise

    def cell(row: list[str], key: str) -> str:
        position = columns.get(key)
        if position is None or position >= len(row):
            return ""
        text = " ".join(row[position].split()).strip("'")
        return text[: _LIMITS.get(key, 80)]

    limit = Decimal(10) ** 13  # the model's max_digits (15) less 2 decimals
    lines: list[ReportLine] = []
    seen: dict[str, int] = {}
    for row in rows[header_index + 1 :]:
        if not any(c.strip() for c in row):
            continue
        order_id = cell(row, "order_id")
        if not order_id:
            continue  # a summary row ("Total") names no transaction
        status = cell(row, "status").lower()
        time_text = cell(row, "time")[:40]
        gross = parse_amount(cell(row, "gross"))
        settled_at = parse_time(time_text)
        problem = ""
        if gross is None or gross < 0 or settled_at is None:
            problem = GatewayReportLine.Outcome.BAD_ROW
        if gross is not None and abs(gross) >= limit:
            raise StatementError(
                _(
                    "Nominal pada baris %(order)s terlalu besar untuk satu pembayaran. "
                    "Periksa kolom Gross Amount; tidak ada baris yang diimpor."
                )
                % {"order": order_id[:40]}
            )
        fee = parse_amount(cell(row, "fee")) or Decimal(0)
        net = parse_amount(cell(row, "net")) or Decimal(0)
        if abs(fee) >= limit or abs(net) >= limit:
            fee = net = Decimal(0)  # informative only; never stops an import
            problem = problem or GatewayReportLine.Outcome.BAD_ROW
        key = "|".join([order_id, cell(row, "transaction_id"), status, str(gross), time_text])
        # The same row twice in one report is two lines (the second one is
        # then a duplicate for a person), not one.
        seen[key] = seen.get(key, 0) + 1
        lines.append(
            ReportLine(
                gateway_order_id=order_id,
                transaction_id=cell(row, "transaction_id"),
                payment_type=cell(row, "payment_type"),
                transaction_status=status or "-",
                gross_amount=gross if gross is not None and not problem else Decimal(0),
                fee=fee,
                net_amount=net,
                settled_at=settled_at,
                time_text=time_text,
                line_hash=hashlib.sha256(f"{key}|{seen[key]}".encode()).hexdigest(),
                problem=problem,
            )
        )
    return lines
