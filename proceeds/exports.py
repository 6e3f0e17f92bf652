"""The ledger as XLSX for auditors (BPK): one sheet of months, one of
payments. Cells go through core.exports (no formula runs from typed text);
amounts are numbers with the Rp format, so they sum."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils.translation import gettext as _

from core.exports import xlsx_cell
from proceeds import rules

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = '"Rp" #,##0'


def _sheet(workbook, title, headers, rows, money_columns):
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(title=title[:31])
    header_cells = []
    for header in headers:
        cell = xlsx_cell(sheet, header)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            cell = xlsx_cell(sheet, value)
            if index in money_columns:
                cell.number_format = MONEY_FORMAT
            cells.append(cell)
        sheet.append(cells)


def ledger_xlsx(rows, entries) -> HttpResponse:
    """`rows`: selectors.LedgerRow; `entries`: LedgerEntry with facility, ledger, programme."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    month_headers = [_("Kanwil"), _("UPT"), _("Bulan"), _("Penjualan barang")]
    for kind in rules.KINDS:
        label = str(rules.KIND_LABELS[kind])
        month_headers += [f"{label}: {_('terutang')}", f"{label}: {_('dibayar')}"]
    month_headers += [
        _("Selisih"),
        _("Status"),
        _("Penjelasan"),
        _("Ditutup oleh"),
        _("Ditutup pada"),
    ]
    money = {3, *range(4, 4 + 2 * len(rules.KINDS) + 1)}
    month_rows = []
    for row in rows:
        values = [row.region, row.facility, f"{row.month:%Y-%m}", row.sales.total]
        for kind in rules.KINDS:
            values += [row.due[kind], row.paid[kind]]
        ledger = row.ledger
        values += [
            row.difference,
            _("Ditutup") if row.is_closed else _("Terbuka"),
            ledger.explanation if ledger else "",
            (ledger.closed_by.get_username() if ledger and ledger.closed_by else ""),
            (f"{ledger.closed_at:%Y-%m-%d %H:%M}" if ledger and ledger.closed_at else ""),
        ]
        month_rows.append(values)
    _sheet(workbook, _("Buku hasil per bulan"), month_headers, month_rows, money)
    entry_headers = [
        _("UPT"),
        _("Bulan"),
        _("Jenis"),
        _("Program kerja"),
        _("Jumlah"),
        _("Tanggal"),
        _("Nomor bukti"),
        _("Kode billing SIMPONI"),
        _("NTPN"),
        _("Catatan"),
        _("Dicatat oleh"),
    ]
    entry_rows = [
        [
            entry.facility.name,
            f"{entry.ledger.month:%Y-%m}",
            str(rules.KIND_LABELS[entry.kind]),
            entry.programme.name if entry.programme else "",
            entry.amount,
            f"{entry.paid_on:%Y-%m-%d}",
            entry.reference,
            entry.billing_code,
            entry.ntpn,
            entry.note,
            entry.entered_by.get_username() if entry.entered_by else "",
        ]
        for entry in entries
    ]
    _sheet(workbook, _("Pembayaran"), entry_headers, entry_rows, {4})
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="buku-hasil.xlsx"'
    return response
