"""What was sold, per facility and month, through every channel: web orders
(retail and institutional), consignment at partner outlets, and every channel
registered in core.sales_channels (the stand till, ...).

The rule is the sales report's: an order counts when its status is one of
orders.states.SALE_STATUSES (paid, processing, shipped, ready for pickup,
completed), in the month it was placed (WIB); goods only, shipping apart;
consignment in the month the outlet reported it sold; a channel in the
month of its day. The ledger's due, the sales report and the impact page read
these figures, so they agree rupiah for rupiah.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import BigIntegerField, Count, DateField, F, Q, Sum
from django.db.models.functions import Cast, TruncMonth

from catalog.models import ConsignmentMovement
from core.sales_channels import channel_sales
from orders.models import Order
from orders.states import SALE_STATUSES
from proceeds import rules
from proceeds.months import add_months, month_start_at

INSTITUTIONAL_Q = ~Q(buyer_organisation="")


@dataclass
class MonthSales:
    web: int = 0  # retail web orders' goods
    institutional: int = 0  # orders with a buyer organisation (quotes)
    consignment: int = 0
    channels: dict[str, int] = field(default_factory=dict)
    # Orders, consignment reports and items sold through channels: what the
    # public page's small-cell rule counts.
    transactions: int = 0

    @property
    def total(self) -> int:
        return self.web + self.institutional + self.consignment + sum(self.channels.values())

    def add(self, other: MonthSales) -> None:
        self.web += other.web
        self.institutional += other.institutional
        self.consignment += other.consignment
        self.transactions += other.transactions
        for key, amount in other.channels.items():
            self.channels[key] = self.channels.get(key, 0) + amount


def sales_by_facility_month(
    first: date, last: date, facility_ids: Iterable[int] | None = None
) -> dict[tuple[int, date], MonthSales]:
    """Goods sold per (facility id, first day of month), months `first`..`last`.

    Two grouped queries plus one read per registered channel, whatever the
    number of rows. `facility_ids` None means every facility (enterprises
    included: a caller that keeps them apart filters them).
    """
    ids = None if facility_ids is None else list(facility_ids)
    start, end = month_start_at(first), month_start_at(add_months(last, 1))
    orders = Order.objects.filter(
        status__in=SALE_STATUSES, created_at__gte=start, created_at__lt=end
    )
    consigned = ConsignmentMovement.objects.filter(
        kind=ConsignmentMovement.Kind.SOLD,
        occurred_on__gte=first,
        occurred_on__lt=add_months(last, 1),
    )
    if ids is not None:
        orders = orders.filter(facility_id__in=ids)
        consigned = consigned.filter(link__product__facility_id__in=ids)
    found: dict[tuple[int, date], MonthSales] = {}

    def at(facility_id: int, month: date) -> MonthSales:
        return found.setdefault((facility_id, month), MonthSales())

    for row in (
        orders.annotate(month=TruncMonth("created_at", output_field=DateField()))
        .values("facility_id", "month")
        .annotate(
            n=Count("id"),
            goods=Sum("subtotal"),
            institutional=Sum("subtotal", filter=INSTITUTIONAL_Q),
        )
        .order_by()
    ):
        entry = at(row["facility_id"], row["month"])
        entry.institutional = int(row["institutional"] or 0)
        entry.web = int(row["goods"] or 0) - entry.institutional
        entry.transactions += row["n"]
    for row in (
        consigned.annotate(month=TruncMonth("occurred_on", output_field=DateField()))
        .values("link__product__facility_id", "month")
        .annotate(
            n=Count("id"),
            revenue=Sum(Cast("quantity", BigIntegerField()) * F("unit_price")),
        )
        .order_by()
    ):
        entry = at(row["link__product__facility_id"], row["month"])
        entry.consignment = int(row["revenue"] or 0)
        entry.transactions += row["n"]
    for key, rows in channel_sales(first, add_months(last, 1) - timedelta(days=1), ids).items():
        for sale in rows:
            if ids is not None and sale.facility_id not in ids:
                continue  # a reader that ignored the filter
            entry = at(sale.facility_id, sale.day.replace(day=1))
            entry.channels[key] = entry.channels.get(key, 0) + sale.revenue
            entry.transactions += sale.items
    return found


@dataclass
class ShareDue:
    name: str
    kind: str
    percent: Decimal
    amount: int


def share_amount(revenue: int, percent: Decimal) -> int:
    """A share of revenue in whole rupiah, half up: the one rounding of the
    sales report's split and the ledger's due."""
    return int((Decimal(revenue) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def shares_due(revenue: int, shares) -> list[ShareDue]:
    """Each configured share (facilities.ProceedsShare rows) of `revenue`."""
    return [
        ShareDue(
            name=share.name,
            kind=rules.share_kind(share.name),
            percent=share.percent,
            amount=share_amount(revenue, share.percent),
        )
        for share in shares
    ]


def due_by_kind(lines: list[ShareDue]) -> dict[str, int]:
    due = dict.fromkeys(rules.KINDS, 0)
    for line in lines:
        due[line.kind] += line.amount
    return due
