"""Read-side queries for carts and orders, with their joins already in place."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext as _

from catalog.models import Product
from facilities.models import BankAccount
from orders import lateness
from orders.models import (
    Checkout,
    DeliverySettings,
    Order,
    OrderStatus,
    PaymentProof,
    ShippingRate,
)


def cart_products(product_ids: Iterable[int]) -> QuerySet[Product]:
    """Public products among `product_ids`, with their facility, in one query
    (and their price tiers in a second)."""
    return (
        Product.objects.public()
        .filter(pk__in=list(product_ids))
        .select_related("facility")
        .prefetch_related("price_tiers")
    )


def public_product(product_id: int) -> Product | None:
    return cart_products([product_id]).first()


def delivery_settings_for(facility_ids: Iterable[int]) -> dict[int, DeliverySettings]:
    return {s.facility_id: s for s in DeliverySettings.objects.filter(facility_id__in=facility_ids)}


def shipping_rates_for(facility_ids: Iterable[int]) -> dict[int, list[ShippingRate]]:
    rates: dict[int, list[ShippingRate]] = {}
    for rate in ShippingRate.objects.filter(facility_id__in=facility_ids):
        rates.setdefault(rate.facility_id, []).append(rate)
    return rates


def _bank_accounts() -> Prefetch:
    return Prefetch("facility__bank_accounts", queryset=BankAccount.objects.filter(is_active=True))


def checkout_by_key(key: str) -> Checkout | None:
    return Checkout.objects.filter(idempotency_key=key).first()


def checkout_by_code(code: str) -> Checkout | None:
    return Checkout.objects.filter(code=code).first()


def checkout_orders(code: str) -> QuerySet[Order]:
    """The orders one checkout made, with what the confirmation page shows."""
    return (
        Order.objects.filter(checkout__code=code)
        .select_related("facility")
        .prefetch_related("lines", _bank_accounts())
        .order_by("facility__name")
    )


def confirmation_orders(code: str) -> QuerySet[Order]:
    """The checkout's orders with what its confirmation page shows: payment
    instructions, showroom details and the receipts already sent."""
    return checkout_orders(code).prefetch_related("payment_proofs")


def order_for_tracking(code: str) -> Order | None:
    return (
        Order.objects.filter(code=code)
        .select_related("facility")
        .prefetch_related("lines", "events", "payment_proofs", _bank_accounts())
        .first()
    )


def order_matching(*, code: str, phone: str) -> Order | None:
    """The order with `code` whose contact phone is `phone`, else None: a wrong
    code and a wrong phone look the same to the caller."""
    return Order.objects.filter(code=code, contact_phone=phone).only("pk", "code").first()


def orders_for_admin() -> QuerySet[Order]:
    """Orders with what the admin list shows, sorted with what needs action first:
    receipts to check, paid orders to pack, orders to ship or hand over."""
    pending_proof = PaymentProof.objects.filter(
        order=OuterRef("pk"), status=PaymentProof.Status.PENDING
    )
    return (
        Order.objects.select_related("facility")
        .annotate(has_pending_proof=Exists(pending_proof))
        .annotate(
            action_rank=Case(
                When(status=OrderStatus.AWAITING_PAYMENT, has_pending_proof=True, then=Value(0)),
                When(status=OrderStatus.PAID, then=Value(1)),
                When(status=OrderStatus.PROCESSING, then=Value(2)),
                When(status=OrderStatus.READY_FOR_PICKUP, then=Value(3)),
                When(status=OrderStatus.SHIPPED, then=Value(4)),
                When(status=OrderStatus.AWAITING_PAYMENT, then=Value(5)),
                default=Value(9),
                output_field=IntegerField(),
            )
        )
        .order_by("action_rank", "created_at")
    )


def orders_due_to_expire(now) -> QuerySet[Order]:
    return Order.objects.filter(
        status=OrderStatus.AWAITING_PAYMENT, payment_deadline__lt=now
    ).order_by("id")


def ship_allowance() -> timedelta:
    """How long a paid parcel may take to leave: the time to pack plus the
    time to ship of the one late-order rule (orders.lateness), for the
    Kanwil's on-time figures."""
    return lateness.LATE_AFTER[OrderStatus.PAID] + lateness.LATE_AFTER[OrderStatus.PROCESSING]


def orders_at_step(step: str) -> QuerySet[Order]:
    """Orders waiting at one step of the to-do list (unscoped), the longest
    waiting first, each with `status_since` (when it reached the step) and
    what orders.lateness reads."""
    return (
        lateness.annotate_lateness(Order.objects.select_related("facility"))
        .filter(lateness.step_filters()[step])
        .order_by("status_since", "id")
    )


def order_step_late(now) -> Q:
    """The rows of orders_at_step that are late at `now` (orders.lateness)."""
    return lateness.late_q(now)


@dataclass
class TodoBucket:
    key: str
    title: str
    orders: list = field(default_factory=list)


def orders_todo(orders: QuerySet[Order], *, now, limit: int = 50) -> list[TodoBucket]:
    """An officer's to-do list from `orders` (already scoped): receipts to check,
    parcels to pack, to ship, pickups waiting, and those late at any of these.

    Each order carries `status_since` (its last status change) and `is_late`
    (orders.lateness, the one rule).
    One query whatever the number of orders: the pending-proof flag and the
    last move are annotations."""
    rows = list(
        lateness.annotate_lateness(orders, proof=False)
        .filter(
            Q(status=OrderStatus.AWAITING_PAYMENT, has_pending_proof=True)
            | Q(
                status__in=[
                    OrderStatus.PAID,
                    OrderStatus.PROCESSING,
                    OrderStatus.READY_FOR_PICKUP,
                ]
            )
        )
        .order_by("created_at", "id")[: limit * 4]
    )
    buckets = {
        "receipts": TodoBucket("receipts", _("Bukti transfer perlu diperiksa")),
        "to_pack": TodoBucket("to_pack", _("Perlu dikemas")),
        "to_ship": TodoBucket("to_ship", _("Perlu dikirim")),
        "pickups": TodoBucket("pickups", _("Menunggu diambil di showroom")),
        "overdue": TodoBucket("overdue", _("Terlambat")),
    }
    for order in rows:
        key = lateness.step_of(order)
        order.is_late = lateness.is_late(order, now)
        if len(buckets[key].orders) < limit:
            buckets[key].orders.append(order)
        if order.is_late and len(buckets["overdue"].orders) < limit:
            buckets["overdue"].orders.append(order)
    return list(buckets.values())
