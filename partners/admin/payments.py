"""Money from the outlets (recorded, confirmed, rejected), hand-over
receipts, and what each outlet owes ("Tagihan mitra")."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.money import format_rupiah
from core.private_media import private_file_response
from facilities.admin_scoping import FacilityScopedModelAdmin
from partners import selectors, services
from partners.admin.common import scoped_outlets
from partners.forms import new_key
from partners.models import (
    HandoverReceipt,
    OutletPayment,
    OutletStatement,
)


class OutletPaymentForm(forms.ModelForm):
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    month = forms.DateField(
        label=gettext_lazy("untuk penjualan bulan"),
        input_formats=["%Y-%m", "%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )

    class Meta:
        model = OutletPayment
        fields = ["outlet", "month", "amount", "paid_on", "proof", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].initial = new_key()


@admin.register(OutletPayment)
class OutletPaymentAdmin(FacilityScopedModelAdmin):
    """Money from the outlets: recorded here (confirmed at once) or reported
    by the outlet from its desk (confirmed or rejected here)."""

    facility_path = "outlet__facility"
    form = OutletPaymentForm
    list_display = ["outlet", "month_display", "amount", "paid_on", "status", "proof_link"]
    list_filter = ["status"]
    list_select_related = ["outlet"]
    date_hierarchy = "month"
    actions = ["confirm", "reject"]

    def get_urls(self):
        return [
            path(
                "<int:object_id>/bukti/",
                self.admin_site.admin_view(self.proof_view),
                name="partners_outletpayment_proof",
            ),
            *super().get_urls(),
        ]

    def proof_view(self, request, object_id):
        payment = self.get_queryset(request).filter(pk=object_id).first()
        if payment is None or not payment.proof:
            raise Http404
        return private_file_response(
            payment.proof, content_type="image/jpeg", download_name=f"setoran-{payment.pk}.jpg"
        )

    @admin.display(description=gettext_lazy("bulan"), ordering="month")
    def month_display(self, payment):
        return payment.month.strftime("%m/%Y")

    @admin.display(description=gettext_lazy("bukti"))
    def proof_link(self, payment):
        if not payment.proof:
            return "-"
        url = reverse("admin:partners_outletpayment_proof", args=[payment.pk])
        return format_html('<a href="{}" target="_blank">{}</a>', url, _("Lihat"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "outlet":
            kwargs["queryset"] = scoped_outlets(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [
                "outlet",
                "month",
                "amount",
                "paid_on",
                "proof",
                "note",
                "status",
                "reported_by",
                "decided_by",
                "decided_at",
            ]
        return []

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            saved = services.outlet_payment_record(
                actor=request.user,
                outlet=data["outlet"],
                month=data["month"],
                amount=data["amount"],
                paid_on=data["paid_on"],
                proof=data.get("proof"),
                note=data.get("note", ""),
                key=data["key"],
            )
        except services.PartnerError as error:
            raise Http404 from error  # out of scope: as if it did not exist
        obj.pk = saved.pk

    @admin.action(description=gettext_lazy("Konfirmasi setoran diterima"), permissions=["change"])
    def confirm(self, request, queryset):
        for payment in queryset:
            try:
                services.outlet_payment_confirm(actor=request.user, payment=payment)
            except services.PartnerError as error:
                self.message_user(request, f"{payment}: {error}", messages.ERROR)

    @admin.action(description=gettext_lazy("Tolak (uang tidak masuk)"), permissions=["change"])
    def reject(self, request, queryset):
        for payment in queryset:
            try:
                services.outlet_payment_reject(
                    actor=request.user, payment=payment, note=_("Tidak ditemukan di rekening UPT.")
                )
            except services.PartnerError as error:
                self.message_user(request, f"{payment}: {error}", messages.ERROR)


@admin.register(HandoverReceipt)
class HandoverReceiptAdmin(FacilityScopedModelAdmin):
    """Which hand-overs the outlets confirmed receiving (read-only)."""

    facility_path = "movement__link__outlet__facility"
    list_display = ["movement", "account", "received_at"]
    list_select_related = ["movement__link__product", "movement__link__outlet", "account__user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutletStatement)
class OutletStatementAdmin(FacilityScopedModelAdmin):
    """What each outlet owes: sold on consignment (sold x price per piece)
    minus what the facility confirmed received, with the months on the page
    of one outlet. Read-only; money is recorded under "Setoran mitra"."""

    list_display = ["name", "facility", "sold", "confirmed", "waiting", "owed"]
    list_select_related = ["facility"]
    search_fields = ["name", "city"]
    fields = ["name", "facility", "city", "months"]
    readonly_fields = fields

    def get_queryset(self, request):
        return selectors.with_owed_totals(super().get_queryset(request))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("partners.view_outletpayment")

    def has_module_permission(self, request):
        return request.user.has_perm("partners.view_outletpayment")

    @admin.display(description=gettext_lazy("hasil jual"), ordering="sold_amount")
    def sold(self, outlet):
        return format_rupiah(outlet.sold_amount)

    @admin.display(description=gettext_lazy("diterima UPT"), ordering="confirmed_amount")
    def confirmed(self, outlet):
        return format_rupiah(outlet.confirmed_amount)

    @admin.display(description=gettext_lazy("menunggu konfirmasi"))
    def waiting(self, outlet):
        return format_rupiah(outlet.waiting_amount)

    @admin.display(description=gettext_lazy("sisa setoran"))
    def owed(self, outlet):
        return format_rupiah(outlet.sold_amount - outlet.confirmed_amount)

    @admin.display(description=gettext_lazy("per bulan"))
    def months(self, outlet):
        rows = selectors.owed_by_month([outlet.pk])[outlet.pk]
        if not rows:
            return "-"
        return format_html_join(
            "",
            "<div>{}: {} {} · {} {} · {} {}</div>",
            (
                (
                    month.month.strftime("%m/%Y"),
                    _("terjual"),
                    format_rupiah(month.sold),
                    _("diterima"),
                    format_rupiah(month.confirmed),
                    _("sisa"),
                    format_rupiah(month.owed),
                )
                for month in rows
            ),
        )
