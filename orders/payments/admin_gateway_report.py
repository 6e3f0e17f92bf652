"""The settlement-report desk: head office uploads the gateway's settlement
report (CSV), each line is matched to one payment (orders.payments.services.
report), and what does not match waits for a person under "perlu ditangani".

Registered from orders.admin. Head office only: the report covers every
facility's money, and one gateway payment may span several facilities.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_inlines import ReadOnlyInline
from facilities.scoping import scope_for
from orders.payments import services as gateway_services
from orders.payments.admin_line_desk import (
    ImportDeskAdminMixin,
    LineDeskAdminMixin,
    NeedsPersonFilter,
)
from orders.payments.models import GatewayReportImport, GatewayReportLine
from orders.payments.models.gateway_report import NEEDS_PERSON
from orders.payments.report_csv import read_report

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def _head_office(request) -> bool:
    return scope_for(request.user).is_national


class ReportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Laporan settlement gateway (CSV)"),
        help_text=gettext_lazy(
            "Unduh dari dasbor Midtrans (Transaksi / Settlement) dalam format CSV. Kolom yang "
            "dibaca: Order ID, Transaction ID, Payment Type, Transaction Status, Gross Amount, "
            "Fee, Net Amount, Settlement Time."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar (maksimal 5 MB)."))
        return upload


class ReportLineInline(ReadOnlyInline):
    model = GatewayReportLine
    fields = [
        "gateway_order_id",
        "transaction_status",
        "gross_amount",
        "time_text",
        "payment",
        "outcome",
        "resolved_at",
    ]
    readonly_fields = fields
    related = ("payment",)

    def has_view_permission(self, request, obj=None):
        return _head_office(request)


@admin.register(GatewayReportImport)
class GatewayReportImportAdmin(ImportDeskAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "file_name", "uploaded_by", "lines_read", "new_lines", "matched"]
    list_select_related = ["uploaded_by"]
    readonly_fields = [
        "file_name",
        "uploaded_by",
        "lines_read",
        "new_lines",
        "matched",
        "created_at",
    ]
    inlines = [ReportLineInline]
    upload_template = "admin/orders/gateway_report_upload.html"
    upload_title = gettext_lazy("Impor laporan settlement gateway")

    def may_use(self, request) -> bool:
        return _head_office(request)

    def upload_form(self, request):
        return ReportUploadForm(request.POST or None, request.FILES or None)

    def import_upload(self, request, form, upload):
        return gateway_services.gateway_report_import(
            actor=request.user, lines=read_report(upload.read()), file_name=upload.name
        )

    def import_summary(self, report) -> str:
        return _(
            "%(lines)s baris dibaca, %(new)s baru, %(skipped)s sudah pernah "
            "diimpor; %(matched)s cocok dengan pembayaran atau pengembalian dana."
        ) % {
            "lines": report.lines_read,
            "new": report.new_lines,
            "skipped": report.lines_read - report.new_lines,
            "matched": report.matched,
        }

    def held_count(self, report) -> int:
        return report.lines.filter(outcome__in=NEEDS_PERSON).count()


@admin.register(GatewayReportLine)
class GatewayReportLineAdmin(LineDeskAdminMixin, admin.ModelAdmin):
    list_display = [
        "settled_on",
        "gateway_order_id",
        "transaction_status",
        "gross_amount",
        "payment",
        "payment_amount",
        "outcome",
        "resolved_at",
    ]
    list_filter = [NeedsPersonFilter, "outcome", "transaction_status"]
    list_select_related = ["payment"]
    search_fields = ["gateway_order_id", "transaction_id"]
    readonly_fields = [f.name for f in GatewayReportLine._meta.fields if f.name != "id"]

    def may_use(self, request) -> bool:
        return _head_office(request)

    def open_lines(self, queryset):
        return queryset.filter(outcome__in=NEEDS_PERSON, resolved_at__isnull=True)

    def resolve_line(self, *, line, actor) -> None:
        gateway_services.gateway_report_line_resolve(line=line, actor=actor)

    @admin.display(description=gettext_lazy("nominal pembayaran"))
    def payment_amount(self, line):
        return line.payment.amount if line.payment else "-"
