"""Report pages and their CSV/XLSX exports, inside the admin (see oversight/urls.py).

Thin: check the user has a scope, validate the filter against that scope,
ask the selectors, render or export. A filter naming a region or facility
outside the scope is refused with a message, never silently widened.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from catalog.models import ListingStatus
from core.page_cache import public_page
from facilities.scoping import Scope, scope_for
from oversight import exports, selectors
from oversight.charts import bar_chart
from oversight.forms import ReportFilterForm
from oversight.periods import month_label, months_between


def _scope(request) -> Scope:
    scope = scope_for(request.user)
    if scope.role is None:
        raise PermissionDenied
    return scope


def _bad_filter(form: ReportFilterForm) -> HttpResponseBadRequest:
    messages = [str(message) for errors in form.errors.values() for message in errors]
    return HttpResponseBadRequest(
        "\n".join([_("Filter laporan tidak valid:"), *messages]),
        content_type="text/plain; charset=utf-8",
    )


def _page(request, template: str, context: dict) -> HttpResponse:
    return render(request, template, {**admin.site.each_context(request), **context})


# --- sales ------------------------------------------------------------------


def _sales(form: ReportFilterForm) -> tuple[list, list]:
    data = form.cleaned_data
    rows = selectors.sales_by_facility_month(
        form.scope, facilities=form.facilities(), first=data["first"], last=data["last"]
    )
    return rows, selectors.proceeds_allocation(rows)


SALES_FIGURES = (
    "orders",
    "items",
    "revenue",
    "consigned_items",
    "consigned_revenue",
    "channel_items",
    "channel_revenue",
    "shipping",
    "total",
    "refunds",
    "net",
    "retail_orders",
    "retail_revenue",
    "institutional_orders",
    "institutional_revenue",
)


def _sales_totals(rows) -> dict[str, int]:
    return {key: sum(getattr(row, key) for row in rows) for key in SALES_FIGURES}


# Past this many facility-month rows the page shows facility totals only and
# leaves the month-by-month detail to the CSV/XLSX files (a national year is
# 500 facilities x 12 months: a spreadsheet's job, not a page's).
DETAIL_ROWS_ON_PAGE = 400


def sales_report(request):
    """Sales per facility and month, with the proceeds allocation and a monthly chart."""
    form = ReportFilterForm(request.GET, scope=_scope(request))
    context = {
        "title": _("Laporan penjualan"),
        "form": form,
        "export_query": request.GET.urlencode(),
    }
    if form.is_valid():
        rows, shares = _sales(form)
        per_month: dict = {}
        for row in rows:
            per_month[row.month] = per_month.get(row.month, 0) + row.goods_revenue
        months = months_between(form.cleaned_data["first"], form.cleaned_data["last"])
        per_facility: dict[int, dict] = {}
        for row in rows:
            entry = per_facility.setdefault(
                row.facility_id,
                {"region": row.region, "facility": row.facility, **dict.fromkeys(SALES_FIGURES, 0)},
            )
            for key in SALES_FIGURES:
                entry[key] += getattr(row, key)
        context.update(
            rows=rows if len(rows) <= DETAIL_ROWS_ON_PAGE else None,
            has_rows=bool(rows),
            facility_totals=list(per_facility.values()),
            detail_rows_on_page=DETAIL_ROWS_ON_PAGE,
            shares=shares,
            totals=_sales_totals(rows),
            institutional=_institutional(form),
            chart=bar_chart(
                [(month_label(month), per_month.get(month, 0)) for month in months],
                width=max(320, 48 * len(months)),
                height=160,
                highlight_last=False,
            ),
        )
    return _page(request, "admin/oversight/sales_report.html", context)


SALES_COLUMNS = [
    (gettext_lazy("Kanwil"), exports.TEXT),
    (gettext_lazy("UPT"), exports.TEXT),
    (gettext_lazy("Bulan"), exports.MONTH),
    (gettext_lazy("Pesanan"), exports.COUNT),
    (gettext_lazy("Barang terjual"), exports.COUNT),
    (gettext_lazy("Pendapatan barang (Rp)"), exports.MONEY),
    (gettext_lazy("Terjual di mitra (titipan)"), exports.COUNT),
    (gettext_lazy("Pendapatan titipan (Rp)"), exports.MONEY),
    (gettext_lazy("Ongkos kirim (Rp)"), exports.MONEY),
    (gettext_lazy("Total (Rp)"), exports.MONEY),
    (gettext_lazy("Refund (Rp)"), exports.MONEY),
    (gettext_lazy("Bersih (Rp)"), exports.MONEY),
    (gettext_lazy("Pesanan eceran"), exports.COUNT),
    (gettext_lazy("Pendapatan eceran (Rp)"), exports.MONEY),
    (gettext_lazy("Pesanan instansi"), exports.COUNT),
    (gettext_lazy("Pendapatan instansi (Rp)"), exports.MONEY),
    # Issue 35: every channel registered in core.sales_channels (the stand till, ...).
    (gettext_lazy("Terjual di kanal lain (stand, ...)"), exports.COUNT),
    (gettext_lazy("Pendapatan kanal lain (Rp)"), exports.MONEY),
]
INSTITUTIONAL_COLUMNS = [
    (gettext_lazy("Kanwil"), exports.TEXT),
    (gettext_lazy("UPT"), exports.TEXT),
    (gettext_lazy("Permintaan penawaran terbuka"), exports.COUNT),
    (gettext_lazy("Penawaran menunggu pembeli"), exports.COUNT),
    (gettext_lazy("Nilai penawaran (Rp)"), exports.MONEY),
    (gettext_lazy("Piutang"), exports.COUNT),
    (gettext_lazy("Jumlah piutang (Rp)"), exports.MONEY),
    (gettext_lazy("Piutang lewat jatuh tempo"), exports.COUNT),
    (gettext_lazy("Jumlah lewat jatuh tempo (Rp)"), exports.MONEY),
]
SHARE_COLUMNS = [
    (gettext_lazy("UPT"), exports.TEXT),
    (gettext_lazy("Bagian"), exports.TEXT),
    (gettext_lazy("Persen"), exports.PERCENT),
    (gettext_lazy("Jumlah (Rp)"), exports.MONEY),
]


def _sales_sheet(rows) -> exports.Sheet:
    return exports.Sheet(
        title=_("Penjualan"),
        columns=[(str(header), kind) for header, kind in SALES_COLUMNS],
        rows=[
            [
                r.region,
                r.facility,
                r.month,
                r.orders,
                r.items,
                r.revenue,
                r.consigned_items,
                r.consigned_revenue,
                r.shipping,
                r.total,
                r.refunds,
                r.net,
                r.retail_orders,
                r.retail_revenue,
                r.institutional_orders,
                r.institutional_revenue,
                r.channel_items,
                r.channel_revenue,
            ]
            for r in rows
        ],
    )


def _institutional(form: ReportFilterForm) -> list[dict]:
    """Open quotes and receivables per facility of the filter (facilities with none left out);
    a snapshot of today, whatever the period."""
    facilities = list(form.facilities().values_list("id", "name", "region__name"))
    figures = selectors.institutional_by_facility(
        form.scope, facility_ids=[pk for pk, _name, _region in facilities]
    )
    rows = []
    for pk, name, region in sorted(facilities, key=lambda f: (f[2], f[1])):
        row = figures[pk]
        if row.open_requests or row.quotes_out or row.receivables:
            rows.append({"region": region, "facility": name, "row": row})
    return rows


def _institutional_sheet(rows) -> exports.Sheet:
    return exports.Sheet(
        title=_("Penawaran dan piutang"),
        columns=[(str(header), kind) for header, kind in INSTITUTIONAL_COLUMNS],
        rows=[
            [
                r["region"],
                r["facility"],
                r["row"].open_requests,
                r["row"].quotes_out,
                r["row"].quotes_out_value,
                r["row"].receivables,
                r["row"].receivables_amount,
                r["row"].overdue,
                r["row"].overdue_amount,
            ]
            for r in rows
        ],
    )


def _share_sheet(shares) -> exports.Sheet:
    unallocated = _("Belum dialokasikan")
    return exports.Sheet(
        title=_("Pembagian hasil"),
        columns=[(str(header), kind) for header, kind in SHARE_COLUMNS],
        rows=[[s.facility, s.name or unallocated, s.percent, s.amount] for s in shares],
    )


def _period_name(stem: str, form: ReportFilterForm) -> str:
    """'penjualan-2026-01-2026-12': the period in the file name, so downloads
    of different periods do not overwrite each other."""
    first, last = form.cleaned_data["first"], form.cleaned_data["last"]
    return f"{stem}-{first:%Y-%m}-{last:%Y-%m}"


def sales_export(request, fmt: str):
    """The sales report as CSV (sales rows) or XLSX (sales and proceeds sheets)."""
    form = ReportFilterForm(request.GET, scope=_scope(request))
    if not form.is_valid():
        return _bad_filter(form)
    rows, shares = _sales(form)
    if fmt == "xlsx":
        return exports.xlsx_response(
            [_sales_sheet(rows), _share_sheet(shares), _institutional_sheet(_institutional(form))],
            _period_name("penjualan", form),
        )
    return exports.csv_response(_sales_sheet(rows), _period_name("penjualan", form))


def shares_export(request):
    """The proceeds allocation of the filtered sales, as CSV."""
    form = ReportFilterForm(request.GET, scope=_scope(request))
    if not form.is_valid():
        return _bad_filter(form)
    _rows, shares = _sales(form)
    return exports.csv_response(_share_sheet(shares), _period_name("pembagian-hasil", form))


# --- product recap ----------------------------------------------------------


def _recap_columns():
    return [
        (str(_("Kanwil")), exports.TEXT),
        (str(_("UPT")), exports.TEXT),
        (str(_("Kategori")), exports.TEXT),
        *[(str(label), exports.COUNT) for _status, label in ListingStatus.choices],
        (str(_("Jumlah produk")), exports.COUNT),
        (str(_("Stok siap")), exports.COUNT),
        (str(_("Nilai stok (Rp)")), exports.MONEY),
    ]


def _recap_sheet(rows) -> exports.Sheet:
    return exports.Sheet(
        title=_("Rekap produk"),
        columns=_recap_columns(),
        rows=[
            [
                r.region,
                r.facility,
                r.category,
                *[r.counts[status] for status in selectors.LISTING_STATUSES],
                r.total,
                r.stock_units,
                r.stock_value,
            ]
            for r in rows
        ],
    )


def product_recap(request):
    """Listings per facility and category by status, with stock and its value."""
    form = ReportFilterForm(request.GET, scope=_scope(request), with_period=False)
    context = {
        "title": _("Rekap produk"),
        "form": form,
        "export_query": request.GET.urlencode(),
        "statuses": ListingStatus.choices,
    }
    if form.is_valid():
        rows = selectors.product_recap(form.scope, facilities=form.facilities())
        context.update(
            rows=rows,
            totals={
                "counts": [
                    sum(row.counts[status] for row in rows) for status in selectors.LISTING_STATUSES
                ],
                "total": sum(row.total for row in rows),
                "stock_units": sum(row.stock_units for row in rows),
                "stock_value": sum(row.stock_value for row in rows),
            },
        )
    return _page(request, "admin/oversight/product_recap.html", context)


def product_recap_export(request, fmt: str):
    form = ReportFilterForm(request.GET, scope=_scope(request), with_period=False)
    if not form.is_valid():
        return _bad_filter(form)
    sheet = _recap_sheet(selectors.product_recap(form.scope, facilities=form.facilities()))
    if fmt == "xlsx":
        return exports.xlsx_response([sheet], "rekap-produk")
    return exports.csv_response(sheet, "rekap-produk")


# --- public -----------------------------------------------------------------

IMPACT_CACHE_KEY = "kb:impact"


@require_safe
@public_page
def impact(request):
    """The public impact page: per region and month, sales in rupiah, premi
    paid, PNBP deposited, programmes and the people in them, with small charts
    of the nation's trend. Aggregates only, small cells hidden; the figures are
    kept ten minutes since the public need not see each sale the second it
    happens (a million orders take a few hundred ms to add up)."""
    figures = cache.get_or_set(IMPACT_CACHE_KEY, selectors.public_impact, 60 * 10)
    labels = [month_label(month, short=True) for month in figures.months]

    def chart(measure: str, money: bool = True):
        points = [
            (label, getattr(cell, measure) or 0)
            for label, cell in zip(labels, figures.trend, strict=True)
        ]
        return bar_chart(points, width=320, height=110, money=money, highlight_last=False)

    charts = [
        (_("Penjualan per bulan"), chart("sales")),
        (_("Premi dibayar per bulan"), chart("premi")),
        (_("PNBP disetor per bulan"), chart("pnbp")),
        (_("Orang dalam program kerja per bulan"), chart("people", money=False)),
    ]
    context = {
        "regions": figures.regions,
        "national": figures.national,
        "impact": figures,
        "charts": charts,
        "period_sales": sum(cell.sales or 0 for cell in figures.trend),
        "period_premi": sum(cell.premi or 0 for cell in figures.trend),
        "period_pnbp": sum(cell.pnbp or 0 for cell in figures.trend),
        "latest": figures.trend[-2] if len(figures.trend) > 1 else figures.trend[-1],
        "enterprise_total": sum(amount or 0 for _month, amount in figures.enterprise_sales),
    }
    return render(request, "oversight/impact.html", context)


# --- timeliness (the Kanwil's view of its facilities) -----------------------


def timeliness_export(request):
    """This month's on-time and late work per facility (per region for head
    office), as XLSX: two columns per kind of work."""
    from oversight.timeliness import KINDS, timeliness

    scope = _scope(request)
    by = "region" if scope.is_national else "facility"
    columns = [(_("Kanwil") if by == "region" else _("UPT"), exports.TEXT)]
    for _key, label in KINDS:
        columns += [(f"{label}: {_('tepat waktu')}", exports.COUNT)]
        columns += [(f"{label}: {_('terlambat')}", exports.COUNT)]
    rows = [
        [unit.name, *(n for cell in unit.cells for n in cell)] for unit in timeliness(scope, by=by)
    ]
    sheet = exports.Sheet(title=_("Ketepatan waktu"), columns=columns, rows=rows)
    return exports.xlsx_response([sheet], "ketepatan-waktu")
