"""The Kanwil and head-office dashboards: review queue, units overview, monthly
revenue, top products and categories."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import (
    Count,
    DateField,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from catalog.models import Category, ListingStatus, Product
from facilities.scoping import Scope
from orders import lateness
from orders.models import Order, OrderLine
from oversight.periods import add_months, month_start_at, this_month
from oversight.selectors.common import (
    LISTING_STATUSES,
    SALE_STATUSES,
    STUCK_AFTER,
    _int,
    _stuck_q,
    sale_orders,
)

# --- Kanwil and head office -------------------------------------------------


def review_queue(scope: Scope, *, limit: int = 15) -> tuple[int, list[Product]]:
    """Listings waiting for review in scope, oldest first, with how long they waited."""
    waiting = scope.filter_facility_rows(
        Product.objects.filter(status=ListingStatus.PENDING_REVIEW)
    ).annotate(waiting_since=Coalesce("submitted_at", "updated_at"))
    items = list(
        waiting.select_related("facility")
        .only("id", "name", "status", "submitted_at", "updated_at", "facility__name")
        .order_by("waiting_since", "id")[:limit]
    )
    now = timezone.now()
    for item in items:
        item.waiting_days = (now - item.waiting_since).days
    total = len(items) if len(items) < limit else waiting.count()
    return total, items


@dataclass
class UnitRow:
    """One facility or one region on a Kanwil or head-office dashboard."""

    id: int
    name: str
    listings: dict[str, int] = field(default_factory=dict)
    orders_30d: int = 0
    revenue_30d: int = 0
    stuck: int = 0
    waiting_review: int = 0
    monthly: list[tuple[date, int]] = field(default_factory=list)

    @property
    def listings_total(self) -> int:
        return sum(self.listings.values())

    @property
    def retired(self) -> int:
        return self.listings.get("rejected", 0) + self.listings.get("archived", 0)


def _listing_counts(products: QuerySet, group: str) -> dict[int, dict[str, int]]:
    rows = products.values(group).annotate(
        **{status: Count("id", filter=Q(status=status)) for status in LISTING_STATUSES}
    )
    return {row[group]: {status: row[status] for status in LISTING_STATUSES} for row in rows}


def unit_overview(
    scope: Scope, *, by: str = "facility", months: int = 6, now: datetime | None = None
) -> list[UnitRow]:
    """Per facility (`by="facility"`) or per region (`by="region"`) in scope: listings by
    status, orders and revenue over the last 30 days, stuck orders, monthly revenue.

    Five grouped queries whatever the number of facilities or orders.
    """
    now = now or timezone.now()
    if by == "region":
        units = scope.regions().order_by("name").values_list("id", "name")
        group = "facility__region"
    else:
        units = scope.facilities().order_by("name").values_list("id", "name")
        group = "facility"
    rows = {unit_id: UnitRow(id=unit_id, name=name) for unit_id, name in units}

    products = scope.filter_facility_rows(Product.objects.all())
    for unit_id, counts in _listing_counts(products, group).items():
        if unit_id in rows:
            rows[unit_id].listings = counts

    recent = (
        sale_orders(scope)
        .filter(created_at__gte=now - timedelta(days=30))
        .values(group)
        .annotate(orders=Count("id"), revenue=Sum("subtotal"))
    )
    for row in recent:
        if row[group] in rows:
            rows[row[group]].orders_30d = row["orders"]
            rows[row[group]].revenue_30d = _int(row["revenue"])

    stuck = (
        lateness.annotate_lateness(
            scope.filter_facility_rows(Order.objects.filter(status__in=list(STUCK_AFTER)))
        )
        .filter(_stuck_q(now))
        .values(group)
        .annotate(n=Count("id"))
    )
    for row in stuck:
        if row[group] in rows:
            rows[row[group]].stuck = row["n"]

    waiting = (
        products.filter(status=ListingStatus.PENDING_REVIEW).values(group).annotate(n=Count("id"))
    )
    for row in waiting:
        if row[group] in rows:
            rows[row[group]].waiting_review = row["n"]

    month_list = [add_months(this_month(), -offset) for offset in range(months - 1, -1, -1)]
    by_month = monthly_revenue(scope, group=group, first_month=month_list[0])
    for row in rows.values():
        row.monthly = [(month, by_month.get((row.id, month), 0)) for month in month_list]
    return list(rows.values())


def monthly_revenue(scope: Scope, *, group: str, first_month: date) -> dict[tuple[int, date], int]:
    """Goods revenue per (unit, month) from `first_month` on."""
    rows = (
        sale_orders(scope)
        .filter(created_at__gte=month_start_at(first_month))
        .annotate(month=TruncMonth("created_at", output_field=DateField()))
        .values(group, "month")
        .annotate(revenue=Sum("subtotal"))
    )
    return {(row[group], row["month"]): _int(row["revenue"]) for row in rows}


def top_products(scope: Scope, *, days: int = 90, limit: int = 10) -> list[dict]:
    """Best-selling products by revenue over the last `days` days."""
    lines = scope.filter_facility_rows(
        OrderLine.objects.filter(
            order__status__in=SALE_STATUSES,
            order__created_at__gte=timezone.now() - timedelta(days=days),
        ),
        "order__facility",
    )
    return list(
        lines.values("product_id", "product__name", "product__facility__name")
        .annotate(items=Sum("quantity"), revenue=Sum("line_total"))
        .order_by("-revenue", "product_id")[:limit]
    )


def top_categories(scope: Scope, *, days: int = 90, limit: int = 10) -> list[dict]:
    """Best-selling top-level categories by revenue over the last `days` days
    (a subcategory's sales count toward its parent: the tree is shallow)."""
    lines = scope.filter_facility_rows(
        OrderLine.objects.filter(
            order__status__in=SALE_STATUSES,
            order__created_at__gte=timezone.now() - timedelta(days=days),
        ),
        "order__facility",
    )
    rows = list(
        lines.annotate(
            top_category=Coalesce("product__category__parent_id", "product__category_id")
        )
        .values("top_category")
        .annotate(items=Sum("quantity"), revenue=Sum("line_total"))
        .order_by("-revenue", "top_category")[:limit]
    )
    names = Category.objects.in_bulk([row["top_category"] for row in rows])
    for row in rows:
        category = names.get(row["top_category"])
        row["name"] = category.name if category else "—"
    return rows
