"""The numbers behind the dashboards, reports and the public impact page.

Every function takes a `Scope` (from facilities.scoping) and narrows its rows
with it first, so a reviewer's numbers can only ever come from their region.
Each one is a fixed, small number of grouped queries (aggregates in the
database, never a Python loop over orders): the result has one row per
facility, region, month or product, however many orders there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, TruncMonth
from django.utils import timezone

from catalog import stock as stock_rules
from catalog.models import Category, ConsignmentMovement, ListingReview, ListingStatus, Product
from facilities.models import Facility, ProceedsShare, Region
from facilities.scoping import Scope
from orders.models import Order, OrderEvent, OrderLine, OrderRefund, OrderStatus, PaymentProof
from oversight.periods import add_months, month_start_at, this_month

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
    be checked and when each was promised by (see _promised_by)."""
    pending_proof = PaymentProof.objects.filter(
        order=OuterRef("pk"), status=PaymentProof.Status.PENDING
    )
    return scope.filter_facility_rows(
        Order.objects.filter(
            status__in=[
                OrderStatus.AWAITING_PAYMENT,
                OrderStatus.PAID,
                OrderStatus.PROCESSING,
                OrderStatus.READY_FOR_PICKUP,
            ]
        )
    ).annotate(has_pending_proof=Exists(pending_proof), promised_by=_promised_by())


def _overdue_q(now: datetime) -> Q:
    return Q(status=OrderStatus.AWAITING_PAYMENT, payment_deadline__lt=now) | Q(
        status__in=[OrderStatus.PAID, OrderStatus.PROCESSING], promised_by__lt=now
    )


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
        past_promised_time=Count(
            "id",
            filter=Q(status__in=[OrderStatus.PAID, OrderStatus.PROCESSING], promised_by__lt=now),
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
        scope.filter_facility_rows(Order.objects.all())
        .filter(status__in=[OrderStatus.AWAITING_PAYMENT, *STUCK_AFTER])
        .annotate(status_since=_last_status_change(), promised_by=_promised_by())
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


# --- reports ----------------------------------------------------------------


@dataclass
class SalesRow:
    region: str
    facility_id: int
    facility: str
    month: date
    orders: int
    items: int
    revenue: int
    shipping: int
    # Reported sold by partner outlets (consignment), by the day they sold.
    consigned_items: int = 0
    consigned_revenue: int = 0
    # Money given back to shoppers (orders.OrderRefund), by the month it was recorded.
    refunds: int = 0

    @property
    def goods_revenue(self) -> int:
        """What the goods brought in, through the web shop and partner outlets."""
        return self.revenue + self.consigned_revenue

    @property
    def total(self) -> int:
        return self.goods_revenue + self.shipping

    @property
    def net(self) -> int:
        """Gross (total) minus refunds."""
        return self.total - self.refunds


@dataclass
class ShareRow:
    facility_id: int
    facility: str
    name: str
    percent: Decimal | None
    amount: int


def _period_q(first: date, last: date, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}status__in": SALE_STATUSES,
            f"{prefix}created_at__gte": month_start_at(first),
            f"{prefix}created_at__lt": month_start_at(add_months(last, 1)),
        }
    )


def sales_by_facility_month(
    scope: Scope, *, facilities: QuerySet[Facility], first: date, last: date
) -> list[SalesRow]:
    """Orders, items, goods revenue and shipping collected per facility and month,
    and what partner outlets reported sold on consignment.

    Five queries: orders grouped by (facility id, month), their lines grouped
    the same way (apart, so summing lines never multiplies the order sums),
    consignment sales grouped the same way, and the names of the facilities
    that sold, and refunds (by the month they were recorded) grouped the
    same way. Grouping by ids alone keeps the sort narrow: at a million
    orders the names would be carried through it.
    """
    facility_ids = facilities.values("id")
    order_rows = (
        scope.filter_facility_rows(Order.objects.filter(_period_q(first, last)))
        .filter(facility_id__in=facility_ids)
        .annotate(month=TruncMonth("created_at", output_field=DateField()))
        .values("facility_id", "month")
        .annotate(orders=Count("id"), revenue=Sum("subtotal"), shipping=Sum("shipping_fee"))
        .order_by()
    )
    item_rows = (
        scope.filter_facility_rows(
            OrderLine.objects.filter(_period_q(first, last, "order__")), "order__facility"
        )
        .filter(order__facility_id__in=facility_ids)
        .annotate(month=TruncMonth("order__created_at", output_field=DateField()))
        .values("order__facility_id", "month")
        .annotate(items=Sum("quantity"))
        .order_by()
    )
    consigned_rows = (
        scope.filter_facility_rows(
            ConsignmentMovement.objects.filter(
                kind=ConsignmentMovement.Kind.SOLD,
                occurred_on__gte=first,
                occurred_on__lt=add_months(last, 1),
            ),
            "link__product__facility",
        )
        .filter(link__product__facility_id__in=facility_ids)
        .annotate(month=TruncMonth("occurred_on", output_field=DateField()))
        .values("link__product__facility_id", "month")
        # bigint: 100 pieces at Rp 25.000.000 would overflow a PostgreSQL integer.
        .annotate(
            items=Sum("quantity"),
            revenue=Sum(Cast("quantity", BigIntegerField()) * F("unit_price")),
        )
        .order_by()
    )
    refund_rows = (
        scope.filter_facility_rows(
            OrderRefund.objects.filter(
                created_at__gte=month_start_at(first),
                created_at__lt=month_start_at(add_months(last, 1)),
            ),
            "order__facility",
        )
        .filter(order__facility_id__in=facility_ids)
        .annotate(month=TruncMonth("created_at", output_field=DateField()))
        .values("order__facility_id", "month")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    found: dict[tuple[int, date], dict] = {}
    for row in order_rows:
        found[(row["facility_id"], row["month"])] = {
            "orders": row["orders"],
            "revenue": _int(row["revenue"]),
            "shipping": _int(row["shipping"]),
        }
    for row in item_rows:
        key = (row["order__facility_id"], row["month"])
        found.setdefault(key, {})["items"] = _int(row["items"])
    for row in consigned_rows:
        key = (row["link__product__facility_id"], row["month"])
        entry = found.setdefault(key, {})
        entry["consigned_items"] = _int(row["items"])
        entry["consigned_revenue"] = _int(row["revenue"])
    for row in refund_rows:
        key = (row["order__facility_id"], row["month"])
        found.setdefault(key, {})["refunds"] = _int(row["amount"])
    names = {
        pk: (name, region)
        for pk, name, region in Facility.objects.filter(
            pk__in={facility_id for facility_id, _month in found}
        ).values_list("id", "name", "region__name")
    }
    rows = [
        SalesRow(
            region=names[facility_id][1],
            facility_id=facility_id,
            facility=names[facility_id][0],
            month=month,
            orders=entry.get("orders", 0),
            items=entry.get("items", 0),
            revenue=entry.get("revenue", 0),
            shipping=entry.get("shipping", 0),
            consigned_items=entry.get("consigned_items", 0),
            consigned_revenue=entry.get("consigned_revenue", 0),
            refunds=entry.get("refunds", 0),
        )
        for (facility_id, month), entry in found.items()
    ]
    rows.sort(key=lambda row: (row.region, row.facility, row.month))
    return rows


def _share_amount(revenue: int, percent: Decimal) -> int:
    return int((Decimal(revenue) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def proceeds_allocation(sales: list[SalesRow]) -> list[ShareRow]:
    """Each facility's goods revenue in the report, split by its configured shares.

    The unallocated remainder is its own row, so a facility's rows always add
    up to its revenue (rounding goes to the remainder). One query.
    """
    revenue: dict[int, int] = {}
    names: dict[int, str] = {}
    for row in sales:
        revenue[row.facility_id] = revenue.get(row.facility_id, 0) + row.goods_revenue
        names[row.facility_id] = row.facility
    shares: dict[int, list[ProceedsShare]] = {}
    for share in ProceedsShare.objects.filter(facility_id__in=revenue).order_by(
        "facility_id", "position", "id"
    ):
        shares.setdefault(share.facility_id, []).append(share)
    result = []
    for facility_id in sorted(revenue, key=lambda pk: names[pk]):
        allocated = 0
        for share in shares.get(facility_id, []):
            amount = _share_amount(revenue[facility_id], share.percent)
            allocated += amount
            result.append(
                ShareRow(facility_id, names[facility_id], share.name, share.percent, amount)
            )
        result.append(
            ShareRow(
                facility_id,
                names[facility_id],
                "",  # the view labels the remainder ("Belum dialokasikan")
                None,
                revenue[facility_id] - allocated,
            )
        )
    return result


@dataclass
class RecapRow:
    region: str
    facility: str
    category: str
    counts: dict[str, int]
    stock_units: int
    stock_value: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def product_recap(scope: Scope, *, facilities: QuerySet[Facility]) -> list[RecapRow]:
    """Listings per facility and category, by status, with ready stock and its value.

    Stock value is ready stock times today's price; made-to-order listings
    hold no stock. One grouped query.
    """
    ready = Q(made_to_order=False)
    rows = (
        scope.filter_facility_rows(Product.objects.filter(facility__in=facilities))
        .values("facility__region__name", "facility__name", "category__name_id")
        .annotate(
            **{status: Count("id", filter=Q(status=status)) for status in LISTING_STATUSES},
            stock_units=Sum("stock", filter=ready),
            # bigint before multiplying: stock × price overflows a 32-bit integer.
            stock_value=Sum(
                Cast("stock", BigIntegerField()) * F("price"),
                output_field=BigIntegerField(),
                filter=ready,
            ),
        )
        .order_by("facility__region__name", "facility__name", "category__name_id")
    )
    return [
        RecapRow(
            region=row["facility__region__name"],
            facility=row["facility__name"],
            category=row["category__name_id"],
            counts={status: row[status] for status in LISTING_STATUSES},
            stock_units=_int(row["stock_units"]),
            stock_value=_int(row["stock_value"]),
        )
        for row in rows
    ]


# --- public impact ----------------------------------------------------------


@dataclass
class ImpactRow:
    name: str
    facilities: int = 0
    products: int = 0
    items_sold: int = 0
    orders_completed: int = 0
    items_bar: int = 0  # items sold as a percentage of the best region's, for the bar


def public_impact() -> tuple[list[ImpactRow], ImpactRow]:
    """Per region and nationally: active facilities, listed products, items sold
    (web and consignment, as the sales report counts them), completed orders.
    Aggregates only; nothing about a person. Five queries."""
    regions = {
        region_id: ImpactRow(name=name)
        for region_id, name in Region.objects.order_by("name").values_list("id", "name")
    }
    for row in Facility.objects.filter(is_active=True).values("region").annotate(n=Count("id")):
        regions[row["region"]].facilities = row["n"]
    for row in Product.objects.public().values("facility__region").annotate(n=Count("id")):
        regions[row["facility__region"]].products = row["n"]
    # Sold counts what the sales report counts: web orders in a sale status
    # and what partner outlets reported sold on consignment (one UNION query).
    web = (
        OrderLine.objects.filter(order__status__in=SALE_STATUSES)
        .values(region=F("order__facility__region"))
        .annotate(n=Sum("quantity"))
    )
    consigned = (
        ConsignmentMovement.objects.filter(kind=ConsignmentMovement.Kind.SOLD)
        .values(region=F("link__outlet__facility__region"))
        .annotate(n=Sum("quantity"))
    )
    for region_id, sold in web.union(consigned, all=True).values_list("region", "n"):
        if region_id in regions:
            regions[region_id].items_sold += _int(sold)
    for row in (
        Order.objects.filter(status=OrderStatus.COMPLETED)
        .values("facility__region")
        .annotate(n=Count("id"))
    ):
        regions[row["facility__region"]].orders_completed = row["n"]
    shown = [
        row
        for row in regions.values()
        if row.facilities or row.products or row.items_sold or row.orders_completed
    ]
    top = max([row.items_sold for row in shown] + [1])
    for row in shown:
        row.items_bar = round(100 * row.items_sold / top)
    national = ImpactRow(
        name="",
        facilities=sum(row.facilities for row in shown),
        products=sum(row.products for row in shown),
        items_sold=sum(row.items_sold for row in shown),
        orders_completed=sum(row.orders_completed for row in shown),
    )
    return shown, national
