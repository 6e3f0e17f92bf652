"""Reads of the stand till: the phone's product list, the recent sales, the
event report (scoped), and the sales channel rows for the reports."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from catalog.barcode_value import product_barcode
from catalog.models import Product
from core.sales_channels import ChannelSales
from facilities.models import Exhibition
from facilities.scoping import scope_for
from stand import access
from stand.models import DayClose, PaymentKind, Sale, SaleLine, SetAside, Till

RECENT_SALES = 30


def channel_rows(
    first_day: date, last_day: date, facility_ids: Iterable[int] | None
) -> list[ChannelSales]:
    """core.sales_channels reader: counted stand sales per facility and WIB day."""
    lines = SaleLine.objects.filter(
        sale__status=Sale.Status.RECORDED, sale__day__gte=first_day, sale__day__lte=last_day
    )
    if facility_ids is not None:
        lines = lines.filter(sale__till__facility_id__in=list(facility_ids))
    rows = (
        lines.values("sale__till__facility_id", "sale__day")
        .annotate(items=Sum("quantity"), revenue=Sum(F("quantity") * F("unit_price")))
        .order_by("sale__till__facility_id", "sale__day")
    )
    return [
        ChannelSales(
            facility_id=row["sale__till__facility_id"],
            day=row["sale__day"],
            items=row["items"] or 0,
            revenue=row["revenue"] or 0,
        )
        for row in rows
    ]


def till_for(user, till_id: int) -> Till | None:
    """The till if `user` may sell at it, else None (the page answers 404)."""
    till = Till.objects.select_related("exhibition", "facility").filter(pk=till_id).first()
    if till is None or not access.may_sell(user, till):
        return None
    return till


def tills_for_staff(user) -> QuerySet[Till]:
    return (
        scope_for(user)
        .filter_facility_rows(Till.objects.select_related("exhibition", "facility"))
        .order_by("-exhibition__starts_on", "pk")
    )


def exhibitions_to_open(user) -> list[tuple[Exhibition, object]]:
    """Events not over where the user's facility shows (organiser or
    participant) and it has no till yet: (event, facility) pairs."""
    scope = scope_for(user)
    if not scope.is_facility_staff:
        return []
    today = timezone.localdate()
    events = (
        Exhibition.objects.filter(ends_on__gte=today)
        .filter(Q(facility_id=scope.facility_id) | Q(participants__id=scope.facility_id))
        .exclude(tills__facility_id=scope.facility_id)
        .distinct()
        .order_by("starts_on")
    )
    facility = scope.facilities().first()
    return [(event, facility) for event in events]


def till_products(till: Till) -> list[dict]:
    """The phone's product list: what the stand holds and has left."""
    rows = SetAside.objects.filter(till=till).select_related("product").order_by("product__name")
    return [
        {
            "id": row.product_id,
            "name": row.product.name,
            "price": row.product.price,
            "barcode": product_barcode(row.product_id),
            "left": row.left,
            "set_aside": row.set_aside,
            "sold": row.sold,
        }
        for row in rows
    ]


def recent_sales(till: Till, limit: int = RECENT_SALES) -> list[Sale]:
    return list(
        Sale.objects.filter(till=till)
        .prefetch_related("lines")
        .order_by("-received_at", "-pk")[:limit]
    )


def flagged_sales(till: Till) -> QuerySet[Sale]:
    return Sale.objects.filter(
        till=till, status__in=(Sale.Status.NEEDS_CHECK, Sale.Status.REFUSED)
    ).prefetch_related("lines")


def sale_of_till(till: Till, client_uuid) -> Sale | None:
    return (
        Sale.objects.filter(till=till, client_uuid=client_uuid)
        .prefetch_related("lines", "qris_charges")
        .first()
    )


def closings(till: Till) -> QuerySet[DayClose]:
    return DayClose.objects.filter(till=till).order_by("day")


def report_tills(user, exhibition: Exhibition) -> QuerySet[Till]:
    """The event's tills this person may read: the facility's own staff, its
    Kanwil's reviewers, head office (facilities.scoping)."""
    return scope_for(user).filter_facility_rows(
        Till.objects.filter(exhibition=exhibition).select_related("facility")
    )


def event_report(tills: QuerySet[Till]) -> dict:
    """Counted sales of the tills per product, per payment kind, per day."""
    lines = SaleLine.objects.filter(sale__till__in=tills, sale__status=Sale.Status.RECORDED)
    sales = Sale.objects.filter(till__in=tills, status=Sale.Status.RECORDED)
    amount = Sum(F("quantity") * F("unit_price"))
    return {
        "by_product": list(
            lines.values("product_id", "name", "sale__till__facility__name")
            .annotate(items=Sum("quantity"), revenue=amount)
            .order_by("-revenue", "name")
        ),
        "by_payment": [
            {**row, "label": PaymentKind(row["payment"]).label}
            for row in sales.values("payment")
            .annotate(sales=Count("pk"), revenue=Sum("total"))
            .order_by("payment")
        ],
        "by_day": list(
            sales.values("day").annotate(sales=Count("pk"), revenue=Sum("total")).order_by("day")
        ),
        "total": sales.aggregate(total=Sum("total"))["total"] or 0,
        "flagged": Sale.objects.filter(
            till__in=tills, status__in=(Sale.Status.NEEDS_CHECK, Sale.Status.REFUSED)
        ).count(),
    }


def products_to_set_aside(exhibition: Exhibition, facility) -> list:
    """The facility's products on show at the event, or (none linked) its
    public products with ready stock; made-to-order ones hold no stock."""
    base = Product.objects.public().filter(facility=facility, made_to_order=False)
    shown = base.filter(exhibition_links__exhibition=exhibition)
    chosen = shown if shown.exists() else base.filter(stock__gt=0)
    return list(chosen.order_by("name"))
