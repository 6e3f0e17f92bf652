"""Placing a checkout: one Order per facility, all or none, in one transaction.

What it is given is in checkout_input, the cart lines are checked in
checkout_lines and each facility's choices in checkout_choices; this module
holds the transaction; each order, its lines and its first event are written
by orders.services.placement, as an agreed order's are (orders.services.agreed).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import stock
from catalog.models import Product
from orders import mail, selectors
from orders.delivery import fees as shipping
from orders.delivery import shipments
from orders.models import (
    Checkout,
    DeliveryMethod,
    Order,
    PaymentMethod,
)
from orders.payments.providers import provider_for
from orders.services.address import address_checked
from orders.services.checkout_choices import (
    PricedCourier,
    _check_choice,
    _courier_option,
    courier_answers_unlocked,
)
from orders.services.checkout_input import (
    Address,
    Contact,
    FacilityChoice,
    PlaceLine,
    PlaceResult,
    _address_fields,
)
from orders.services.checkout_lines import _check_lines_shape, _locked_priced_products
from orders.services.common import IDEMPOTENCY_KEY_RE, OrderError
from orders.services.placement import order_write


def order_place(
    *,
    idempotency_key: str,
    contact: Contact,
    lines: list[PlaceLine],
    choices: dict[int, FacilityChoice],
    address: Address | None = None,
    privacy_notice_version: str = "",
    terms_version: str | None = None,
    cart_holder: str = "",
) -> PlaceResult:
    """Place one checkout: one Order per facility, all or none, in one transaction.

    Stock rows are locked in product-id order (SELECT ... FOR UPDATE) before
    they are checked, so concurrent checkouts queue behind each other instead
    of overselling, and always take locks in the same order so they cannot
    deadlock. Made-to-order products take no stock. A key already used
    returns the checkout it made (`created` False) and changes nothing.

    `cart_holder` is the cart's hold id (catalog.stock_holds): the units it
    held count for it and its holds end with the placing.
    `privacy_notice_version` is the notice the shopper agreed to, kept on
    the checkout ("" where no one agreed: seeds, tests); `terms_version` the
    terms (orders.terms.TERMS_VERSION), kept on each order (None: no one agreed).

    Raises OrderError when anything in the cart or the choices is refused
    (stale_cart=True when the catalog changed under the cart).
    """
    if not IDEMPOTENCY_KEY_RE.fullmatch(idempotency_key or ""):
        raise OrderError(_("Formulir checkout tidak valid. Muat ulang halaman checkout."))
    existing = Checkout.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return PlaceResult(existing, created=False, orders=list(existing.orders.all()))
    _check_lines_shape(lines)
    # Courier rates may need the aggregator: asked now, before any row lock.
    courier_answers = courier_answers_unlocked(lines, choices, address or Address())
    try:
        with transaction.atomic():
            # First write of the transaction: a concurrent double submit with the
            # same key waits here on the unique index and then fails, before it
            # has locked or counted any stock.
            checkout = Checkout.objects.create(
                idempotency_key=idempotency_key, privacy_notice_version=privacy_notice_version
            )
            orders = _place_orders(
                checkout,
                contact,
                lines,
                choices,
                address or Address(),
                courier_answers,
                cart_holder=cart_holder,
            )
            if terms_version:
                Order.objects.filter(checkout=checkout).update(terms_version=terms_version)
                for order in orders:
                    order.terms_version = terms_version
    except IntegrityError:
        existing = Checkout.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return PlaceResult(existing, created=False, orders=list(existing.orders.all()))
    return PlaceResult(checkout, created=True, orders=orders)


def _place_orders(
    checkout: Checkout,
    contact: Contact,
    lines: list[PlaceLine],
    choices: dict[int, FacilityChoice],
    address: Address,
    courier_answers: dict[int, PricedCourier],
    *,
    cart_holder: str = "",
) -> list[Order]:
    wanted = {line.product_id: line for line in lines}
    products, prices, held = _locked_priced_products(wanted, cart_holder=cart_holder)

    by_facility: dict[int, list[Product]] = {}
    for product in products:
        by_facility.setdefault(product.facility_id, []).append(product)
    if set(choices) != set(by_facility):
        raise OrderError(
            _("Pilihan pengiriman tidak cocok dengan isi keranjang. Muat ulang halaman checkout.")
        )

    if any(c.delivery_method != DeliveryMethod.PICKUP for c in choices.values()):
        address = address_checked(address)
    settings_by_facility = selectors.delivery_settings_for(by_facility)
    rates_by_facility = selectors.shipping_rates_for(by_facility)
    now = timezone.now()
    orders: list[Order] = []
    for facility_id, facility_products in by_facility.items():
        facility = facility_products[0].facility
        choice = choices[facility_id]
        settings = settings_by_facility.get(facility_id, shipping.DEFAULT_SETTINGS)
        weight = sum(p.weight_grams * wanted[p.pk].quantity for p in facility_products)
        _check_choice(facility, facility_products, choice, settings, address)
        provider = provider_for(choice.payment_method)
        courier_option = None
        if choice.delivery_method == DeliveryMethod.COURIER:
            courier_option = _courier_option(
                facility, choice, courier_answers.get(facility_id), weight=weight
            )
        fee = (
            courier_option.price
            if courier_option
            else shipping.delivery_fee(
                choice.delivery_method,
                settings=settings,
                rates=rates_by_facility.get(facility_id, []),
                province=address.province_code,
                weight_grams=weight,
            )
        )
        delivered = choice.delivery_method != DeliveryMethod.PICKUP
        order = order_write(
            checkout=checkout,
            facility=facility,
            products=facility_products,
            unit_prices=prices,
            quantities={p.pk: wanted[p.pk].quantity for p in facility_products},
            status=provider.initial_status(),
            contact=contact,
            delivery_method=choice.delivery_method,
            payment_method=choice.payment_method,
            note=choice.note,
            shipping_fee=fee,
            payment_deadline=provider.payment_deadline(settings, now),
            address_fields=_address_fields(address) if delivered else {},
            placed_note=_("Pesanan dibuat."),
        )
        if courier_option is not None:
            shipments.shipment_create_for(order=order, option=courier_option)
        orders.append(order)

    # Stock is written last, after the orders exist: with the lock held this
    # is safe; without it (the control test) the gap is where the race lives.
    stock.take(products, {p.pk: wanted[p.pk].quantity for p in products}, held=held)

    # Orders paid online are announced once their gateway payment exists
    # (orders.payments.services.gateway_payment_start): if the gateway is down the
    # checkout is called off, and the facility should not hear of it.
    order_ids = [o.pk for o in orders if o.payment_method != PaymentMethod.GATEWAY]
    if order_ids:
        transaction.on_commit(lambda: mail.queue_new_orders(order_ids))
    return orders
