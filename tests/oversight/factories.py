"""Rows the oversight tests need: categories, products and orders in any status.

Products and categories are the catalog suite's factories with this suite's
names (so rows of the two suites never collide on a slug).
"""

from __future__ import annotations

import itertools
from datetime import datetime

import factory
from django.utils import timezone

from catalog.models import Product
from orders.models import Checkout, Order, OrderEvent, OrderLine, OrderStatus
from orders.states import SYSTEM
from tests.catalog import factories as catalog_factories

_keys = itertools.count()


class CategoryFactory(catalog_factories.CategoryFactory):
    name_id = factory.Sequence(lambda n: f"Kerajinan {n}")
    name_en = factory.Sequence(lambda n: f"Crafts {n}")
    slug = factory.Sequence(lambda n: f"kerajinan-oversight-{n}")


class ProductFactory(catalog_factories.ProductFactory):
    """The catalog suite's factory with this suite's names and amounts."""

    category = factory.SubFactory(CategoryFactory)
    name = factory.Sequence(lambda n: f"Tas Rajut {n}")
    slug = factory.Sequence(lambda n: f"tas-rajut-oversight-{n}")
    description = "Tas rajut tangan."
    stock = 20
    weight_grams = 400


def make_order(
    facility,
    *,
    status: str = OrderStatus.COMPLETED,
    lines: list[tuple[Product, int]],
    shipping: int = 0,
    created_at: datetime | None = None,
    payment_deadline: datetime | None = None,
    status_since: datetime | None = None,
) -> Order:
    """An order of `facility` with `lines` ((product, quantity) pairs) in `status`.

    Written straight to the tables: these tests check what the reports read,
    not how checkout writes (the orders suite covers that).
    """
    subtotal = sum(product.price * quantity for product, quantity in lines)
    checkout = Checkout.objects.create(idempotency_key=f"oversight-{next(_keys)}")
    order = Order.objects.create(
        checkout=checkout,
        facility=facility,
        status=status,
        contact_name="Pembeli Uji",
        contact_phone="0812 3456 7890",
        delivery_method="courier" if shipping else "pickup",
        payment_method="bank_transfer",
        subtotal=subtotal,
        shipping_fee=shipping,
        total=subtotal + shipping,
        total_weight_grams=sum(p.weight_grams * q for p, q in lines),
        payment_deadline=payment_deadline,
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            product=product,
            product_name=product.name,
            unit_price=product.price,
            quantity=quantity,
            line_total=product.price * quantity,
            weight_grams=product.weight_grams,
            made_to_order=product.made_to_order,
            lead_time_days=product.lead_time_days,
        )
        for product, quantity in lines
    )
    if created_at is not None:
        Order.objects.filter(pk=order.pk).update(created_at=created_at)
        order.created_at = created_at
    event = OrderEvent.objects.create(
        order=order, actor_label=SYSTEM, from_status="", to_status=status
    )
    OrderEvent.objects.filter(pk=event.pk).update(
        created_at=status_since or created_at or timezone.now()
    )
    return order
