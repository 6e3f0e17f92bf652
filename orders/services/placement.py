"""The one core of placing an order, shared by a checkout
(orders.services.checkout) and an order on agreed terms (orders.services.agreed).

Both lock the products through catalog.stock, ask `line_problem` of each
line under the lock, then `order_write` each facility's order and finally
take the stock. What differs is only where a price and the terms come from
(the catalog now, or the agreement), so that is what the callers pass in;
the checks and the rows written are the same for both.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from catalog.models import Product
from core.money import format_rupiah
from facilities.models import Facility
from orders.limits import line_amount_problem, order_amount_problem
from orders.models import Checkout, Order, OrderEvent, OrderLine
from orders.services.checkout_input import Contact
from orders.services.common import OrderError
from orders.states import SHOPPER


def line_problem(
    product: Product,
    *,
    quantity: int,
    unit_price: int,
    expected_price: int | None = None,
    check_minimum: bool = True,
    made_to_order: bool = False,
) -> tuple[str, bool] | None:
    """The first reason a locked product can't be ordered in `quantity` at
    `unit_price`, and whether the reason means the shopper's view is stale
    (the catalog changed under it); None when the line may be placed.

    `expected_price` is the price the shopper saw (a checkout; None for an
    agreed price); `check_minimum` is False for an agreement, whose
    quantities the facility agreed to; `made_to_order` is True for an agreed
    line the facility will make by its ready date (a quote over stock), so
    no stock is asked of it.
    """
    if not product.is_public:
        return _("%(name)s tidak lagi dijual.") % {"name": product.name}, True
    if expected_price is not None and unit_price != expected_price:
        return (
            _("Harga %(name)s berubah menjadi %(price)s.")
            % {"name": product.name, "price": format_rupiah(unit_price)},
            True,
        )
    if check_minimum and quantity < product.min_order_quantity:
        return (
            _("Minimal pembelian %(name)s adalah %(min)s.")
            % {"name": product.name, "min": product.min_order_quantity},
            False,
        )
    if not (product.made_to_order or made_to_order) and quantity > product.stock:
        return (
            _("Stok %(name)s tidak cukup (tersisa %(stock)s).")
            % {"name": product.name, "stock": product.stock},
            True,
        )
    # The cart refuses this line before checkout; only a cart that dodged it
    # gets here, and the cart is where it is fixed (hence stale).
    problem = line_amount_problem(name=product.name, unit_price=unit_price, quantity=quantity)
    if problem:
        return problem, True
    return None


def order_write(
    *,
    checkout: Checkout,
    facility: Facility,
    products: list[Product],
    unit_prices: dict[int, int],
    quantities: dict[int, int],
    status: str,
    contact: Contact,
    delivery_method: str,
    payment_method: str,
    note: str,
    shipping_fee: int,
    payment_deadline: datetime | None,
    address_fields: dict,
    placed_note: str,
    made_to_order_ids: frozenset[int] = frozenset(),
    **terms,
) -> Order:
    """One facility's order, its lines and its first event, inside the
    caller's transaction with the products already locked and checked.

    `terms` are the agreed order's own columns (buyer, payment terms);
    `made_to_order_ids` the products an agreement orders as made to order.
    Raises OrderError when the order would come to more than the limit;
    it is checked before any row is written with it, so the money columns
    hold whatever passes (core.money), never a 500 for what does not.
    """
    subtotal = sum(unit_prices[p.pk] * quantities[p.pk] for p in products)
    total = subtotal + shipping_fee
    problem = order_amount_problem(facility_name=facility.name, total=total)
    if problem:
        raise OrderError(problem)
    order = Order.objects.create(
        checkout=checkout,
        facility=facility,
        status=status,
        contact_name=contact.name,
        contact_phone=contact.phone,
        contact_email=contact.email,
        delivery_method=delivery_method,
        payment_method=payment_method,
        note=note,
        subtotal=subtotal,
        shipping_fee=shipping_fee,
        total=total,
        total_weight_grams=sum(p.weight_grams * quantities[p.pk] for p in products),
        payment_deadline=payment_deadline,
        **address_fields,
        **terms,
    )
    # The lines keep the product as it is now (name, weight, made to order,
    # lead time) at the price placed.
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            product=p,
            product_name=p.name,
            unit_price=unit_prices[p.pk],
            quantity=quantities[p.pk],
            line_total=unit_prices[p.pk] * quantities[p.pk],
            weight_grams=p.weight_grams,
            made_to_order=p.made_to_order or p.pk in made_to_order_ids,
            lead_time_days=p.lead_time_days,
        )
        for p in products
    )
    OrderEvent.objects.create(
        order=order, actor_label=SHOPPER, from_status="", to_status=order.status, note=placed_note
    )
    return order
