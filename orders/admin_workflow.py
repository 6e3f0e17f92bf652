"""The officer's order desk on a phone: the order page leads with what matters
and offers the next step in place; a to-do list per officer.

Every step is one of orders.services' functions, offered only when the state
table (orders.states) allows the move; every page is scoped through the
admin's own queryset (facilities.scoping), so another facility's order is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.money import format_rupiah
from core.phone import whatsapp_digits
from facilities.admin_zone import FacilityZoneAdminMixin, rendered_in_zone, staff_zone
from orders import selectors, services
from orders.admin_texts import chosen_courier, payment_text
from orders.delivery import shipments
from orders.models import DeliveryMethod, Order, OrderStatus, PaymentProof
from orders.states import (
    FINAL,
    SHOPPER,
    STAFF,
    SYSTEM,
    next_statuses,
    takes_terms_payment,
)


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    kind: str  # "post": one tap; "confirm": a second question; "form": fields to fill
    style: str = ""  # "", "quiet" or "danger"


class ShipForm(forms.Form):
    courier = forms.CharField(
        label=gettext_lazy("Kurir"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "JNE, J&T, Pos Indonesia"}),
    )
    tracking_number = forms.CharField(
        label=gettext_lazy("Nomor resi"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"autocapitalize": "characters"}),
    )


class StepReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Alasan"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Pembeli membaca alasan ini."),
    )


# What the officer does next, by status (pending receipts and pickup orders apart).
NEXT_STEP_TEXT = {
    OrderStatus.AWAITING_PAYMENT: gettext_lazy("Menunggu pembeli membayar dan mengunggah bukti."),
    OrderStatus.PAID: gettext_lazy("Kemas barangnya, lalu kirim."),
    OrderStatus.PROCESSING: gettext_lazy("Kirim paket dan isi nomor resi."),
    OrderStatus.SHIPPED: gettext_lazy("Tandai selesai setelah paket diterima pembeli."),
    OrderStatus.READY_FOR_PICKUP: gettext_lazy(
        "Serahkan barang saat pembeli datang, lalu tandai selesai."
    ),
    OrderStatus.COMPLETED: gettext_lazy("Pesanan selesai. Tidak ada yang perlu dilakukan."),
    OrderStatus.CANCELLED: gettext_lazy("Pesanan dibatalkan. Tidak ada yang perlu dilakukan."),
    OrderStatus.EXPIRED: gettext_lazy(
        "Batas bayar lewat; pesanan kedaluwarsa. Tidak ada yang perlu dilakukan."
    ),
}

ACTOR_LABELS = {
    SHOPPER: gettext_lazy("Pembeli"),
    STAFF: gettext_lazy("Petugas UPT"),
    SYSTEM: gettext_lazy("Sistem"),
}


def actor_label_display(label: str) -> str:
    return str(ACTOR_LABELS.get(label, label or "—"))


def status_tone(status: str) -> str:
    if status in (OrderStatus.CANCELLED, OrderStatus.EXPIRED):
        return "stopped"
    if status == OrderStatus.COMPLETED:
        return "done"
    return "attention"


def next_step_text(order: Order, has_pending_proof: bool) -> str:
    if order.status == OrderStatus.AWAITING_PAYMENT and has_pending_proof:
        return _("Periksa bukti transfer dengan mutasi rekening, lalu konfirmasi atau tolak.")
    if order.delivery_method == DeliveryMethod.PICKUP:
        if order.status == OrderStatus.PAID:
            return _("Siapkan barangnya untuk diambil di showroom.")
        if order.status == OrderStatus.PROCESSING:
            return _("Siapkan barangnya, lalu tandai siap diambil; pembeli diberi tahu.")
    if order.delivery_method == DeliveryMethod.LOCAL and order.status in (
        OrderStatus.PAID,
        OrderStatus.PROCESSING,
    ):
        return _("Antar pesanan ke alamat pembeli, lalu tandai dikirim.")
    return str(NEXT_STEP_TEXT.get(order.status, ""))


def available_steps(order: Order, has_pending_proof: bool) -> list[Step]:
    """The steps the state table allows this order now, in the order an officer
    takes them; cancelling is always last and set apart."""
    allowed = set(next_statuses(order.status, STAFF))
    pickup = order.delivery_method == DeliveryMethod.PICKUP
    steps: list[Step] = []
    if OrderStatus.PAID in allowed or takes_terms_payment(
        order.status, order.payment_terms_days, order.paid_at
    ):
        # An order on terms (pay after delivery) is paid where it stands.
        steps.append(Step("confirm_payment", _("Konfirmasi pembayaran"), "confirm"))
        if has_pending_proof:
            steps.append(Step("reject_payment", _("Tolak bukti transfer"), "form", "quiet"))
    if OrderStatus.PROCESSING in allowed:
        # A parcel is often packed and handed over at once: offer the ship form
        # straight from "paid" (both moves are recorded).
        if pickup:
            steps.append(Step("start_processing", _("Mulai siapkan"), "post"))
        else:
            steps.append(Step("ship", _("Kirim (kurir dan resi)"), "form"))
            steps.append(Step("start_processing", _("Tandai sedang dikemas"), "post", "quiet"))
    if OrderStatus.SHIPPED in allowed and not pickup:
        steps.append(Step("ship", _("Kirim (kurir dan resi)"), "form"))
    if shipments.can_book(order):
        # The shopper chose a courier service at checkout: book it, get the resi.
        steps.insert(0, Step("book_courier", _("Pesan kurir (resi otomatis)"), "confirm"))
    if OrderStatus.READY_FOR_PICKUP in allowed and pickup:
        steps.append(Step("ready_for_pickup", _("Tandai siap diambil"), "post"))
    if OrderStatus.COMPLETED in allowed:
        steps.append(Step("complete", _("Tandai selesai"), "confirm"))
    if OrderStatus.CANCELLED in allowed:
        steps.append(Step("cancel", _("Batalkan pesanan"), "form", "danger"))
    return steps


class OrderWorkflowMixin(FacilityZoneAdminMixin):
    """For OrderAdmin: the summary at the top of the order page, the step pages
    and the to-do list."""

    def get_urls(self):
        return [
            path(
                "tugas/",
                self.admin_site.admin_view(self.todo_view),
                name="orders_order_todo",
            ),
            path(
                "<int:object_id>/langkah/<slug:step>/",
                self.admin_site.admin_view(self.step_view),
                name="orders_order_step",
            ),
            *super().get_urls(),
        ]

    # --- the order page --------------------------------------------------------

    def _scoped_order(self, request, object_id) -> Order:
        order = self.get_queryset(request).filter(pk=object_id).first()
        if order is None:
            raise Http404
        return order

    def _summary(self, request, order: Order) -> dict:
        pending = bool(getattr(order, "has_pending_proof", False))
        proofs = list(order.payment_proofs.all())
        latest = proofs[0] if proofs else None
        payment = payment_text(order, latest)
        may_change = self.has_change_permission(request, order)
        return {
            "order": order,
            "status_tone": status_tone(order.status),
            "next_text": next_step_text(order, pending),
            "total": format_rupiah(order.total),
            "payment_text": payment,
            "receipt_url": (
                reverse("admin:orders_order_receipt", args=[order.pk, latest.pk])
                if latest is not None
                else ""
            ),
            "whatsapp_url": (
                f"https://wa.me/{whatsapp_digits(order.contact_phone)}"
                if order.contact_phone
                else ""
            ),
            "steps": available_steps(order, pending) if may_change else [],
            **shipments.admin_summary(order),
            "is_final": order.status in FINAL,
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A malformed id is Django's to answer (a message and the list), not a 500 here.
        order = (
            self.get_queryset(request).filter(pk=object_id).select_related("facility").first()
            if str(object_id).isdigit()
            else None
        )
        extra_context = dict(extra_context or {})
        if order is not None:
            extra_context["kb"] = self._summary(request, order)
            # Dates on the page in the facility's own zone (WIB, WITA or WIT).
            with timezone.override(order.facility.timezone):
                response = super().change_view(request, object_id, form_url, extra_context)
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
                return response
        return super().change_view(request, object_id, form_url, extra_context)

    # --- one step ------------------------------------------------------------

    def step_view(self, request, object_id, step):
        order = self._scoped_order(request, object_id)
        if not self.has_change_permission(request, order):
            raise PermissionDenied
        pending = bool(getattr(order, "has_pending_proof", False))
        offered = {s.name: s for s in available_steps(order, pending)}
        back = reverse("admin:orders_order_change", args=[order.pk])
        chosen = offered.get(step)
        if chosen is None:
            self.message_user(
                request,
                _("Pesanan %(code)s berstatus %(status)s; langkah itu tidak tersedia.")
                % {"code": order.code, "status": order.get_status_display()},
                messages.WARNING,
            )
            return HttpResponseRedirect(back)
        form = None
        if chosen.name == "ship":
            form = ShipForm(
                request.POST if request.method == "POST" else None,
                initial={"courier": chosen_courier(order)},
            )
        elif chosen.kind == "form":
            form = StepReasonForm(request.POST if request.method == "POST" else None)
        if request.method == "POST":
            if chosen.kind == "confirm" and request.POST.get("confirm") != "yes":
                return HttpResponseRedirect(back)
            if form is None or form.is_valid():
                try:
                    self._apply(request, order, chosen.name, form)
                except services.OrderError as error:
                    if form is None:
                        self.message_user(request, " ".join(error.messages), messages.ERROR)
                        return HttpResponseRedirect(back)
                    form.add_error(None, " ".join(error.messages))
                else:
                    order.refresh_from_db(fields=["status", "delivery_method"])
                    if request.POST.get("then") == "ship" and any(
                        s.name == "ship" for s in available_steps(order, False)
                    ):
                        # "Paid, and I'm sending it now": straight on to the ship form.
                        self.message_user(
                            request,
                            _("Pesanan %(code)s: %(status)s. Isi kurir dan resi.")
                            % {"code": order.code, "status": order.get_status_display()},
                            messages.SUCCESS,
                        )
                        return HttpResponseRedirect(
                            reverse("admin:orders_order_step", args=[order.pk, "ship"])
                        )
                    self.message_user(
                        request,
                        _("Pesanan %(code)s: %(status)s.")
                        % {"code": order.code, "status": order.get_status_display()},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(back)
        elif chosen.kind == "post":
            return HttpResponseNotAllowed(["POST"])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": chosen.label,
            "kb": self._summary(request, order),
            "order": order,
            "step": chosen,
            "form": form,
            "back_url": back,
            "question": self._question(order, chosen.name),
            # Confirming a parcel's payment may lead straight on to shipping it.
            "then_ship": chosen.name == "confirm_payment"
            and order.delivery_method != DeliveryMethod.PICKUP
            and order.status == OrderStatus.AWAITING_PAYMENT,
        }
        return TemplateResponse(request, "admin/orders/order/step.html", context)

    def _question(self, order: Order, step: str) -> str:
        if step == "confirm_payment":
            return _(
                "Sudah Anda cocokkan dengan mutasi rekening UPT? Transfer %(total)s untuk "
                "pesanan %(code)s atas nama %(name)s sudah masuk?"
            ) % {
                "total": format_rupiah(order.total),
                "code": order.code,
                "name": order.contact_name,
            }
        if step == "book_courier":
            shipment = order.shipment
            return _(
                "Pesan %(courier)s %(service)s untuk pesanan %(code)s? Kurir menjemput paket di "
                "UPT dan nomor resi tercatat otomatis."
            ) % {
                "courier": shipment.courier_name,
                "service": shipment.service_name,
                "code": order.code,
            }
        if step == "complete":
            return _("Barang pesanan %(code)s sudah diterima pembeli?") % {"code": order.code}
        if step == "cancel":
            return _("Pesanan %(code)s dibatalkan dan stoknya dikembalikan.") % {"code": order.code}
        return ""

    def _apply(self, request, order: Order, step: str, form) -> None:
        actor = request.user
        data = form.cleaned_data if form is not None else {}
        if step == "confirm_payment":
            services.order_confirm_payment(order=order, actor=actor)
        elif step == "reject_payment":
            services.order_reject_payment(order=order, actor=actor, reason=data["reason"])
        elif step == "start_processing":
            services.order_start_processing(order=order, actor=actor)
        elif step == "book_courier":
            try:
                shipments.shipment_book(order=order, actor=actor)
            except shipments.ShipmentError as error:
                raise services.OrderError(str(error)) from None
        elif step == "ship":
            shipments.shipment_record_manual(
                order=order,
                actor=actor,
                courier=data["courier"],
                waybill=data["tracking_number"],
            )
        elif step == "ready_for_pickup":
            services.order_ready_for_pickup(order=order, actor=actor)
        elif step == "complete":
            services.order_complete(order=order, actor=actor)
        elif step == "cancel":
            services.order_cancel(order=order, actor=actor, reason=data["reason"])

    # --- the to-do list --------------------------------------------------------

    def todo_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        buckets = selectors.orders_todo(self.get_queryset(request), now=timezone.now())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Tugas saya"),
            "buckets": buckets,
            "empty": not any(b.orders for b in buckets),
            "pending_proof": PaymentProof.Status.PENDING,
        }
        return rendered_in_zone(
            staff_zone(request),
            lambda: TemplateResponse(request, "admin/orders/order/todo.html", context),
        )


def confirm_payment_question(model_admin, request, queryset):
    """The bulk action's second question: which orders, for how much in all."""
    orders = list(queryset.select_related("facility"))
    return TemplateResponse(
        request,
        "admin/orders/order/confirm_payment.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": _("Konfirmasi pembayaran"),
            "opts": model_admin.model._meta,
            "orders": orders,
            "total": format_rupiah(sum(o.total for o in orders)),
            "action": request.POST.get("action"),
        },
    )
