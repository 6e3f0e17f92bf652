"""Reports: sales by facility and month (web, consignment, refunds), proceeds
allocation, product recap."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    BigIntegerField,
    Count,
    DateField,
    F,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Cast, TruncMonth

from catalog.models import ConsignmentMovement, Product
from core.sales_channels import channel_sales
from facilities.models import Facility, ProceedsShare
from facilities.scoping import Scope
from orders.models import Order, OrderLine
from orders.payments.models import OrderRefund
from oversight.periods import add_months, month_start_at
from oversight.selectors.common import LISTING_STATUSES, SALE_STATUSES, _int
from proceeds.sales import share_amount

# --- reports ----------------------------------------------------------------

# An institutional sale: the buyer named an organisation (orders from quotes
# always do); everything else is retail.
INSTITUTIONAL_Q = ~Q(buyer_organisation="")


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
    # Of `orders` and `revenue`: those bought by an institution (office,
    # contractor, shop: an order with a buyer organisation, e.g. from a quote).
    institutional_orders: int = 0
    institutional_revenue: int = 0
    # Sold through the channels registered in core.sales_channels (the stand
    # till, ...), by their day: all channels together, and per channel key.
    channel_items: int = 0
    channel_revenue: int = 0
    channels: dict[str, int] = field(default_factory=dict)

    @property
    def retail_orders(self) -> int:
        return self.orders - self.institutional_orders

    @property
    def retail_revenue(self) -> int:
        """Web-shop goods revenue from single shoppers (consignment apart)."""
        return self.revenue - self.institutional_revenue

    @property
    def goods_revenue(self) -> int:
        """What the goods brought in: the web shop, partner outlets and every
        registered channel."""
        return self.revenue + self.consigned_revenue + self.channel_revenue

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

    Six queries and one read per registered channel (core.sales_channels,
    e.g. the stand till): orders grouped by (facility id, month), their lines grouped
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
        .annotate(
            orders=Count("id"),
            revenue=Sum("subtotal"),
            shipping=Sum("shipping_fee"),
            institutional_orders=Count("id", filter=INSTITUTIONAL_Q),
            institutional_revenue=Sum("subtotal", filter=INSTITUTIONAL_Q),
        )
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
            "institutional_orders": row["institutional_orders"],
            "institutional_revenue": _int(row["institutional_revenue"]),
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
    # Every registered channel (core.sales_channels), for the facilities in
    # scope: one query for their ids, then each channel's own read.
    in_scope = list(facilities.filter(scope.facility_q()).values_list("id", flat=True))
    last_day = add_months(last, 1) - timedelta(days=1)
    for key, sales in channel_sales(first, last_day, in_scope).items():
        allowed = set(in_scope)
        for sale in sales:
            if sale.facility_id not in allowed:
                continue
            entry = found.setdefault((sale.facility_id, sale.day.replace(day=1)), {})
            entry["channel_items"] = entry.get("channel_items", 0) + sale.items
            entry["channel_revenue"] = entry.get("channel_revenue", 0) + sale.revenue
            per_channel = entry.setdefault("channels", {})
            per_channel[key] = per_channel.get(key, 0) + sale.revenue
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
            institutional_orders=entry.get("institutional_orders", 0),
            institutional_revenue=entry.get("institutional_revenue", 0),
            channel_items=entry.get("channel_items", 0),
            channel_revenue=entry.get("channel_revenue", 0),
            channels=entry.get("channels", {}),
        )
        for (facility_id, month), entry in found.items()
    ]
    rows.sort(key=lambda row: (row.region, row.facility, row.month))
    return rows


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
            amount = share_amount(revenue[facility_id], share.percent)
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
