"""Shared by every section: what counts as a sale, when an order is stuck, small helpers."""

from __future__ import annotations

from datetime import datetime

from django.db.models import (
    Q,
    QuerySet,
)

from catalog.models import ListingStatus
from facilities.scoping import Scope
from orders import lateness, states
from orders.models import Order

# What counts as sold is the order state table's (re-exported for the report modules).
SALE_STATUSES = states.SALE_STATUSES

# The statuses an order can be stuck in (a Kanwil should ask why): those the
# one late-order rule times (orders.lateness).
STUCK_AFTER = lateness.LATE_AFTER
READY_STOCK_DISPATCH_DAYS = lateness.READY_STOCK_DISPATCH_DAYS
LISTING_STATUSES = [status for status, _label in ListingStatus.choices]


def _int(value) -> int:
    return int(value or 0)


def sale_orders(scope: Scope) -> QuerySet[Order]:
    return scope.filter_facility_rows(Order.objects.filter(status__in=SALE_STATUSES))


def _stuck_q(now: datetime) -> Q:
    """Orders late by the one rule (orders.lateness.late_q), which a Kanwil
    should ask about."""
    return lateness.late_q(now)
