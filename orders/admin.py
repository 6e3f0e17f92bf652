"""The staff's order desk: scoped lists, actions that call the services,
CSV export. Beside it: the inlines (orders.admin_inlines), printable pages
(orders.documents.admin_printing), step pages (orders.admin_workflow), delivery settings
(orders.delivery.admin), online payments (orders.payments.admin_gateway), statements
(orders.payments.admin_statements), privacy (orders.privacy.admin) and the official
address's codes (orders.admin_regions)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exports import csv_writer
from core.money import format_rupiah
from core.phone import normalize_phone
from facilities.admin_scoping import FacilityScopedAdminMixin
from facilities.scoping import scope_for
from orders import privacy, selectors, services
from orders.admin_inlines import (
    GatewayRefundInline,
    OrderEventInline,
    OrderLineInline,
    PaymentProofInline,
    SettlementInline,
)
from orders.admin_regions import OrderRegionsMixin
from orders.admin_texts import chosen_courier
from orders.admin_workflow import (
    OrderWorkflowMixin,
    confirm_payment_question,
)
from orders.documents.admin_printing import OrderPrintMixin
from orders.models import Order


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Alasan"), max_length=300, widget=forms.Textarea)


@admin.register(Order)
class OrderAdmin(
    OrderRegionsMixin,
    OrderPrintMixin,
    OrderWorkflowMixin,
    FacilityScopedAdminMixin,
    admin.ModelAdmin,
):
    # What an officer scans first comes first: on a phone the row is a card.
    list_display = [
        "code",
        "status",
        "needs_action",
        "total_rupiah",
        "contact_name",
        "facility",
        "delivery_method",
        "payment_method",
        "created_at",
        "payment_deadline",
    ]
    list_filter = ["status", "delivery_method", "payment_method", "facility"]
    search_fields = ["code", "contact_name", "contact_phone"]
    list_per_page = 50
    inlines = [
        OrderLineInline,
        PaymentProofInline,
        SettlementInline,
        GatewayRefundInline,
        OrderEventInline,
    ]
    actions = [
        "confirm_payment",
        "reject_payment",
        "start_processing",
        "ship",
        "ready_for_pickup",
        "complete",
        "cancel",
        "print_labels_a4",
        "export_csv",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    "facility",
                    "status",
                    "print_links",
                    "created_at",
                    "terms_version",
                ]
            },
        ),
        (
            gettext_lazy("Pembeli"),
            {
                "fields": [
                    "contact_name",
                    "contact_phone",
                    "contact_email",
                    "buyer_organisation",
                    "buyer_npwp",
                    "note",
                ]
            },
        ),
        (
            gettext_lazy("Pengiriman"),
            {
                "fields": [
                    "delivery_method",
                    "address_line",
                    "region_codes",
                    "total_weight_grams",
                    "courier",
                    "tracking_number",
                ]
            },
        ),
        (
            gettext_lazy("Pembayaran"),
            {
                "fields": [
                    "payment_method",
                    "subtotal_rupiah",
                    "shipping_fee_rupiah",
                    "total_rupiah",
                    "payment_deadline",
                    # Institutional orders on terms (quotes app): a receivable
                    # until paid_at is set.
                    "payment_terms_days",
                    "payment_due_date",
                    "paid_at",
                    "cancel_reason",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        # Same scope rule as every other admin (the mixin's), on the list selector.
        return scope_for(request.user).filter_facility_rows(selectors.orders_for_admin())

    def get_search_results(self, request, queryset, search_term):
        # Phones are stored as +62...; staff type them as 0812-...: match both.
        # `queryset` is the list as the user sees it (scope, then the active
        # filters); the phone match widens the search within it, never beyond.
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        try:
            phone = normalize_phone(search_term)
        except ValidationError:
            return results, may_have_duplicates
        return results | queryset.filter(contact_phone=phone), may_have_duplicates

    def get_ordering(self, request):
        return ["action_rank", "created_at"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        context = getattr(response, "context_data", None) or {}
        if request.method == "GET" and response.status_code == 200 and context.get("original"):
            # The page shows the shopper's contact: UU PDP wants a trail of who looked.
            privacy.access_record(
                actor=request.user,
                action=privacy.AccessEvent.Action.ORDER_VIEWED,
                orders=context["original"],
            )
        return response

    def get_readonly_fields(self, request, obj=None):
        # Nothing is edited by hand: every change is an action calling a service.
        return [f for fs in self.fieldsets for f in fs[1]["fields"]]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # --- columns -------------------------------------------------------------

    @admin.display(description=gettext_lazy("Total"), ordering="total")
    def total_rupiah(self, order):
        return format_rupiah(order.total)

    @admin.display(description=gettext_lazy("Subtotal"))
    def subtotal_rupiah(self, order):
        return format_rupiah(order.subtotal)

    @admin.display(description=gettext_lazy("Ongkos kirim"))
    def shipping_fee_rupiah(self, order):
        return format_rupiah(order.shipping_fee)

    @admin.display(description=gettext_lazy("Perlu tindakan"))
    def needs_action(self, order):
        labels = {
            0: _("Periksa bukti transfer"),
            1: _("Proses pesanan"),
            2: _("Kemas dan kirim / siapkan"),
            3: _("Serahkan ke pembeli"),
            4: _("Tunggu diterima"),
        }
        return labels.get(getattr(order, "action_rank", None), "")

    @admin.display(description=gettext_lazy("Alamat"))
    def address_line(self, order):
        return order.address_line or "—"

    # --- actions ---------------------------------------------------------------

    def _run(self, request, queryset, step, per_order: dict | None = None):
        done = 0
        for order in queryset:
            try:
                step(order=order, actor=request.user, **(per_order or {}).get(order.pk, {}))
            except services.OrderError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request, _("%(n)s pesanan diperbarui.") % {"n": done}, messages.SUCCESS
            )

    @admin.action(description=gettext_lazy("Konfirmasi pembayaran…"), permissions=["change"])
    def confirm_payment(self, request, queryset):
        # Money is the one step not to take by a slip of the thumb: ask first.
        if "apply" in request.POST:
            self._run(request, queryset, services.order_confirm_payment)
            return None
        return confirm_payment_question(self, request, queryset)

    @admin.action(description=gettext_lazy("Mulai proses"), permissions=["change"])
    def start_processing(self, request, queryset):
        self._run(request, queryset, services.order_start_processing)

    @admin.action(description=gettext_lazy("Tandai siap diambil"), permissions=["change"])
    def ready_for_pickup(self, request, queryset):
        self._run(request, queryset, services.order_ready_for_pickup)

    @admin.action(description=gettext_lazy("Tandai selesai"), permissions=["change"])
    def complete(self, request, queryset):
        self._run(request, queryset, services.order_complete)

    def _with_reason(self, request, queryset, step, title, reason_kwarg):
        """An intermediate page asking for a reason, then the step for each order."""
        if "apply" in request.POST:
            form = ReasonForm(request.POST)
            if form.is_valid():
                reason = form.cleaned_data["reason"]
                self._run(request, queryset, step, {o.pk: {reason_kwarg: reason} for o in queryset})
                return None
        else:
            form = ReasonForm()
        return TemplateResponse(
            request,
            "admin/orders/order/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "orders": queryset,
                "form": form,
                "action": request.POST.get("action"),
                "opts": self.model._meta,
            },
        )

    @admin.action(description=gettext_lazy("Tolak bukti transfer…"), permissions=["change"])
    def reject_payment(self, request, queryset):
        return self._with_reason(
            request, queryset, services.order_reject_payment, _("Tolak bukti transfer"), "reason"
        )

    @admin.action(description=gettext_lazy("Batalkan pesanan…"), permissions=["change"])
    def cancel(self, request, queryset):
        return self._with_reason(
            request, queryset, services.order_cancel, _("Batalkan pesanan"), "reason"
        )

    @admin.action(description=gettext_lazy("Kirim (kurir dan nomor resi)…"), permissions=["change"])
    def ship(self, request, queryset):
        orders = list(queryset.select_related("shipment"))
        for order in orders:
            order.chosen_courier = chosen_courier(order)
        if "apply" in request.POST:
            per_order = {
                o.pk: {
                    "courier": request.POST.get(f"courier_{o.pk}", ""),
                    "tracking_number": request.POST.get(f"tracking_{o.pk}", ""),
                }
                for o in orders
            }
            self._run(request, queryset, services.order_ship, per_order)
            return None
        return TemplateResponse(
            request,
            "admin/orders/order/ship_form.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Kirim pesanan"),
                "orders": orders,
                "action": request.POST.get("action"),
                "opts": self.model._meta,
            },
        )

    @admin.action(description=gettext_lazy("Unduh CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        privacy.access_record(
            actor=request.user,
            action=privacy.AccessEvent.Action.EXPORTED,
            orders=queryset.values_list("code", flat=True),
            detail="CSV",
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="pesanan.csv"'
        # Names, addresses and product names are typed by people: never formulas.
        writer = csv_writer(response)
        writer.writerow(
            [
                _("kode"),
                _("dibuat"),
                _("UPT"),
                _("status"),
                _("nama"),
                _("pengiriman"),
                _("pembayaran"),
                _("produk"),
                _("subtotal"),
                _("ongkos kirim"),
                _("total"),
            ]
        )
        for order in queryset.prefetch_related("lines"):
            writer.writerow(
                [
                    order.code,
                    timezone.localtime(order.created_at).strftime("%Y-%m-%d %H:%M"),
                    order.facility.name,
                    order.get_status_display(),
                    order.contact_name,
                    order.get_delivery_method_display(),
                    order.get_payment_method_display(),
                    "; ".join(
                        f"{line.quantity} x {line.product_name}" for line in order.lines.all()
                    ),
                    order.subtotal,
                    order.shipping_fee,
                    order.total,
                ]
            )
        return response
