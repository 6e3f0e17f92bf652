"""Placing a checkout: one Order per facility, all or none, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import pricing, stock
from catalog.models import Product
from core.money import format_rupiah
from facilities import provinces
from orders import mail, selectors, shipments, shipping
from orders.limits import line_amount_problem, order_amount_problem, quantity_problem
from orders.models import (
    Checkout,
    DeliveryMethod,
    Order,
    OrderEvent,
    OrderLine,
    PaymentMethod,
)
from orders.payments import provider_for
from orders.services.common import IDEMPOTENCY_KEY_RE, OrderError
from orders.states import (
    SHOPPER,
)
from regions import chain

# --- checkout -----------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str  # already normalised to +62
    email: str = ""


@dataclass(frozen=True)
class Address:
    # Names as the shopper picked them (the order keeps them as placed) ...
    province: str = ""
    city: str = ""
    district: str = ""
    postal_code: str = ""
    street: str = ""
    village: str = ""
    # ... and the official codes they were picked by (regions/chain.py).
    province_code: str = ""
    regency_code: str = ""
    district_code: str = ""
    village_code: str = ""


@dataclass(frozen=True)
class FacilityChoice:
    delivery_method: str
    payment_method: str
    note: str = ""
    # The courier service the shopper picked, "courier:service:price" as shown
    # (orders/shipment_rates.py); checked again against the rates here.
    courier_option: str = ""


@dataclass(frozen=True)
class PlaceLine:
    product_id: int
    quantity: int
    expected_price: int


@dataclass
class PlaceResult:
    checkout: Checkout
    created: bool
    orders: list[Order] = field(default_factory=list)


def order_place(
    *,
    idempotency_key: str,
    contact: Contact,
    lines: list[PlaceLine],
    choices: dict[int, FacilityChoice],
    address: Address | None = None,
    privacy_notice_version: str = "",
    terms_version: str | None = None,
) -> PlaceResult:
    """Place one checkout: one Order per facility, all or none, in one transaction.

    Stock rows are locked in product-id order (SELECT ... FOR UPDATE) before
    they are checked, so concurrent checkouts queue behind each other instead
    of overselling, and always take locks in the same order so they cannot
    deadlock. Made-to-order products take no stock. A key already used
    returns the checkout it made (`created` False) and changes nothing.

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
    try:
        with transaction.atomic():
            # First write of the transaction: a concurrent double submit with the
            # same key waits here on the unique index and then fails, before it
            # has locked or counted any stock.
            checkout = Checkout.objects.create(
                idempotency_key=idempotency_key, privacy_notice_version=privacy_notice_version
            )
            orders = _place_orders(checkout, contact, lines, choices, address or Address())
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


def _check_lines_shape(lines: list[PlaceLine]) -> None:
    if not lines:
        raise OrderError(_("Keranjang Anda kosong."))
    seen = set()
    for line in lines:
        problem = quantity_problem(line.quantity)
        if problem:
            raise OrderError(problem)
        if line.product_id in seen:
            raise OrderError(_("Formulir checkout tidak valid. Muat ulang halaman checkout."))
        seen.add(line.product_id)


def _place_orders(
    checkout: Checkout,
    contact: Contact,
    lines: list[PlaceLine],
    choices: dict[int, FacilityChoice],
    address: Address,
) -> list[Order]:
    wanted = {line.product_id: line for line in lines}
    # Locked in product-id order (catalog.stock), so concurrent placements
    # queue behind each other and can't deadlock.
    products = stock.lock_products(wanted, related=["facility"])
    # Tiers read after the lock: the price a line gets is the one checked here.
    pricing.with_tiers(products)
    prices = {p.pk: pricing.unit_price_for(p, wanted[p.pk].quantity) for p in products}

    problems: list[str] = []
    stale = False
    found = {p.pk for p in products}
    if found != set(wanted):
        raise OrderError(_("Ada produk yang tidak dikenal di keranjang."), stale_cart=True)
    for product in products:
        line = wanted[product.pk]
        if not product.is_public:
            problems.append(_("%(name)s tidak lagi dijual.") % {"name": product.name})
            stale = True
        elif prices[product.pk] != line.expected_price:
            problems.append(
                _("Harga %(name)s berubah menjadi %(price)s.")
                % {"name": product.name, "price": format_rupiah(prices[product.pk])}
            )
            stale = True
        elif line.quantity < product.min_order_quantity:
            problems.append(
                _("Minimal pembelian %(name)s adalah %(min)s.")
                % {"name": product.name, "min": product.min_order_quantity}
            )
        elif not product.made_to_order and line.quantity > product.stock:
            problems.append(
                _("Stok %(name)s tidak cukup (tersisa %(stock)s).")
                % {"name": product.name, "stock": product.stock}
            )
            stale = True
        elif problem := line_amount_problem(
            name=product.name, unit_price=prices[product.pk], quantity=line.quantity
        ):
            # The cart refuses this line before checkout; only a cart that
            # dodged it gets here, and the cart is where it is fixed.
            problems.append(problem)
            stale = True
    if problems:
        raise OrderError(*problems, stale_cart=stale)

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
                facility,
                choice,
                settings,
                rates_by_facility.get(facility_id, []),
                address,
                weight=weight,
                value=sum(p.price * wanted[p.pk].quantity for p in facility_products),
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
        subtotal = sum(prices[p.pk] * wanted[p.pk].quantity for p in facility_products)
        # Checked before any row is written with it: the money columns hold
        # whatever passes (core.money), never a 500 for what does not.
        problem = order_amount_problem(facility_name=facility.name, total=subtotal + fee)
        if problem:
            raise OrderError(problem)
        delivered = choice.delivery_method != DeliveryMethod.PICKUP
        order = Order.objects.create(
            checkout=checkout,
            facility=facility,
            status=provider.initial_status(),
            contact_name=contact.name,
            contact_phone=contact.phone,
            contact_email=contact.email,
            delivery_method=choice.delivery_method,
            payment_method=choice.payment_method,
            note=choice.note,
            subtotal=subtotal,
            shipping_fee=fee,
            total=subtotal + fee,
            total_weight_grams=weight,
            payment_deadline=provider.payment_deadline(settings, now),
            **(_address_fields(address) if delivered else {}),
        )
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                product=p,
                product_name=p.name,
                unit_price=prices[p.pk],
                quantity=wanted[p.pk].quantity,
                line_total=prices[p.pk] * wanted[p.pk].quantity,
                weight_grams=p.weight_grams,
                made_to_order=p.made_to_order,
                lead_time_days=p.lead_time_days,
            )
            for p in facility_products
        )
        if courier_option is not None:
            shipments.shipment_create_for(order=order, option=courier_option)
        OrderEvent.objects.create(
            order=order,
            actor_label=SHOPPER,
            from_status="",
            to_status=order.status,
            note=_("Pesanan dibuat."),
        )
        orders.append(order)

    # Stock is written last, after the orders exist: with the lock held this
    # is safe; without it (the control test) the gap is where the race lives.
    stock.take(products, {p.pk: wanted[p.pk].quantity for p in products})

    # Orders paid online are announced once their gateway payment exists
    # (orders.gateway_services.gateway_payment_start): if the gateway is down the
    # checkout is called off, and the facility should not hear of it.
    order_ids = [o.pk for o in orders if o.payment_method != PaymentMethod.GATEWAY]
    if order_ids:
        transaction.on_commit(lambda: mail.queue_new_orders(order_ids))
    return orders


def _courier_option(facility, choice, settings, rates, address, *, weight: int, value: int):
    """The courier service chosen, priced again now (cached aggregator rate or
    the facility's table): the price the shopper saw stands only if it matches."""
    answer = shipments.courier_answer(
        facility,
        settings,
        rates,
        province=address.province_code,
        postal_code=address.postal_code,
        weight_grams=weight,
        value=value,
        village_code=address.village_code,
    )
    try:
        return shipments.verified_option(answer, choice.courier_option, facility_name=facility.name)
    except ValueError as error:
        raise OrderError(str(error)) from None


def _address_fields(address: Address) -> dict:
    return {
        "province": address.province,
        "city": address.city,
        "district": address.district,
        "village": address.village,
        "postal_code": address.postal_code,
        "street": address.street,
        "region_province_code": address.province_code,
        "region_regency_code": address.regency_code,
        "region_district_code": address.district_code,
        "region_village_code": address.village_code,
    }


def address_checked(address: Address) -> Address:
    """The delivery address again from the region data (regions/chain.py):
    codes that exist and chain, the village's postal code, and the names as
    the data spells them (never as a form posted them). Raises OrderError.
    Placement and the shopper's privacy correction both store what this returns."""
    missing = [
        name
        for name, value in (
            (_("provinsi"), address.province_code),
            (_("kota/kabupaten"), address.regency_code),
            (_("kecamatan"), address.district_code),
            (_("kelurahan/desa"), address.village_code),
            (_("kode pos"), address.postal_code),
            (_("alamat jalan"), address.street),
        )
        if not value
    ]
    if missing:
        raise OrderError(_("Alamat pengiriman belum lengkap: %(f)s.") % {"f": ", ".join(missing)})
    try:
        village = chain.village_check(
            province=address.province_code,
            regency=address.regency_code,
            district=address.district_code,
            village=address.village_code,
            postal_code=address.postal_code,
        )
    except ValueError as error:
        raise OrderError(str(error)) from None
    district = village.district
    return replace(
        address,
        province=provinces.name_for_code(address.province_code) or district.regency.province.name,
        city=district.regency.name,
        district=district.name,
        village=village.name,
    )


def _check_choice(facility, products, choice: FacilityChoice, settings, address: Address) -> None:
    method = choice.delivery_method
    if method not in shipping.enabled_methods(settings):
        raise OrderError(
            _("%(facility)s tidak melayani cara pengiriman ini.") % {"facility": facility.name}
        )
    if method not in shipping.offered_methods(settings, products):
        # Enabled but not offered: only the courier for goods that may not travel.
        raise OrderError(
            _(
                "%(names)s tidak bisa dikirim lewat kurir; pilih ambil di showroom atau antar "
                "dalam kota."
            )
            % {"names": ", ".join(shipping.local_only_names(products))}
        )
    if method == DeliveryMethod.LOCAL and not shipping.local_delivery_reaches(
        facility,
        province_code=address.province_code,
        regency_code=address.regency_code,
        city=address.city,
    ):
        raise OrderError(
            shipping.LOCAL_AREA_MESSAGE % {"city": facility.city, "province": facility.province}
        )
    try:
        provider = provider_for(choice.payment_method)
    except KeyError:
        raise OrderError(_("Cara pembayaran tidak dikenal.")) from None
    if not provider.is_available(settings, method):
        raise OrderError(
            _("%(facility)s tidak menerima cara pembayaran ini untuk pengiriman yang dipilih.")
            % {"facility": facility.name}
        )
