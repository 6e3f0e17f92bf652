"""Every way an order changes: placing a checkout, each status step, receipts.

Each service runs in its own transaction, writes an OrderEvent, and queues
mail with transaction.on_commit. Status moves are checked against the one
table in orders.states.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import pricing, stock
from catalog.models import Product
from core.money import format_rupiah
from facilities.scoping import scope_for
from orders import mail, receipts, selectors, shipments, shipping
from orders.limits import line_amount_problem, order_amount_problem, quantity_problem
from orders.models import (
    Checkout,
    DeliveryMethod,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    PaymentMethod,
    PaymentProof,
    StatementImport,
    StatementLine,
)
from orders.payments import provider_for
from orders.statements import READER_OUTCOMES, CreditLine, order_code_candidates
from orders.states import (
    RELEASING,
    SHOPPER,
    STAFF,
    SYSTEM,
    can_transition,
    shopper_may_cancel,
    takes_receipt,
)

MAX_PROOFS_PER_ORDER = 5
# The one shape of a checkout's idempotency key (the page issues uuid4 hex):
# the form drops anything else, so a tampered value never reaches a query.
IDEMPOTENCY_KEY_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")


class OrderError(Exception):
    """A refused order action; `messages` are ready to show (Indonesian)."""

    def __init__(self, *messages: str, stale_cart: bool = False):
        super().__init__(" ".join(str(m) for m in messages))
        self.messages = [str(m) for m in messages]
        # True when the cart no longer matches the catalog (price, stock,
        # withdrawn product): the shopper should look at the cart again.
        self.stale_cart = stale_cart


# --- checkout -----------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str  # already normalised to +62
    email: str = ""


@dataclass(frozen=True)
class Address:
    province: str = ""
    city: str = ""
    district: str = ""
    postal_code: str = ""
    street: str = ""


@dataclass(frozen=True)
class FacilityChoice:
    delivery_method: str
    payment_method: str
    note: str = ""
    # The courier service the shopper picked, "courier:service:price" as shown
    # (orders/shipments.py); checked again against the rates here.
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
                province=address.province,
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
        province=address.province,
        postal_code=address.postal_code,
        weight_grams=weight,
        value=value,
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
        "postal_code": address.postal_code,
        "street": address.street,
    }


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
    if method != DeliveryMethod.PICKUP:
        missing = [
            name
            for name, value in (
                (_("provinsi"), address.province),
                (_("kota/kabupaten"), address.city),
                (_("kecamatan"), address.district),
                (_("kode pos"), address.postal_code),
                (_("alamat jalan"), address.street),
            )
            if not value
        ]
        if missing:
            raise OrderError(
                _("Alamat pengiriman belum lengkap: %(f)s.") % {"f": ", ".join(missing)}
            )
        if address.province not in shipping.PROVINCES:
            raise OrderError(_("Provinsi tujuan tidak dikenal."))
    if method == DeliveryMethod.LOCAL and not shipping.local_delivery_reaches(
        facility, province=address.province, city=address.city
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


# --- status steps ---------------------------------------------------------------


def _ensure_may_act(actor, order: Order) -> None:
    """Staff act only on their own facility's orders; head office on any;
    reviewers watch and never act."""
    if not scope_for(actor).may_act_for(order.facility_id):
        raise OrderError(_("Anda tidak berwenang mengubah pesanan ini."))


def _move(
    order: Order,
    *,
    to: str,
    role: str,
    actor=None,
    note: str = "",
    guard: Callable[[Order], None] | None = None,
    updates: dict | None = None,
    notify: bool = True,
) -> Order:
    """Lock the order, check the move against the table, apply it, record it."""
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if role == STAFF:
            _ensure_may_act(actor, locked)
        if not can_transition(locked.status, to, role):
            raise OrderError(
                _("Pesanan %(code)s berstatus %(status)s dan tidak bisa diubah menjadi %(to)s.")
                % {
                    "code": locked.code,
                    "status": locked.get_status_display(),
                    "to": OrderStatus(to).label,
                }
            )
        if guard is not None:
            guard(locked)
        from_status = locked.status
        locked.status = to
        fields = ["status", "updated_at"]
        for name, value in (updates or {}).items():
            setattr(locked, name, value)
            fields.append(name)
        locked.save(update_fields=fields)
        event = OrderEvent.objects.create(
            order=locked,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_label=role,
            from_status=from_status,
            to_status=to,
            note=note,
        )
        if to in RELEASING:
            _release_stock(locked)
            if locked.payment_method == PaymentMethod.GATEWAY:
                # No order left to pay for: close the charge at the gateway so
                # the shopper cannot pay for nothing (a payment racing this is
                # refunded by the notification's rule).
                from orders.gateway_services import gateway_charge_close_if_unused

                gateway_charge_close_if_unused(checkout_id=locked.checkout_id)
        if notify:
            transaction.on_commit(lambda: mail.queue_status_changed(event.pk))
    # Keep the caller's instance current.
    order.status = locked.status
    for name, value in (updates or {}).items():
        setattr(order, name, value)
    return order


def _release_stock(order: Order) -> bool:
    """Give the order's stock back, once: the flag flips in a conditional UPDATE,
    so a second call (or a concurrent one) finds nothing to flip and returns False."""
    flipped = Order.objects.filter(pk=order.pk, stock_released=False).update(stock_released=True)
    if not flipped:
        return False
    returned: dict[int, int] = {}
    for product_id, quantity in order.lines.filter(made_to_order=False).values_list(
        "product_id", "quantity"
    ):
        returned[product_id] = returned.get(product_id, 0) + quantity
    stock.give_back(returned)
    order.stock_released = True
    return True


def order_confirm_payment(
    *, order: Order, actor, note: str = "", by_gateway: bool = False
) -> Order:
    """Staff saw the transfer: awaiting_payment -> paid; a pending receipt is accepted.

    `by_gateway`: the payment gateway's verified notification confirms it
    (role SYSTEM, no staff actor); the same move, event and mail.

    Raises OrderError when the move is not allowed or the actor is out of scope.
    """
    with transaction.atomic():
        order = _move(
            order,
            to=OrderStatus.PAID,
            role=SYSTEM if by_gateway else STAFF,
            actor=None if by_gateway else actor,
            note=note or _("Pembayaran dikonfirmasi."),
        )
        PaymentProof.objects.filter(order=order, status=PaymentProof.Status.PENDING).update(
            status=PaymentProof.Status.ACCEPTED, reviewed_by=actor, reviewed_at=timezone.now()
        )
    return order


def order_reject_payment(*, order: Order, actor, reason: str) -> Order:
    """Staff reject the pending receipt with a reason; the order keeps waiting for
    payment and the shopper may upload another. Records an event, mails the shopper.

    Raises OrderError without a reason, without a pending receipt, or out of scope.
    """
    reason = (reason or "").strip()
    if not reason:
        raise OrderError(_("Tuliskan alasan penolakan bukti transfer."))
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        _ensure_may_act(actor, locked)
        if locked.status != OrderStatus.AWAITING_PAYMENT:
            raise OrderError(
                _("Pesanan %(code)s tidak sedang menunggu pembayaran.") % {"code": locked.code}
            )
        rejected = PaymentProof.objects.filter(
            order=locked, status=PaymentProof.Status.PENDING
        ).update(
            status=PaymentProof.Status.REJECTED,
            reviewed_by=actor,
            reviewed_at=timezone.now(),
            rejection_reason=reason[:300],
        )
        if not rejected:
            raise OrderError(
                _("Pesanan %(code)s tidak punya bukti transfer yang menunggu diperiksa.")
                % {"code": locked.code}
            )
        event = OrderEvent.objects.create(
            order=locked,
            actor=actor,
            actor_label=STAFF,
            from_status=locked.status,
            to_status=locked.status,
            note=_("Bukti transfer ditolak: %(reason)s") % {"reason": reason},
        )
        transaction.on_commit(lambda: mail.queue_status_changed(event.pk))
    return locked


def order_start_processing(*, order: Order, actor, note: str = "") -> Order:
    """paid -> processing: the facility starts packing or making the order.

    Raises OrderError when not allowed."""
    return _move(
        order,
        to=OrderStatus.PROCESSING,
        role=STAFF,
        actor=actor,
        note=note or _("Pesanan sedang diproses."),
    )


def order_ship(*, order: Order, actor, courier: str, tracking_number: str) -> Order:
    """processing -> shipped for delivery orders; courier orders need the courier
    and tracking number.

    Raises OrderError for pickup orders, missing courier data, or a refused move."""
    courier = (courier or "").strip()[:60]
    tracking_number = (tracking_number or "").strip()[:60]

    def guard(locked: Order) -> None:
        if locked.delivery_method == DeliveryMethod.PICKUP:
            raise OrderError(_("Pesanan ambil di showroom tidak dikirim; tandai siap diambil."))
        if locked.delivery_method == DeliveryMethod.COURIER and not (courier and tracking_number):
            raise OrderError(_("Isi nama kurir dan nomor resi."))

    note = (
        _("Dikirim lewat %(courier)s, resi %(number)s.")
        % {"courier": courier, "number": tracking_number}
        if courier
        else _("Diantar oleh petugas UPT.")
    )
    return _move(
        order,
        to=OrderStatus.SHIPPED,
        role=STAFF,
        actor=actor,
        note=note,
        guard=guard,
        updates={"courier": courier, "tracking_number": tracking_number},
    )


def order_process_and_ship(*, order: Order, actor, courier: str, tracking_number: str) -> Order:
    """paid -> processing -> shipped in one step, for the parcel packed and handed
    to the courier at once; both moves are recorded. One transaction: a refused
    ship (missing resi, a pickup order) leaves the order paid.

    Raises OrderError as order_start_processing and order_ship do."""
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status == OrderStatus.PAID:
            order_start_processing(order=locked, actor=actor)
        return order_ship(
            order=locked, actor=actor, courier=courier, tracking_number=tracking_number
        )


def order_ready_for_pickup(*, order: Order, actor, note: str = "") -> Order:
    """processing -> ready_for_pickup for pickup orders.

    Raises OrderError for delivery orders or a refused move."""

    def guard(locked: Order) -> None:
        if locked.delivery_method != DeliveryMethod.PICKUP:
            raise OrderError(_("Hanya pesanan ambil di showroom yang bisa ditandai siap diambil."))

    return _move(
        order,
        to=OrderStatus.READY_FOR_PICKUP,
        role=STAFF,
        actor=actor,
        note=note or _("Pesanan siap diambil di showroom."),
        guard=guard,
    )


def order_complete(*, order: Order, actor, note: str = "") -> Order:
    """shipped | ready_for_pickup -> completed. Raises OrderError when not allowed."""
    return _move(
        order,
        to=OrderStatus.COMPLETED,
        role=STAFF,
        actor=actor,
        note=note or _("Pesanan selesai."),
    )


def order_complete_delivered(*, order: Order) -> Order:
    """shipped -> completed because the courier reports the parcel delivered."""
    return _move(
        order,
        to=OrderStatus.COMPLETED,
        role=SYSTEM,
        note=_("Paket diterima pembeli (kabar dari kurir); pesanan selesai."),
    )


def order_cancel(*, order: Order, actor=None, reason: str = "", by_shopper: bool = False) -> Order:
    """Cancel and give the stock back (once).

    The shopper may cancel before paying: a transfer order still awaiting
    payment, or a pay-at-pickup order not yet handed over. Staff may cancel
    any open order but must say why. Raises OrderError otherwise.
    """
    reason = (reason or "").strip()[:300]
    if by_shopper:

        def guard(locked: Order) -> None:
            if not shopper_may_cancel(locked.status, locked.payment_method):
                raise OrderError(
                    _("Pesanan yang sudah dibayar hanya bisa dibatalkan oleh UPT; hubungi UPT.")
                )

        return _move(
            order,
            to=OrderStatus.CANCELLED,
            role=SHOPPER,
            note=reason or _("Dibatalkan oleh pembeli."),
            guard=guard,
            updates={"cancel_reason": reason or _("Dibatalkan oleh pembeli.")},
        )
    if not reason:
        raise OrderError(_("Tuliskan alasan pembatalan."))
    with transaction.atomic():
        order = _move(
            order,
            to=OrderStatus.CANCELLED,
            role=STAFF,
            actor=actor,
            note=reason,
            updates={"cancel_reason": reason},
        )
        if order.payment_method == PaymentMethod.GATEWAY:
            # Paid online: the money goes back through the gateway (recorded,
            # sent by a task after commit). Unpaid: nothing to give back.
            from orders.gateway_services import gateway_refund_for_cancelled

            gateway_refund_for_cancelled(order=order, reason=reason)
    return order


def order_close_unpaid(*, order: Order, gateway_status: str) -> Order:
    """The gateway reports the order's payment over without money (expired,
    cancelled, denied): awaiting_payment -> expired, or cancelled with the
    gateway's word as the reason; the stock goes back once.

    Raises OrderError when the order is no longer awaiting payment."""
    if gateway_status == "expire":
        return _move(
            order, to=OrderStatus.EXPIRED, role=SYSTEM, note=_("Pembayaran online kedaluwarsa.")
        )
    reason = _("Pembayaran online gagal (%(status)s).") % {"status": gateway_status}
    return _move(
        order,
        to=OrderStatus.CANCELLED,
        role=SYSTEM,
        note=reason,
        updates={"cancel_reason": reason},
    )


def order_call_off(*, order: Order, reason: str) -> Order:
    """Undo a just-placed order that never reached the shopper (the gateway was
    down at checkout): cancelled, stock back, no mail. Raises OrderError when
    it already moved on."""
    return _move(
        order,
        to=OrderStatus.CANCELLED,
        role=SYSTEM,
        note=reason,
        updates={"cancel_reason": reason},
        notify=False,
    )


def order_expire(*, order: Order, now=None) -> Order:
    """awaiting_payment -> expired once the deadline has passed; gives stock back.

    Raises OrderError when not yet due or no longer awaiting payment."""
    now = now or timezone.now()

    def guard(locked: Order) -> None:
        if locked.payment_deadline is None or locked.payment_deadline > now:
            raise OrderError(
                _("Batas waktu bayar pesanan %(code)s belum lewat.") % {"code": locked.code}
            )

    return _move(
        order,
        to=OrderStatus.EXPIRED,
        role=SYSTEM,
        note=_("Tidak dibayar sampai batas waktu."),
        guard=guard,
    )


def order_expire_due(*, now=None) -> int:
    """Expire every unpaid order past its deadline; returns how many. Safe to run
    concurrently and repeatedly: each order is locked and re-checked on its own."""
    now = now or timezone.now()
    expired = 0
    for order in selectors.orders_due_to_expire(now):
        try:
            order_expire(order=order, now=now)
        except OrderError:
            continue  # paid or cancelled meanwhile
        expired += 1
    return expired


# --- receipts -------------------------------------------------------------------


def _check_takes_receipt(order: Order) -> None:
    """Raise OrderError unless `order` (as read) takes one more receipt now."""
    if not takes_receipt(order.status, order.payment_method):
        raise OrderError(_("Pesanan ini tidak sedang menunggu bukti transfer."))
    if PaymentProof.objects.filter(order_id=order.pk).count() >= MAX_PROOFS_PER_ORDER:
        raise OrderError(
            _("Sudah %(n)s bukti diunggah; hubungi UPT lewat WhatsApp.")
            % {"n": MAX_PROOFS_PER_ORDER}
        )


def payment_proof_submit(*, order: Order, upload: UploadedFile) -> PaymentProof:
    """The shopper uploads a transfer receipt: checked, re-encoded (images) or
    magic-checked (PDF), stored, recorded, and the facility is mailed.

    Raises OrderError when the order takes no receipt now, or when the file is
    refused (the message says why)."""
    # Cheap first: an order that takes no receipt (paid, closed, or at its
    # count) refuses the file before a byte of it is decoded; decoding is what
    # an attacker would make the server pay for. Checked again under the lock,
    # since parallel uploads all pass this read.
    _check_takes_receipt(Order.objects.only("status", "payment_method").get(pk=order.pk))
    try:
        cleaned = receipts.clean_receipt(upload)
    except ValidationError as error:
        raise OrderError(*error.messages) from None
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        _check_takes_receipt(locked)
        proof = PaymentProof(order=locked, content_type=cleaned.content_type)
        proof.file.save(cleaned.name, cleaned.content, save=False)
        proof.save()
        OrderEvent.objects.create(
            order=locked,
            actor_label=SHOPPER,
            from_status=locked.status,
            to_status=locked.status,
            note=_("Bukti transfer diunggah."),
        )
        transaction.on_commit(lambda: mail.queue_receipt_uploaded(proof.pk))
    return proof


def statement_import(
    *, facility, actor, lines: list[CreditLine], file_name: str, layout: str
) -> StatementImport:
    """Record a bank statement's credit lines for `facility` and confirm the
    payments they prove.

    A line whose description holds exactly one code of an order of this
    facility, for exactly that order's total, confirms the payment through
    order_confirm_payment (the same service as a manual confirmation, so the
    same scope check, event and mail), unless the reader already held the
    line for a person (orders.statements.READER_OUTCOMES). Other lines are
    kept with their outcome for a person to decide. A line already imported
    for this facility (same hash) is skipped, so importing an export twice
    confirms nothing twice.
    Codes of other facilities' orders are never looked up.

    Raises OrderError when `actor` may not confirm payments of `facility`.
    """
    if not scope_for(actor).may_act_for(facility.pk):
        raise OrderError(_("Anda tidak berwenang mengimpor mutasi rekening UPT ini."))
    with transaction.atomic():
        statement = StatementImport.objects.create(
            facility=facility,
            uploaded_by=actor,
            file_name=file_name[:200],
            layout=layout,
            credit_lines=len(lines),
        )
        # ON CONFLICT DO NOTHING: a line imported before (or by a concurrent
        # import of the same file, which waits on the unique index) is skipped.
        StatementLine.objects.bulk_create(
            [
                StatementLine(
                    statement=statement,
                    facility=facility,
                    line_hash=line.line_hash,
                    booked_on=line.booked_on,
                    date_text=line.date_text[:40],
                    description=line.description[:500],
                    amount=line.amount,
                    outcome=line.problem or StatementLine.Outcome.NO_MATCH,
                )
                for line in lines
            ],
            ignore_conflicts=True,
        )
        new_lines = list(StatementLine.objects.filter(statement=statement).order_by("id"))
        candidates = {line.pk: order_code_candidates(line.description) for line in new_lines}
        all_codes = set().union(*candidates.values()) if candidates else set()
        orders = {
            order.code: order
            for order in Order.objects.filter(facility=facility, code__in=all_codes)
        }
        confirmed = 0
        for line in new_lines:
            matched = [orders[code] for code in candidates[line.pk] if code in orders]
            if not matched:
                continue
            if line.outcome in READER_OUTCOMES:
                # The reader's verdict stands: the line may point a person to
                # its order but never confirms it (a negative credit, a date
                # no calendar has, a transfer the bank has not booked).
                if len(matched) == 1:
                    line.order = matched[0]
            elif len(matched) > 1:
                line.outcome = StatementLine.Outcome.AMBIGUOUS
            else:
                line.order = order = matched[0]
                if line.amount <= 0:
                    # The reader holds these already; lines built by any other
                    # caller get the same answer: money out never pays.
                    line.outcome = StatementLine.Outcome.NOT_CREDIT
                elif line.amount != order.total:
                    line.outcome = StatementLine.Outcome.AMOUNT_MISMATCH
                elif order.status != OrderStatus.AWAITING_PAYMENT:
                    line.outcome = StatementLine.Outcome.NOT_AWAITING
                else:
                    try:
                        order_confirm_payment(
                            order=order,
                            actor=actor,
                            note=_("Dikonfirmasi dari mutasi rekening %(date)s: %(text)s")
                            % {"date": line.booked_on or "", "text": line.description[:120]},
                        )
                    except OrderError:
                        # Changed since it was read (e.g. expired meanwhile).
                        line.outcome = StatementLine.Outcome.NOT_AWAITING
                    else:
                        line.outcome = StatementLine.Outcome.CONFIRMED
                        confirmed += 1
            line.save(update_fields=["order", "outcome"])
        statement.new_lines = len(new_lines)
        statement.confirmed = confirmed
        statement.save(update_fields=["new_lines", "confirmed"])
    return statement


def statement_line_resolve(*, line: StatementLine, actor) -> StatementLine:
    """A person has dealt with a line the matcher could not (e.g. confirmed the
    order by hand after checking the amount): mark it handled.

    Raises OrderError when `actor` is out of the line's facility scope.
    """
    if not scope_for(actor).may_act_for(line.facility_id):
        raise OrderError(_("Anda tidak berwenang mengubah baris mutasi ini."))
    with transaction.atomic():
        StatementLine.objects.filter(pk=line.pk, resolved_at__isnull=True).update(
            resolved_by=actor, resolved_at=timezone.now()
        )
    line.refresh_from_db()
    return line
