"""The ledger's pages under /admin/hasil/ (behind the admin's login): the
months of the scope, one month with its close, the XLSX, a proof file.
Thin: scope, form, one selector or service."""

from __future__ import annotations

from datetime import date

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.private_media import private_file_response
from core.sales_channels import channels
from facilities.scoping import Scope, scope_for
from proceeds import exports, selectors, services
from proceeds.forms import CloseForm
from proceeds.months import add_months, parse_month, this_month

PERIOD_MONTHS = 6
# A nation's half year is 500 facilities x 6 months: past this many rows the
# page shows the first ones and leaves the rest to the filter and the XLSX.
ROWS_ON_PAGE = 400


def _scope(request) -> Scope:
    scope = scope_for(request.user)
    if scope.role is None:
        raise PermissionDenied
    return scope


def _period(request) -> tuple[date, date]:
    last = parse_month(request.GET.get("sampai", "")) or this_month()
    first = parse_month(request.GET.get("dari", "")) or add_months(last, -(PERIOD_MONTHS - 1))
    if first > last or add_months(first, 36) <= last:
        first = add_months(last, -(PERIOD_MONTHS - 1))
    return first, last


def _rows(request, scope):
    first, last = _period(request)
    facility = request.GET.get("upt", "")
    rows = selectors.ledger_rows(
        scope, first=first, last=last, facility_id=int(facility) if facility.isdigit() else None
    )
    if request.GET.get("selisih") == "1":
        rows = [row for row in rows if not row.balanced]
    return first, last, rows


def ledger(request):
    scope = _scope(request)
    first, last, rows = _rows(request, scope)
    rows.reverse()  # newest month first within the page's order of reading
    context = {
        **admin.site.each_context(request),
        "title": _("Buku hasil penjualan"),
        "rows": rows[:ROWS_ON_PAGE],
        "hidden_rows": max(0, len(rows) - ROWS_ON_PAGE),
        "first": first,
        "last": last,
        "query": request.GET.urlencode(),
        "only_differences": request.GET.get("selisih") == "1",
        "unbalanced": sum(1 for row in rows if not row.balanced),
        "may_record": scope.is_national or scope.is_facility_staff,
    }
    return render(request, "admin/proceeds/ledger.html", context)


def ledger_export(request):
    scope = _scope(request)
    _first, _last, rows = _rows(request, scope)
    ledger_ids = [row.ledger.pk for row in rows if row.ledger is not None]
    entries = (
        selectors.entries_in_scope(scope)
        .filter(ledger_id__in=ledger_ids)
        .select_related("facility", "ledger", "programme", "entered_by")
        .order_by("facility__name", "ledger__month", "paid_on", "id")
    )
    return exports.ledger_xlsx(rows, entries)


def ledger_month(request, facility_id: int, month: str):
    scope = _scope(request)
    first = parse_month(month)
    if first is None:
        raise Http404
    row = selectors.ledger_month_detail(scope, facility_id=facility_id, month=first)
    if row is None:
        raise Http404  # another facility's, another region's: as if it did not exist
    form = CloseForm(request.POST or None)
    may_close = scope.may_act_for(facility_id) and not row.is_closed and first < this_month()
    if request.method == "POST":
        if not may_close:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.ledger_close(
                    actor=request.user,
                    scope=scope,
                    facility_id=facility_id,
                    month=first,
                    explanation=form.cleaned_data["explanation"],
                )
            except services.ProceedsError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("Bulan ditutup."))
                return redirect(request.path)
    labels = {channel.key: channel.label for channel in channels()}
    context = {
        **admin.site.each_context(request),
        "title": _("%(facility)s · %(month)s")
        % {"facility": row.facility, "month": f"{first:%m/%Y}"},
        "row": row,
        "channel_lines": [
            (labels.get(key, key), amount) for key, amount in sorted(row.sales.channels.items())
        ],
        "form": form,
        "may_close": may_close,
        "may_record": scope.may_act_for(facility_id) and not row.is_closed,
    }
    return render(request, "admin/proceeds/ledger_month.html", context)


def proof(request, entry_id: int):
    scope = _scope(request)
    entry = selectors.entries_in_scope(scope).filter(pk=entry_id).first()
    if entry is None or not entry.proof:
        raise Http404
    extension = entry.proof.name.rsplit(".", 1)[-1]
    content_type = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}.get(
        extension, "application/octet-stream"
    )
    return private_file_response(
        entry.proof, content_type=content_type, download_name=f"bukti-{entry.pk}.{extension}"
    )
