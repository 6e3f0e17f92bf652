"""The statement desk: staff upload their bank's export, matched lines confirm
payments through the order services, the rest wait for a person.

Registered from orders.admin. Only users who may confirm payments (the
orders.change_order permission) see it; rows are scoped to the facility like
every other admin.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_inlines import ReadOnlyInline
from facilities.admin_scoping import FacilityScopedAdminMixin
from facilities.scoping import scope_for
from orders.payments.admin_line_desk import (
    ImportDeskAdminMixin,
    LineDeskAdminMixin,
    NeedsPersonFilter,
)
from orders.payments.models import StatementImport, StatementLine
from orders.payments.services.statements import statement_import, statement_line_resolve
from orders.payments.statement_csv import LAYOUTS, StatementLayout, read_statement

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
CUSTOM = "custom"


class StatementUploadForm(forms.Form):
    facility = forms.ModelChoiceField(queryset=None, label=gettext_lazy("UPT"))
    file = forms.FileField(
        label=gettext_lazy("Berkas mutasi rekening (CSV)"),
        help_text=gettext_lazy("Unduh mutasi dari internet banking dalam format CSV."),
    )
    layout = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[
            ("bca", gettext_lazy("BCA (Tanggal, Keterangan, Cabang, Jumlah, CR/DB, Saldo)")),
            (
                "bca_klik",
                gettext_lazy(
                    'KlikBCA (Tanggal Transaksi, Keterangan, Cabang, Jumlah "… CR", Saldo)'
                ),
            ),
            (
                "debet_kredit",
                gettext_lazy("BRI/Mandiri (Tanggal Transaksi, Uraian, Debet, Kredit, Saldo)"),
            ),
            (CUSTOM, gettext_lazy("Kolom ditentukan sendiri (isi di bawah)")),
        ],
    )
    date_column = forms.CharField(label=gettext_lazy("Kolom tanggal"), required=False)
    description_column = forms.CharField(label=gettext_lazy("Kolom keterangan"), required=False)
    credit_column = forms.CharField(
        label=gettext_lazy("Kolom kredit (uang masuk)"),
        required=False,
        help_text=gettext_lazy("Atau kolom nominal bila ada kolom arah CR/DB terpisah."),
    )
    direction_column = forms.CharField(
        label=gettext_lazy("Kolom arah (CR/DB), bila ada"), required=False
    )

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = scope.facilities()
        if scope.is_facility_staff:
            # Staff import for their own facility only; not theirs to choose.
            self.fields["facility"].initial = scope.facility_id
            self.fields["facility"].widget = forms.HiddenInput()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar (maksimal 5 MB)."))
        return upload

    def clean(self):
        data = super().clean()
        if data.get("layout") == CUSTOM:
            missing = [
                self.fields[name].label
                for name in ("date_column", "description_column", "credit_column")
                if not (data.get(name) or "").strip()
            ]
            if missing:
                raise forms.ValidationError(
                    _("Untuk format sendiri, isi: %(fields)s.")
                    % {"fields": ", ".join(str(m) for m in missing)}
                )
        return data

    def statement_layout(self) -> StatementLayout:
        data = self.cleaned_data
        if data["layout"] != CUSTOM:
            return LAYOUTS[data["layout"]]
        direction = data["direction_column"].strip()
        return StatementLayout(
            date=data["date_column"].strip(),
            description=data["description_column"].strip(),
            amount=data["credit_column"].strip() if direction else "",
            direction=direction,
            credit=data["credit_column"].strip() if not direction else "",
        )


def _may_confirm(request) -> bool:
    return request.user.has_perm("orders.change_order")


class StatementLineInline(ReadOnlyInline):
    model = StatementLine
    fields = ["booked_on", "date_text", "description", "amount", "order", "outcome", "resolved_at"]
    readonly_fields = fields
    related = ("order",)

    def has_view_permission(self, request, obj=None):
        # The desk's own rule, as on its list of lines: whoever may confirm
        # payments sees each imported line and why it waits.
        return _may_confirm(request)


@admin.register(StatementImport)
class StatementImportAdmin(ImportDeskAdminMixin, FacilityScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "facility",
        "file_name",
        "uploaded_by",
        "credit_lines",
        "new_lines",
        "confirmed",
    ]
    list_filter = ["facility"]
    list_select_related = ["facility", "uploaded_by"]
    readonly_fields = [
        "facility",
        "file_name",
        "layout",
        "uploaded_by",
        "credit_lines",
        "new_lines",
        "confirmed",
        "created_at",
    ]
    inlines = [StatementLineInline]

    upload_template = "admin/orders/statement_upload.html"
    upload_title = gettext_lazy("Impor mutasi rekening")

    def may_use(self, request) -> bool:
        return _may_confirm(request)

    def upload_form(self, request):
        return StatementUploadForm(
            request.POST or None, request.FILES or None, scope=scope_for(request.user)
        )

    def import_upload(self, request, form, upload):
        return statement_import(
            facility=form.cleaned_data["facility"],
            actor=request.user,
            lines=read_statement(upload.read(), form.statement_layout()),
            file_name=upload.name,
            layout=form.cleaned_data["layout"],
        )

    def import_summary(self, statement) -> str:
        return _(
            "%(lines)s baris kredit dibaca, %(new)s baru, %(skipped)s sudah pernah "
            "diimpor; %(confirmed)s pembayaran dikonfirmasi."
        ) % {
            "lines": statement.credit_lines,
            "new": statement.new_lines,
            "skipped": statement.credit_lines - statement.new_lines,
            "confirmed": statement.confirmed,
        }

    def held_count(self, statement) -> int:
        return sum(1 for line in statement.lines.all() if line.needs_person)


@admin.register(StatementLine)
class StatementLineAdmin(LineDeskAdminMixin, FacilityScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "booked_on",
        "date_text",
        "facility",
        "description",
        "amount",
        "order",
        "order_total",
        "outcome",
        "resolved_at",
    ]
    list_filter = [NeedsPersonFilter, "outcome", "facility"]
    list_select_related = ["facility", "order"]
    search_fields = ["description", "order__code"]
    readonly_fields = [f.name for f in StatementLine._meta.fields if f.name != "id"]

    def may_use(self, request) -> bool:
        return _may_confirm(request)

    def open_lines(self, queryset):
        return queryset.exclude(outcome=StatementLine.Outcome.CONFIRMED).filter(
            resolved_at__isnull=True
        )

    def resolve_line(self, *, line, actor) -> None:
        statement_line_resolve(line=line, actor=actor)

    @admin.display(description=gettext_lazy("total pesanan"))
    def order_total(self, line):
        return line.order.total if line.order else "-"
