"""Shared by every section: what counts as a sale, when an order is stuck, small helpers."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import (
    Case,
    DateTimeField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from catalog.models import ListingStatus
from facilities.scoping import Scope
from orders.models import Order, OrderEvent, OrderLine, OrderStatus

# Orders that count as sales. Awaiting payment is not yet a sale; cancelled and
# expired orders never are (their stock went back).
SALE_STATUSES = (
    OrderStatus.PAID,
    OrderStatus.PROCESSING,
    OrderStatus.SHIPPED,
    OrderStatus.READY_FOR_PICKUP,
    OrderStatus.COMPLETED,
)

# How long an order may sit in a status before a Kanwil should ask why.
STUCK_AFTER = {
    OrderStatus.PAID: timedelta(days=2),
    OrderStatus.PROCESSING: timedelta(days=7),
    OrderStatus.SHIPPED: timedelta(days=14),
    OrderStatus.READY_FOR_PICKUP: timedelta(days=7),
}
# Ready-stock orders have no lead time of their own; this is what staff promise.
READY_STOCK_DISPATCH_DAYS = 2
LISTING_STATUSES = [status for status, _label in ListingStatus.choices]


def _int(value) -> int:
    return int(value or 0)


def sale_orders(scope: Scope) -> QuerySet[Order]:
    return scope.filter_facility_rows(Order.objects.filter(status__in=SALE_STATUSES))


def _last_status_change():
    """When each order entered its current status: its latest event, else creation.

    Max() over the order's events, which an index on (order_id, created_at)
    answers from the index alone.
    """
    latest = (
        OrderEvent.objects.filter(order=OuterRef("pk"))
        .values("order")
        .annotate(at=Max("created_at"))
        .values("at")
    )
    return Coalesce(Subquery(latest, output_field=DateTimeField()), F("created_at"))


def _stuck_q(now: datetime) -> Q:
    """Orders sitting in one status too long. One Case for the per-status limit,
    so the last-change subquery is written (and run) once per order, not once
    per status."""
    limit = Case(
        *[When(status=status, then=Value(now - after)) for status, after in STUCK_AFTER.items()],
        output_field=DateTimeField(),
    )
    # A made-to-order piece may take weeks: in processing it is not stuck
    # before the date promised to the shopper.
    return Q(status=OrderStatus.AWAITING_PAYMENT, payment_deadline__lt=now) | (
        Q(status__in=list(STUCK_AFTER), status_since__lt=limit)
        & ~Q(status=OrderStatus.PROCESSING, promised_by__gte=now)
    )


def _promised_by():
    """When the order was promised by: placed + the longest lead time of its
    lines (made to order), or + READY_STOCK_DISPATCH_DAYS for ready stock."""
    max_lead = (
        OrderLine.objects.filter(order=OuterRef("pk"))
        .values("order")
        .annotate(days=Max("lead_time_days"))
        .values("days")
    )
    return ExpressionWrapper(
        F("created_at")
        + Value(timedelta(days=1))
        * Coalesce(
            Subquery(max_lead, output_field=IntegerField()),
            Value(READY_STOCK_DISPATCH_DAYS),
        ),
        output_field=DateTimeField(),
    )
