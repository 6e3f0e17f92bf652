"""The order status machine: every allowed move, and who may make it, in one table.

Anything not listed is refused by orders.services with a clear message.
"""

from orders.models import DeliveryMethod, PaymentMethod
from orders.models import OrderStatus as S

SHOPPER = "shopper"
STAFF = "staff"
SYSTEM = "system"

# (from, to) -> who may make the move.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    # SYSTEM: the payment gateway's verified notification.
    (S.AWAITING_PAYMENT, S.PAID): frozenset({STAFF, SYSTEM}),
    # SYSTEM: the gateway could not create the payment at checkout.
    (S.AWAITING_PAYMENT, S.CANCELLED): frozenset({SHOPPER, STAFF, SYSTEM}),
    (S.AWAITING_PAYMENT, S.EXPIRED): frozenset({SYSTEM}),
    (S.PAID, S.PROCESSING): frozenset({STAFF}),
    (S.PAID, S.CANCELLED): frozenset({STAFF}),
    # Pay-at-pickup orders start here; before they are handed over the shopper
    # has paid nothing, so they may still cancel (checked in order_cancel).
    (S.PROCESSING, S.SHIPPED): frozenset({STAFF}),
    (S.PROCESSING, S.READY_FOR_PICKUP): frozenset({STAFF}),
    (S.PROCESSING, S.CANCELLED): frozenset({SHOPPER, STAFF}),
    # SYSTEM: the courier reports the parcel delivered (orders/delivery/tracking.py).
    (S.SHIPPED, S.COMPLETED): frozenset({STAFF, SYSTEM}),
    (S.READY_FOR_PICKUP, S.COMPLETED): frozenset({STAFF}),
    (S.READY_FOR_PICKUP, S.CANCELLED): frozenset({SHOPPER, STAFF}),
}

# Pay after delivery (institutional buyers on terms, the quotes app): such an
# order is made and delivered before it is paid. It starts in PROCESSING
# (TERMS_START), goes PROCESSING -> SHIPPED -> COMPLETED through the moves
# above, and on completion gets its due date (delivery + N days). Its payment
# is not a status move: staff confirm it on the completed (or shipped) order,
# which sets Order.paid_at; until then it is a receivable (is_receivable).
TERMS_START = S.PROCESSING
PAY_BEFORE_START = S.AWAITING_PAYMENT
# A terms order is owed (a receivable) once the goods are on their way; its
# payment may be confirmed from the start (a buyer may pay early).
RECEIVABLE = frozenset({S.SHIPPED, S.COMPLETED})
TERMS_PAYABLE = frozenset({S.PROCESSING, S.SHIPPED, S.COMPLETED})

# Orders that count as sales (the sales report, the proceeds ledger, the
# impact page): paid, or on their way without payment up front. Awaiting
# payment is not yet a sale; cancelled and expired orders never are.
SALE_STATUSES = (S.PAID, S.PROCESSING, S.SHIPPED, S.READY_FOR_PICKUP, S.COMPLETED)

# Ends that put the stock back.
RELEASING = frozenset({S.CANCELLED, S.EXPIRED})
FINAL = frozenset({S.COMPLETED, S.CANCELLED, S.EXPIRED})


def can_transition(from_status: str, to_status: str, role: str) -> bool:
    return role in TRANSITIONS.get((from_status, to_status), frozenset())


def next_statuses(from_status: str, role: str) -> list[str]:
    return [to for (frm, to), roles in TRANSITIONS.items() if frm == from_status and role in roles]


def takes_receipt(status: str, payment_method: str) -> bool:
    """Whether the shopper may upload a transfer receipt for an order now."""
    return status == S.AWAITING_PAYMENT and payment_method == PaymentMethod.BANK_TRANSFER


def shopper_may_cancel(status: str, payment_method: str) -> bool:
    """Whether the shopper may cancel from the tracking page: before paying —
    a transfer or online order still awaiting payment, or a pay-at-pickup
    order not yet handed over. Paid orders are cancelled by the facility."""
    return can_transition(status, S.CANCELLED, SHOPPER) and (
        status == S.AWAITING_PAYMENT or payment_method == PaymentMethod.PAY_AT_PICKUP
    )


def shows_payment_instructions(status: str, payment_method: str) -> bool:
    """Whether the tracking page still tells the shopper how to pay."""
    if status == S.AWAITING_PAYMENT:
        return True
    return payment_method == PaymentMethod.PAY_AT_PICKUP and status not in FINAL


def start_status_for_terms(payment_terms_days: int | None) -> str:
    """Where an agreed (quoted) order starts: pay-before ones wait for the
    money as any transfer order does; pay-after-delivery ones are made first."""
    return PAY_BEFORE_START if payment_terms_days is None else TERMS_START


def is_receivable(status: str, payment_terms_days: int | None, paid_at) -> bool:
    """An order on pay-after-delivery terms, shipped or delivered, whose money
    has not been confirmed: the facility is owed it."""
    return payment_terms_days is not None and paid_at is None and status in RECEIVABLE


def takes_terms_payment(status: str, payment_terms_days: int | None, paid_at) -> bool:
    """Whether staff may confirm the payment of an order on terms now (the
    status stays; Order.paid_at is set)."""
    return payment_terms_days is not None and paid_at is None and status in TERMS_PAYABLE


def due_on_completion(payment_terms_days: int | None, paid_at) -> bool:
    """Whether completing the order starts its payment clock (delivery + N days)."""
    return payment_terms_days is not None and paid_at is None


# The tracking page's stepper (issue 30): five steps a shopper knows from the
# big marketplaces. A step is reached when the order's status is at or past
# it; "dibayar" by the payment itself (paid_at), since a pay-at-pickup or
# terms order is packed and handed over before it is paid.
PACKED_OR_LATER = frozenset({S.PROCESSING, S.SHIPPED, S.READY_FOR_PICKUP, S.COMPLETED})
SENT_OR_LATER = frozenset({S.SHIPPED, S.READY_FOR_PICKUP, S.COMPLETED})


def progress_steps(order) -> list[tuple[str, bool]]:
    """(label, reached) for dibuat, dibayar, dikemas, dikirim (or siap diambil), diterima."""
    from django.utils.translation import pgettext

    def _(label):
        return pgettext("order step", label)

    status = order.status
    if order.payment_terms_days or order.payment_method == PaymentMethod.PAY_AT_PICKUP:
        # Paid on terms (paid_at) or at the counter, when the order is completed.
        paid = bool(order.paid_at) or (
            order.payment_method == PaymentMethod.PAY_AT_PICKUP and status == S.COMPLETED
        )
    else:
        paid = status == S.PAID or status in PACKED_OR_LATER
    pickup = order.delivery_method == DeliveryMethod.PICKUP
    return [
        (_("Dibuat"), True),
        (_("Dibayar"), paid),
        (_("Dikemas"), status in PACKED_OR_LATER),
        (_("Siap diambil") if pickup else _("Dikirim"), status in SENT_OR_LATER),
        (_("Diterima"), status == S.COMPLETED),
    ]
