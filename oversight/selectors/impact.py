"""The public impact page: aggregates per region, nothing about a person."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Count,
    F,
    Sum,
)

from catalog.models import ConsignmentMovement, Product
from facilities.models import Facility, Region
from orders.models import Order, OrderLine, OrderStatus
from oversight.selectors.common import SALE_STATUSES, _int

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
