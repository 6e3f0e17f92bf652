"""The staff's order desk: scoped lists, actions that call the services,
printable packing slips and invoices, CSV export, delivery settings."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_inlines import ReadOnlyInline
from core.exports import csv_writer
from core.money import format_rupiah
from core.phone import normalize_phone
from core.private_media import private_file_response
from facilities.admin_scoping import FacilityScopedAdminMixin, FacilityScopedModelAdmin
from facilities.scoping import scope_for
from orders import gateway_services, privacy, selectors, services
from orders.admin_workflow import (
    OrderWorkflowMixin,
    actor_label_display,
    confirm_payment_question,
)
from orders.models import (
    DeliverySettings,
    GatewayNotification,
    GatewayPayment,
    GatewayRefund,
    Order,
    OrderEvent,
    OrderLine,
    OrderRefund,
    PaymentProof,
    SettlementEntry,
    ShippingRate,
)
from orders.payments import provider_for
from orders.shipping import PROVINCES


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = ["product_name", "unit_price_rupiah", "quantity", "line_total_rupiah", "made_to_order"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("harga satuan"))
    def unit_price_rupiah(self, line):
        return format_rupiah(line.unit_price)

    @admin.display(description=gettext_lazy("jumlah harga"))
    def line_total_rupiah(self, line):
        return format_rupiah(line.line_total)


class PaymentProofInline(ReadOnlyInline):
    model = PaymentProof
    fields = ["receipt_link", "status", "uploaded_at", "reviewed_by", "rejection_reason"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewed_by")

    @admin.display(description=gettext_lazy("Berkas"))
    def receipt_link(self, proof):
        url = reverse("admin:orders_order_receipt", args=[proof.order_id, proof.pk])
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Buka bukti")
        )


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    fields = ["created_at", "from_status", "to_status", "actor_display", "note"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=gettext_lazy("oleh"))
    def actor_display(self, event):
        # The account when a person acted, else who it was (shopper, system).
        if event.actor_id:
            return event.actor.get_full_name() or event.actor.get_username()
        return actor_label_display(event.actor_label)


class SettlementInline(ReadOnlyInline):
    """Paid online: what the operator owes the facility for this order."""

    model = SettlementEntry
    fields = ["amount", "status", "paid_out_at", "payout_reference"]
    readonly_fields = fields


class GatewayRefundInline(ReadOnlyInline):
    model = GatewayRefund
    fields = ["amount", "status", "reason", "created_at", "done_at"]
    readonly_fields = fields


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Alasan"), max_length=300, widget=forms.Textarea)


@admin.register(Order)
class OrderAdmin(OrderWorkflowMixin, FacilityScopedAdminMixin, admin.ModelAdmin):
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
            {"fields": ["contact_name", "contact_phone", "contact_email", "note"]},
        ),
        (
            gettext_lazy("Pengiriman"),
            {
                "fields": [
                    "delivery_method",
                    "address_line",
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

    @admin.display(description=gettext_lazy("Cetak"))
    def print_links(self, order):
        if order.pk is None:
            return ""
        return format_html(
            '<a href="{}" target="_blank">{}</a> · <a href="{}" target="_blank">{}</a>',
            reverse("admin:orders_order_packing_slip", args=[order.pk]),
            _("Slip pengemasan"),
            reverse("admin:orders_order_invoice", args=[order.pk]),
            _("Faktur"),
        )

    # --- printable pages -------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<int:object_id>/slip/",
                self.admin_site.admin_view(self.packing_slip_view),
                name="orders_order_packing_slip",
            ),
            path(
                "<int:object_id>/faktur/",
                self.admin_site.admin_view(self.invoice_view),
                name="orders_order_invoice",
            ),
            path(
                "<int:object_id>/bukti/<int:proof_id>/",
                self.admin_site.admin_view(self.receipt_view),
                name="orders_order_receipt",
            ),
            *super().get_urls(),
        ]

    def receipt_view(self, request, object_id, proof_id):
        """A transfer receipt, to staff whose scope covers the order (others:
        404, as for the order itself); the file is never at a public URL."""
        order = self.get_queryset(request).filter(pk=object_id).first()
        if order is None:
            raise Http404
        if not self.has_view_permission(request, order):
            raise PermissionDenied
        proof = order.payment_proofs.filter(pk=proof_id).first()
        if proof is None:
            raise Http404
        if not proof.file:  # erased (orders.privacy): nothing left to open
            raise Http404
        privacy.access_record(
            actor=request.user,
            action=privacy.AccessEvent.Action.RECEIPT_OPENED,
            orders=order,
            detail=f"bukti #{proof.pk}",
        )
        extension = proof.file.name.rsplit(".", 1)[-1]
        return private_file_response(
            proof.file,
            content_type=proof.content_type,
            download_name=f"bukti-{order.code}-{proof.pk}.{extension}",
        )

    def _printable(self, request, object_id, template):
        order = (
            self.get_queryset(request)
            .prefetch_related("lines", "facility__bank_accounts")
            .filter(pk=object_id)
            .first()
        )
        if order is None:
            raise Http404
        if not self.has_view_permission(request, order):
            raise PermissionDenied
        privacy.access_record(
            actor=request.user,
            action=privacy.AccessEvent.Action.PRINTED,
            orders=order,
            detail=template.rsplit("/", 1)[-1].removesuffix(".html"),
        )
        context = {
            **self.admin_site.each_context(request),
            "order": order,
            "instructions": provider_for(order.payment_method).instructions(order),
            "printed_at": timezone.now(),
        }
        return TemplateResponse(request, template, context)

    def packing_slip_view(self, request, object_id):
        return self._printable(request, object_id, "admin/orders/order/packing_slip.html")

    def invoice_view(self, request, object_id):
        return self._printable(request, object_id, "admin/orders/order/invoice.html")

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
        orders = list(queryset)
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


class ShippingRateForm(forms.ModelForm):
    province = forms.ChoiceField(
        label=gettext_lazy("Provinsi tujuan"), choices=[(p, p) for p in PROVINCES]
    )

    class Meta:
        model = ShippingRate
        fields = ["facility", "province", "first_kg_fee", "next_kg_fee", "estimate"]


@admin.register(ShippingRate)
class ShippingRateAdmin(FacilityScopedModelAdmin):
    form = ShippingRateForm
    list_display = ["facility", "province", "first_kg_fee", "next_kg_fee", "estimate"]
    list_filter = ["facility"]
    list_select_related = ["facility"]
    search_fields = ["province"]

    def save_model(self, request, obj, form, change):
        scope = scope_for(request.user)
        facility_id = scope.facility_id if scope.is_facility_staff else obj.facility_id
        duplicate = ShippingRate.objects.filter(facility_id=facility_id, province=obj.province)
        if obj.pk:
            duplicate = duplicate.exclude(pk=obj.pk)
        if duplicate.exists():
            # The facility is not a form field for staff, so the form's unique
            # check cannot see it; update the existing row instead of failing.
            obj.pk = duplicate.values_list("pk", flat=True).first()
        super().save_model(request, obj, form, change)


@admin.register(DeliverySettings)
class DeliverySettingsAdmin(FacilityScopedModelAdmin):
    list_display = [
        "facility",
        "pickup_enabled",
        "local_delivery_enabled",
        "courier_enabled",
        "payment_deadline_hours",
    ]
    list_select_related = ["facility"]

    def has_add_permission(self, request):
        scope = scope_for(request.user)
        if (
            scope.is_facility_staff
            and DeliverySettings.objects.filter(facility_id=scope.facility_id).exists()
        ):
            return False  # one row per facility; staff edit theirs
        return super().has_add_permission(request)


# The statement desk lives in its own module; importing it registers it.
from orders import admin_statements  # noqa: E402, F401

# --- online payments: the gateway's charges, refunds and the settlement ledger ---


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GatewayPayment)
class GatewayPaymentAdmin(_ReadOnlyAdmin):
    """Head office's view of every charge (a charge spans facilities)."""

    list_display = [
        "gateway_order_id",
        "channel",
        "amount",
        "status",
        "gateway_status",
        "created_at",
        "paid_at",
    ]
    list_filter = ["status", "channel"]
    search_fields = ["gateway_order_id", "checkout__code", "checkout__orders__code"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if scope_for(request.user).is_national else queryset.none()


@admin.register(GatewayNotification)
class GatewayNotificationAdmin(_ReadOnlyAdmin):
    """Every notification as received, with what processing made of it
    (forged ones are refused before they are stored, and logged)."""

    list_display = [
        "gateway_order_id",
        "transaction_status",
        "gross_amount",
        "received_at",
        "processed_at",
        "outcome",
    ]
    list_filter = ["transaction_status"]
    search_fields = ["gateway_order_id"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if scope_for(request.user).is_national else queryset.none()


@admin.register(GatewayRefund)
class GatewayRefundAdmin(FacilityScopedAdminMixin, _ReadOnlyAdmin):
    facility_path = "order__facility"
    list_display = ["order", "amount", "status", "reason", "created_at", "done_at"]
    list_filter = ["status"]
    search_fields = ["order__code"]


class PayOutForm(forms.Form):
    reference = forms.CharField(label=gettext_lazy("Referensi transfer setoran"), max_length=100)


@admin.register(SettlementEntry)
class SettlementEntryAdmin(FacilityScopedAdminMixin, _ReadOnlyAdmin):
    """The settlement ledger: what the operator owes each facility for orders
    paid online, and the transfers that paid it. Facility staff see their own."""

    list_display = [
        "order",
        "facility",
        "amount",
        "status",
        "created_at",
        "paid_out_at",
        "payout_reference",
    ]
    list_filter = ["status", "facility"]
    search_fields = ["order__code", "payout_reference"]
    actions = ["pay_out", "payout_sheet"]

    @admin.action(description=gettext_lazy("Unduh daftar setoran (CSV)"))
    def payout_sheet(self, request, queryset):
        """What to transfer to whom: one line per facility with its account and
        the sum owed, then the orders it covers. Only rows still owed count."""
        owed = (
            queryset.filter(status=SettlementEntry.Status.OWED)
            .select_related("facility", "order")
            .prefetch_related("facility__bank_accounts")
            .order_by("facility__name", "order__code")
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="setoran-upt.csv"'
        writer = csv_writer(response, delimiter=";")
        writer.writerow(
            [_("UPT"), _("bank"), _("nomor rekening"), _("atas nama"), _("jumlah"), _("pesanan")]
        )
        by_facility: dict = {}
        for entry in owed:
            by_facility.setdefault(entry.facility, []).append(entry)
        for facility, entries in by_facility.items():
            account = next((a for a in facility.bank_accounts.all() if a.is_active), None)
            writer.writerow(
                [
                    facility.name,
                    account.bank_name if account else "",
                    account.account_number if account else "",
                    account.account_holder if account else "",
                    sum(e.amount for e in entries),
                    " ".join(e.order.code for e in entries),
                ]
            )
        return response

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not scope_for(request.user).is_national:
            actions.pop("pay_out", None)
        return actions

    @admin.action(description=gettext_lazy("Catat sudah disetor ke UPT"))
    def pay_out(self, request, queryset):
        if "apply" in request.POST:
            form = PayOutForm(request.POST)
            if form.is_valid():
                try:
                    count = gateway_services.settlement_pay_out(
                        entries=list(queryset),
                        actor=request.user,
                        reference=form.cleaned_data["reference"],
                    )
                except services.OrderError as error:
                    self.message_user(request, " ".join(error.messages), messages.ERROR)
                else:
                    self.message_user(
                        request, _("%(n)s setoran dicatat.") % {"n": count}, messages.SUCCESS
                    )
                return None
        else:
            form = PayOutForm()
        return TemplateResponse(
            request,
            "admin/orders/settlement_pay_out.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Catat setoran ke UPT"),
                "entries": queryset,
                "total": sum(e.amount for e in queryset),
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )


@admin.register(OrderRefund)
class OrderRefundAdmin(FacilityScopedModelAdmin):
    """The refunds ledger, read-only: rows come from orders.refunds only."""

    facility_path = "order__facility"
    list_display = ("order", "amount", "method", "source", "recorded_by", "created_at")
    list_filter = ("method",)
    search_fields = ("order__code", "refund_key")
    readonly_fields = (
        "order", "amount", "reason", "refund_key", "source", "method",
        "gateway_refund", "transfer_reference", "recorded_by", "created_at",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
