"""When an order is late: the one rule.

Read by the officer's to-do list and inbox (orders.selectors, orders.inbox),
the facility dashboard's overdue orders and the Kanwil's stuck counts
(oversight.selectors), so "terlambat" means the same on every page.

An order is late when
- it is awaiting payment past its payment deadline, or its transfer receipt
  has waited to be checked longer than LATE_AFTER allows; or
- it has sat in its status longer than LATE_AFTER allows since it got there
  (its last status change) — except that a made-to-order piece in
  processing is not late before the date promised to the shopper
  (promised_by: placed + its longest lead time).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import (
    Case,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from orders.models import DeliveryMethod, OrderEvent, OrderLine, OrderStatus, PaymentProof

# How long an order may sit in each status, from when it got there.
LATE_AFTER = {
    OrderStatus.AWAITING_PAYMENT: timedelta(days=1),  # a receipt waiting to be checked
    OrderStatus.PAID: timedelta(days=2),  # to pack
    OrderStatus.PROCESSING: timedelta(days=2),  # to ship or to make ready for pickup
    OrderStatus.READY_FOR_PICKUP: timedelta(days=7),  # waiting at the showroom
    OrderStatus.SHIPPED: timedelta(days=14),  # with the courier, not yet received
}
# Ready-stock orders have no lead time of their own; this is what staff promise.
READY_STOCK_DISPATCH_DAYS = 2


def step_filters() -> dict[str, Q]:
    """Which orders wait at each step of the officer's to-do list and inbox,
    among rows annotated by annotate_lateness."""
    pickup = Q(delivery_method=DeliveryMethod.PICKUP)
    return {
        "receipts": Q(status=OrderStatus.AWAITING_PAYMENT, has_pending_proof=True),
        "to_pack": Q(status=OrderStatus.PAID),
        "to_ship": Q(status=OrderStatus.PROCESSING) & ~pickup,
        "pickups": Q(status=OrderStatus.READY_FOR_PICKUP)
        | (Q(status=OrderStatus.PROCESSING) & pickup),
    }


def step_of(order) -> str:
    """The to-do step of a row that waits on staff (see step_filters)."""
    pickup = order.delivery_method == DeliveryMethod.PICKUP
    return {
        OrderStatus.AWAITING_PAYMENT: "receipts",
        OrderStatus.PAID: "to_pack",
        OrderStatus.PROCESSING: "pickups" if pickup else "to_ship",
    }.get(order.status, "pickups")


def pending_proof():
    """Whether a transfer receipt waits to be checked."""
    return Exists(
        PaymentProof.objects.filter(order=OuterRef("pk"), status=PaymentProof.Status.PENDING)
    )


def status_since():
    """When each order got to its current status: its latest event, else its
    creation. Max() over the order's events, which the index on (order_id,
    created_at) answers from the index alone."""
    latest = (
        OrderEvent.objects.filter(order=OuterRef("pk"))
        .values("order")
        .annotate(at=Max("created_at"))
        .values("at")
    )
    return Coalesce(Subquery(latest, output_field=DateTimeField()), F("created_at"))


def lead_days():
    """The longest lead time of the order's lines (None: all ready stock)."""
    return Subquery(
        OrderLine.objects.filter(order=OuterRef("pk"))
        .values("order")
        .annotate(days=Max("lead_time_days"))
        .values("days"),
        output_field=IntegerField(),
    )


def promised_by():
    """When the order was promised by: placed + the longest lead time of its
    lines (made to order), or + READY_STOCK_DISPATCH_DAYS for ready stock.
    Reads the `lead_days` annotation (annotate_lateness)."""
    return ExpressionWrapper(
        F("created_at")
        + Value(timedelta(days=1)) * Coalesce(F("lead_days"), Value(READY_STOCK_DISPATCH_DAYS)),
        output_field=DateTimeField(),
    )


def annotate_lateness(orders, *, proof: bool = True):
    """`orders` with what late_q reads: has_pending_proof (unless the caller
    annotated it already: proof=False), status_since, lead_days, promised_by."""
    if proof:
        orders = orders.annotate(has_pending_proof=pending_proof())
    return orders.annotate(status_since=status_since(), lead_days=lead_days()).annotate(
        promised_by=promised_by()
    )


def late_q(now: datetime) -> Q:
    """The late orders among rows annotated by annotate_lateness. One Case
    for the per-status limit, so the status-since subquery is run once per
    order, not once per status."""
    timed = [status for status in LATE_AFTER if status != OrderStatus.AWAITING_PAYMENT]
    limit = Case(
        *[When(status=status, then=Value(now - LATE_AFTER[status])) for status in timed],
        output_field=DateTimeField(),
    )
    unpaid = Q(status=OrderStatus.AWAITING_PAYMENT)
    receipt_limit = now - LATE_AFTER[OrderStatus.AWAITING_PAYMENT]
    being_made = Q(status=OrderStatus.PROCESSING, lead_days__isnull=False, promised_by__gte=now)
    return (
        (unpaid & Q(payment_deadline__lt=now))
        | (unpaid & Q(has_pending_proof=True, status_since__lt=receipt_limit))
        | (Q(status__in=timed, status_since__lt=limit) & ~being_made)
    )


def late_at(order) -> datetime | None:
    """When a row in hand (annotated by annotate_lateness) becomes late by
    late_q; None when it never does."""
    allowed = LATE_AFTER.get(order.status)
    if order.status == OrderStatus.AWAITING_PAYMENT:
        ends = [order.payment_deadline]
        if order.has_pending_proof:
            ends.append(order.status_since + allowed)
        return min((at for at in ends if at is not None), default=None)
    if allowed is None:
        return None
    at = order.status_since + allowed
    if order.status == OrderStatus.PROCESSING and order.lead_days is not None:
        at = max(at, order.promised_by)
    return at


def is_late(order, now: datetime) -> bool:
    at = late_at(order)
    return at is not None and now > at
