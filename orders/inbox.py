"""What orders put in the officer's inbox (facilities.inbox): the order steps
of the to-do list with their deadlines (orders.lateness, the one rule), and
shoppers' deletion requests with their 3x24-hour deadline (orders.privacy)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.money import format_rupiah
from facilities.inbox import InboxItem, register_source
from orders import lateness, selectors
from orders.privacy.models import PrivacyRequest

STEPS = {
    "receipts": (_("Bukti transfer perlu diperiksa"), 10),
    "to_pack": (_("Pesanan perlu dikemas"), 11),
    "to_ship": (_("Paket perlu dikirim"), 12),
    "pickups": (_("Menunggu diambil di showroom"), 13),
}


def _order_item(step: str, label):
    def item(order, now) -> InboxItem:
        # The moment late_q calls it late, so the item and the count agree.
        deadline = lateness.late_at(order)
        return InboxItem(
            kind=step,
            kind_label=str(label),
            title=f"{order.code} · {format_rupiah(order.total)}",
            detail=order.get_delivery_method_display(),
            url=reverse("admin:orders_order_change", args=[order.pk]),
            deadline=deadline,
            overdue=now > deadline,
            facility=order.facility,
        )

    return item


def _privacy_rows(now):
    return (
        PrivacyRequest.objects.filter(status=PrivacyRequest.Status.OPEN)
        .select_related("order__facility")
        .order_by("due_at", "id")
    )


def _privacy_item(request, now) -> InboxItem:
    return InboxItem(
        kind="privacy",
        kind_label=str(_("Permintaan data pribadi")),
        title=f"{request.get_kind_display()} · {request.order.code}",
        url=reverse("admin:orders_privacyrequest_change", args=[request.pk]),
        deadline=request.due_at,
        overdue=request.due_at < now,
        facility=request.order.facility,
    )


def register() -> None:
    for step, (label, position) in STEPS.items():
        register_source(
            step,
            label=label,
            rows=lambda now, step=step: selectors.orders_at_step(step),
            late=selectors.order_step_late,
            item=_order_item(step, label),
            perm="orders.view_order",
            position=position,
        )
    register_source(
        "privacy",
        label=_("Permintaan data pribadi"),
        rows=_privacy_rows,
        late=lambda now: Q(due_at__lt=now),
        item=_privacy_item,
        facility_path="order__facility",
        perm="orders.view_privacyrequest",
        position=20,
    )
