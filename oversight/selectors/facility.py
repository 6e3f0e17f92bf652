"""The facility staff's dashboard: orders needing action, overdue orders, stock
alerts, listings sent back, this month against last."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import (
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils import timezone

from catalog import stock as stock_rules
from catalog.models import ListingReview, ListingStatus, Product
from facilities.scoping import Scope
from orders import lateness
from orders.models import Order, OrderStatus
from oversight.periods import add_months, month_start_at, this_month
from oversight.selectors.common import _int, sale_orders

# --- facility staff ---------------------------------------------------------


@dataclass
class MonthComparison:
    this_month: date
    this_orders: int
    this_revenue: int
    last_orders: int
    last_revenue: int
    # Last month up to the same point in the month: a fair yardstick on the 10th.
    last_to_date_revenue: int

    @property
    def change_percent(self) -> int | None:
        """This month so far against last month up to the same point."""
        if not self.last_to_date_revenue:
            return None
        return round(
            (self.this_revenue - self.last_to_date_revenue) * 100 / self.last_to_date_revenue
        )


def _open_orders(scope: Scope) -> QuerySet[Order]:
    """The scope's orders still waiting on staff, with whether a receipt waits to
    be checked, when each got to its status and when it was promised by
    (what orders.lateness reads)."""
    return lateness.annotate_lateness(
        scope.filter_facility_rows(
            Order.objects.filter(
                status__in=[
                    OrderStatus.AWAITING_PAYMENT,
                    OrderStatus.PAID,
                    OrderStatus.PROCESSING,
                    OrderStatus.READY_FOR_PICKUP,
                ]
            )
        )
    )


def _overdue_q(now: datetime) -> Q:
    """Late by the one rule (orders.lateness)."""
    return lateness.late_q(now)


def orders_needing_action(scope: Scope, *, now: datetime | None = None) -> dict[str, int]:
    """Counts of the facility's orders waiting on staff, by kind of work (one query)."""
    now = now or timezone.now()
    return _open_orders(scope).aggregate(
        receipts_to_check=Count(
            "id", filter=Q(status=OrderStatus.AWAITING_PAYMENT, has_pending_proof=True)
        ),
        to_pack=Count("id", filter=Q(status=OrderStatus.PAID)),
        to_ship=Count("id", filter=Q(status=OrderStatus.PROCESSING)),
        to_hand_over=Count("id", filter=Q(status=OrderStatus.READY_FOR_PICKUP)),
        past_payment_deadline=Count(
            "id", filter=Q(status=OrderStatus.AWAITING_PAYMENT, payment_deadline__lt=now)
        ),
        # Late at packing or shipping by the one rule: past the step's time,
        # and a made-to-order piece past the date promised.
        past_promised_time=Count(
            "id", filter=_overdue_q(now) & ~Q(status=OrderStatus.AWAITING_PAYMENT)
        ),
    )


def overdue_orders(scope: Scope, *, now: datetime | None = None, limit: int = 10) -> list[Order]:
    """The most overdue orders (unpaid past the deadline, or not yet sent past the
    promised time), oldest first, for staff to act on."""
    now = now or timezone.now()
    return list(
        _open_orders(scope)
        .filter(_overdue_q(now))
        .only("id", "code", "status", "created_at", "payment_deadline")
        .order_by("created_at", "id")[:limit]
    )


def stock_alerts(scope: Scope, *, limit: int = 10) -> tuple[dict[str, int], list[Product]]:
    """Ready-stock listings that are out of stock or running low: counts and the worst few."""
    products = scope.filter_facility_rows(
        Product.objects.filter(made_to_order=False).exclude(
            status__in=[ListingStatus.ARCHIVED, ListingStatus.REJECTED]
        )
    )
    low = stock_rules.low_stock_q()
    counts = products.aggregate(out=Count("id", filter=Q(stock=0)), low=Count("id", filter=low))
    worst = list(
        products.filter(Q(stock=0) | low)
        .only("id", "name", "stock", "min_order_quantity", "status", "unit")
        .order_by("stock", "name")[:limit]
    )
    return counts, worst


def listings_sent_back(scope: Scope, *, limit: int = 10) -> list[Product]:
    """Listings a reviewer asked to change, with the reviewer's latest note."""
    latest_note = ListingReview.objects.filter(
        product=OuterRef("pk"), to_status=ListingStatus.CHANGES_REQUESTED
    ).order_by("-created_at", "-id")
    return list(
        scope.filter_facility_rows(Product.objects.filter(status=ListingStatus.CHANGES_REQUESTED))
        .annotate(
            review_note=Subquery(latest_note.values("note")[:1]),
            sent_back_at=Subquery(latest_note.values("created_at")[:1]),
        )
        .only("id", "name", "status", "updated_at")
        .order_by("sent_back_at", "id")[:limit]
    )


def sales_this_month_vs_last(scope: Scope) -> MonthComparison:
    """Orders and goods revenue this calendar month, all of last month, and last
    month up to the same elapsed time (one query)."""
    current, now = this_month(), timezone.now()
    starts, previous = month_start_at(current), month_start_at(add_months(current, -1))
    this_q, last_q = Q(created_at__gte=starts), Q(created_at__gte=previous, created_at__lt=starts)
    totals = (
        sale_orders(scope)
        .filter(created_at__gte=previous)
        .aggregate(
            this_orders=Count("id", filter=this_q),
            this_revenue=Sum("subtotal", filter=this_q),
            last_orders=Count("id", filter=last_q),
            last_revenue=Sum("subtotal", filter=last_q),
            last_to_date_revenue=Sum(
                "subtotal", filter=last_q & Q(created_at__lt=previous + (now - starts))
            ),
        )
    )
    return MonthComparison(
        this_month=current, **{key: _int(value) for key, value in totals.items()}
    )
