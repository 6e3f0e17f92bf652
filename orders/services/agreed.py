"""Placing an order on agreed terms (an accepted quote): the prices, delivery
fee and payment terms come from the agreement, not from the catalog now.

The stock rules, the line checks and the rows written are any order's
(orders.services.placement, shared with a checkout): rows locked through
catalog.stock in product-id order, stock taken unless made to order, given
back on cancel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from catalog import stock
from orders import mail
from orders.models import Checkout, Order, PaymentMethod
from orders.services.checkout_input import Address, Contact, _address_fields
from orders.services.common import IDEMPOTENCY_KEY_RE, OrderError
from orders.services.placement import line_problem, order_write
from orders.states import start_status_for_terms


@dataclass(frozen=True)
class AgreedLine:
    product_id: int
    quantity: int
    unit_price: int
    # Made for this order (a quote over stock with a ready date): no stock is
    # checked or taken, and none is given back on cancel (OrderLine.made_to_order).
    made_to_order: bool = False


@dataclass(frozen=True)
class Agreement:
    facility_id: int
    lines: list[AgreedLine]
    delivery_method: str
    shipping_fee: int
    payment_terms_days: int | None  # None: pay before delivery
    payment_deadline: datetime | None  # pay-before only
    buyer_organisation: str
    buyer_npwp: str
    note: str = ""


def order_place_agreed(
    *, idempotency_key: str, contact: Contact, address: Address, agreement: Agreement
) -> Order:
    """Create the one order of an agreement (Checkout + Order + lines), taking stock.

    The key is unique (Checkout.idempotency_key): a second call with the same
    key returns the order the first made and changes nothing. Call it inside
    the caller's transaction when the caller must hold its own lock too.

    Raises OrderError when a product is gone, belongs to another facility,
    lacks stock, or the amounts pass the limits.
    """
    if not IDEMPOTENCY_KEY_RE.fullmatch(idempotency_key or ""):
        raise OrderError(_("Kunci pesanan tidak valid."))
    existing = Order.objects.filter(checkout__idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    if not agreement.lines:
        raise OrderError(_("Penawaran tidak berisi barang."))
    with transaction.atomic():
        # First write: a concurrent twin waits on the unique index, then fails.
        checkout = Checkout.objects.create(idempotency_key=idempotency_key)
        wanted = {line.product_id: line for line in agreement.lines}
        products = stock.lock_products(wanted, related=["facility"])
        if {p.pk for p in products} != set(wanted):
            raise OrderError(_("Ada produk dalam penawaran yang tidak lagi ada."))
        problems = []
        for product in products:
            line = wanted[product.pk]
            if product.facility_id != agreement.facility_id:
                raise OrderError(_("Produk penawaran bukan milik UPT ini."))
            # The agreement's price and quantities stand: no catalog price or
            # minimum is asked of them, the rest is any order's check.
            refused = line_problem(
                product,
                quantity=line.quantity,
                unit_price=line.unit_price,
                check_minimum=False,
                made_to_order=line.made_to_order,
            )
            if refused:
                problems.append(refused[0])
        if problems:
            raise OrderError(*problems)
        pay_before = agreement.payment_terms_days is None
        # Lines quoted over stock with a ready date: made for this buyer.
        made = frozenset(pid for pid, line in wanted.items() if line.made_to_order)
        order = order_write(
            checkout=checkout,
            facility=products[0].facility,
            products=products,
            unit_prices={p.pk: wanted[p.pk].unit_price for p in products},
            quantities={p.pk: wanted[p.pk].quantity for p in products},
            status=start_status_for_terms(agreement.payment_terms_days),
            contact=contact,
            delivery_method=agreement.delivery_method,
            payment_method=PaymentMethod.BANK_TRANSFER,
            note=agreement.note[:300],
            shipping_fee=agreement.shipping_fee,
            payment_deadline=agreement.payment_deadline if pay_before else None,
            address_fields=_address_fields(address),
            placed_note=_("Pesanan dibuat dari penawaran yang disetujui pembeli."),
            made_to_order_ids=made,
            buyer_organisation=agreement.buyer_organisation,
            buyer_npwp=agreement.buyer_npwp,
            payment_terms_days=agreement.payment_terms_days,
        )
        stock.take(products, {p.pk: wanted[p.pk].quantity for p in products if p.pk not in made})
        transaction.on_commit(lambda: mail.queue_new_orders([order.pk]))
    return order
