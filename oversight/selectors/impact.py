"""The public impact page: aggregates per region and month, nothing about a person.

Rupiah come from the proceeds app: sales by proceeds.sales (the rule the sales
report and the ledger share), premi and PNBP from the ledger's entries (by the
month of sales they settle), people from the programmes' monthly headcounts.
A cell built from fewer than proceeds.rules.SMALL_CELL people (premi, people)
or sales (rupiah, PNBP) is hidden, and national figures add only the cells
shown (plus the hidden ones together when they pass the threshold), so no
hidden cell can be worked out by subtraction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, DateField, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from catalog.models import ConsignmentMovement, Product
from facilities.models import Facility, Region
from orders.models import Order, OrderLine, OrderStatus
from oversight.selectors.common import SALE_STATUSES, _int
from proceeds import rules
from proceeds.models import LedgerEntry, ProgrammeMonth
from proceeds.months import add_months, month_start_at, months_between
from proceeds.sales import sales_by_facility_month

IMPACT_MONTHS = 12
SMALL_CELL = rules.SMALL_CELL


@dataclass
class ImpactRow:
    name: str
    facilities: int = 0
    products: int = 0
    items_sold: int = 0
    orders_completed: int = 0
    items_bar: int = 0  # items sold as a percentage of the best region's, for the bar
    months: list[MonthCell] = field(default_factory=list)


@dataclass
class MonthCell:
    """One region's (or the nation's) month. None means hidden (too few)."""

    month: date
    sales: int | None = 0
    premi: int | None = 0
    pnbp: int | None = 0
    people: int | None = 0
    programmes: int = 0
    products: int = 0  # distinct products sold through the web shop
    # Raw counts, never shown: what decides whether a figure may be.
    transactions: int = 0
    raw_people: int = 0
    raw: dict = field(default_factory=dict)


@dataclass
class Impact:
    regions: list[ImpactRow]
    national: ImpactRow
    months: list[date]
    trend: list[MonthCell]  # the nation per month
    enterprise_sales: list[tuple[date, int | None]]  # Bapas clients' own shops, apart
    small_cell: int = SMALL_CELL


def _empty(month: date) -> MonthCell:
    return MonthCell(month=month, raw={"sales": 0, "premi": 0, "pnbp": 0})


def _hide(cell: MonthCell) -> MonthCell:
    """Blank what too few people or sales would make countable. Nothing at
    all is shown as nothing (a zero names no one); premi paid with no
    headcount recorded is hidden, since nobody can tell how few shared it."""
    enough_sales = cell.transactions >= SMALL_CELL
    enough_people = cell.raw_people >= SMALL_CELL
    cell.sales = cell.raw["sales"] if enough_sales or not cell.transactions else None
    cell.pnbp = cell.raw["pnbp"] if enough_sales or not cell.raw["pnbp"] else None
    cell.premi = cell.raw["premi"] if enough_people or not cell.raw["premi"] else None
    cell.people = cell.raw_people if enough_people or not cell.raw_people else None
    return cell


def _national(month: date, cells: list[MonthCell]) -> MonthCell:
    """The nation's month: shown cells, plus the hidden ones together when
    they together pass the threshold (else left out, so none can be derived)."""
    total = MonthCell(month=month)
    total.programmes = sum(c.programmes for c in cells)
    total.products = sum(c.products for c in cells)
    for measure, count_of in (("sales", "transactions"), ("pnbp", "transactions")):
        shown = sum(getattr(c, measure) or 0 for c in cells)
        hidden = [c for c in cells if getattr(c, measure) is None]
        if sum(getattr(c, count_of) for c in hidden) >= SMALL_CELL:
            shown += sum(c.raw[measure] for c in hidden)
        setattr(total, measure, shown)
    shown_people = sum(c.people or 0 for c in cells)
    shown_premi = sum(c.premi or 0 for c in cells)
    hidden = [c for c in cells if c.people is None]
    if sum(c.raw_people for c in hidden) >= SMALL_CELL:
        shown_people += sum(c.raw_people for c in hidden)
        shown_premi += sum(c.raw["premi"] for c in hidden)
    total.people, total.premi = shown_people, shown_premi
    return total


def _counts(regions: dict[int, ImpactRow]) -> None:
    """Facilities, public products, items sold and completed orders (all time)."""
    for row in (
        Facility.objects.filter(is_active=True)
        .exclude(kind=Facility.Kind.ENTERPRISE)
        .values("region")
        .annotate(n=Count("id"))
    ):
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


def public_impact(today: date | None = None) -> Impact:
    """Per region and month (the last IMPACT_MONTHS), and nationally: sales in
    rupiah (every channel), premi paid, PNBP deposited, programmes and people
    in them, products sold; plus the all-time counts. Aggregates only.
    A dozen queries whatever the rows (one more per registered sales channel)."""
    last = (today or timezone.localdate()).replace(day=1)
    first = add_months(last, -(IMPACT_MONTHS - 1))
    months = months_between(first, last)
    regions = {
        region_id: ImpactRow(name=name)
        for region_id, name in Region.objects.order_by("name").values_list("id", "name")
    }
    _counts(regions)
    facilities = {
        pk: (region_id, kind)
        for pk, region_id, kind in Facility.objects.values_list("id", "region_id", "kind")
    }
    cells: dict[tuple[int, date], MonthCell] = {}

    def cell(region_id: int, month: date) -> MonthCell:
        if (region_id, month) not in cells:
            cells[(region_id, month)] = _empty(month)
        return cells[(region_id, month)]

    enterprise: dict[date, list[int]] = {month: [0, 0] for month in months}
    for (facility_id, month), sales in sales_by_facility_month(first, last).items():
        region_id, kind = facilities.get(facility_id, (None, None))
        if region_id is None or month not in enterprise:
            continue
        if kind == Facility.Kind.ENTERPRISE:
            enterprise[month][0] += sales.total
            enterprise[month][1] += sales.transactions
            continue
        target = cell(region_id, month)
        target.raw["sales"] += sales.total
        target.transactions += sales.transactions
    for item in (
        LedgerEntry.objects.filter(
            kind__in=[rules.PREMI, rules.PNBP], ledger__month__gte=first, ledger__month__lte=last
        )
        .exclude(facility__kind=Facility.Kind.ENTERPRISE)
        .values("facility__region", "ledger__month", "kind")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        target = cell(item["facility__region"], item["ledger__month"])
        target.raw[item["kind"]] += _int(item["total"])
    for item in (
        ProgrammeMonth.objects.filter(month__gte=first, month__lte=last, participants__gt=0)
        .exclude(programme__facility__kind=Facility.Kind.ENTERPRISE)
        .values("programme__facility__region", "month")
        .annotate(programmes=Count("id"), people=Sum("participants"))
        .order_by()
    ):
        target = cell(item["programme__facility__region"], item["month"])
        target.programmes = item["programmes"]
        target.raw_people = _int(item["people"])
    for item in (
        OrderLine.objects.filter(
            order__status__in=SALE_STATUSES,
            order__created_at__gte=month_start_at(first),
            order__created_at__lt=month_start_at(add_months(last, 1)),
        )
        .exclude(order__facility__kind=Facility.Kind.ENTERPRISE)
        .annotate(month=TruncMonth("order__created_at", output_field=DateField()))
        .values("order__facility__region", "month")
        .annotate(n=Count("product", distinct=True, filter=Q(product__isnull=False)))
        .order_by()
    ):
        cell(item["order__facility__region"], item["month"]).products = item["n"]
    for found in cells.values():
        _hide(found)
    for region_id, row in regions.items():
        row.months = [cells.get((region_id, month)) or _hide(_empty(month)) for month in months]
    shown = [
        row
        for row in regions.values()
        if row.facilities
        or row.products
        or row.items_sold
        or row.orders_completed
        or any(c.transactions or c.raw_people for c in row.months)
    ]
    top = max([row.items_sold for row in shown] + [1])
    for row in shown:
        row.items_bar = round(100 * row.items_sold / top)
    trend = [
        _national(month, [row.months[index] for row in regions.values()])
        for index, month in enumerate(months)
    ]
    national = ImpactRow(
        name="",
        facilities=sum(row.facilities for row in shown),
        products=sum(row.products for row in shown),
        items_sold=sum(row.items_sold for row in shown),
        orders_completed=sum(row.orders_completed for row in shown),
        months=trend,
    )
    return Impact(
        regions=shown,
        national=national,
        months=months,
        trend=trend,
        enterprise_sales=[
            (month, amount if count >= SMALL_CELL else None)
            for month, (amount, count) in enterprise.items()
        ],
    )
