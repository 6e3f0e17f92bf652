"""A checkout submitted: place the orders, ask the gateway for the charge when
some are paid online, call them off when it surely made none, and give the
shopper's rate-limit count back whenever nothing was placed after all.

The page (orders/views.py) only counts the submit before calling this and
renders what it answers; the order of the steps is this module's. It is not
re-exported from orders.services: it calls orders.payments.services, which
itself builds on orders.services (no import cycle either way).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy

from orders.models import PaymentMethod
from orders.payments import selectors as payment_selectors
from orders.payments import services as gateway_services
from orders.services.checkout import order_place
from orders.services.checkout_input import PlaceResult
from orders.services.common import OrderError

GATEWAY_DOWN = gettext_lazy(
    "Pembayaran online sedang tidak bisa dibuat. Keranjang Anda masih utuh: pilih Transfer "
    "bank lalu buat pesanan lagi, atau coba lagi sebentar lagi."
)


@dataclass
class Submitted:
    """What became of a submit: `result` when orders stand (new, or the ones
    a first submit with the same key made), else the messages to show.
    `stale_cart`: the cart no longer matches the catalog (show the cart);
    `gateway_down`: orders were placed and called off (a new key is needed)."""

    result: PlaceResult | None = None
    errors: list[str] = field(default_factory=list)
    stale_cart: bool = False
    gateway_down: bool = False

    @property
    def placed(self) -> bool:
        return self.result is not None


def _pays_online(result: PlaceResult) -> bool:
    return any(o.payment_method == PaymentMethod.GATEWAY for o in result.orders)


def checkout_place(*, gateway_channel: str, **place) -> PlaceResult:
    """order_place, and in the same transaction the gateway payment's intent
    when an order is paid online (the charge itself is asked for after commit,
    by gateway_payment_start). Raises what order_place raises. Here, above
    both, so the payments room never imports the checkout."""
    with transaction.atomic():
        result = order_place(**place)
        if result.created and _pays_online(result):
            gateway_services.gateway_payment_intend(
                checkout=result.checkout, channel=gateway_channel
            )
    return result


def checkout_submit(*, gateway_channel: str, give_back: Callable[[], None], **place) -> Submitted:
    """Place a checkout (`place`: order_place's arguments) and start its online
    payment. `give_back` returns the submit's rate-limit count, called once
    when nothing new was placed: refused, a double submit (counted by its
    first), or called off because the gateway made no charge."""
    try:
        # The orders and, for those paid online, the payment's intent (its own
        # reference) in one transaction; the charge after, outside it.
        result = checkout_place(gateway_channel=gateway_channel, **place)
    except OrderError as error:
        give_back()
        return Submitted(errors=error.messages, stale_cart=error.stale_cart)
    if not result.created:
        give_back()
        return Submitted(result=result)
    if _pays_online(result):
        payment = payment_selectors.gateway_payment_for_checkout(result.checkout.code)
        try:
            gateway_services.gateway_payment_start(payment=payment, close_on_refusal=False)
        except gateway_services.GatewayUnavailable:
            # Nothing was bought: payment failed and orders called off (stock
            # back) in one transaction, cart kept.
            gateway_services.gateway_checkout_refused(payment=payment, orders=result.orders)
            give_back()
            return Submitted(errors=[str(GATEWAY_DOWN)], gateway_down=True)
    return Submitted(result=result)
