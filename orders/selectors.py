"""Read-side queries for carts and orders, with their joins already in place."""

from collections.abc import Iterable

from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, QuerySet, Value, When

from catalog.models import Product
from facilities.models import BankAccount
from orders.models import (
    Checkout,
    DeliverySettings,
    GatewayPayment,
    Order,
    OrderStatus,
    PaymentProof,
    ShippingRate,
)


def cart_products(product_ids: Iterable[int]) -> QuerySet[Product]:
    """Public products among `product_ids`, with their facility, in one query."""
    return Product.objects.public().filter(pk__in=list(product_ids)).select_related("facility")


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


def checkout_orders(code: str) -> QuerySet[Order]:
    """The orders one checkout made, with what the confirmation page shows."""
    return (
        Order.objects.filter(checkout__code=code)
        .select_related("facility")
        .prefetch_related("lines", _bank_accounts())
        .order_by("facility__name")
    )


def gateway_payment_for_checkout(code: str) -> GatewayPayment | None:
    """The checkout's latest gateway charge (one query), or None."""
    return GatewayPayment.objects.filter(checkout__code=code).order_by("-created_at", "-id").first()


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
