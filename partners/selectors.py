"""What a partner's desk reads: the login's partner, an outlet's holdings,
hand-overs to acknowledge, and what it owes per month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import BigIntegerField, DateField, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Cast, Coalesce, TruncMonth

from catalog.models import ConsignmentMovement, OutletProduct
from facilities.models import PartnerOutlet
from partners.models import OutletPayment, PackagingRequest, PartnerAccount


def partner_account_for(user) -> PartnerAccount | None:
    """The partner login behind `user`, if it is one and may still act: the
    user active, and its outlet (with the facility) active. None otherwise."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    account = (
        PartnerAccount.objects.select_related(
            "user", "outlet", "outlet__facility", "packaging_house"
        )
        .filter(user=user)
        .first()
    )
    if account is None:
        return None
    if account.outlet is not None and not (
        account.outlet.is_active and account.outlet.facility.is_active
    ):
        return None
    if account.packaging_house is not None and not account.packaging_house.is_active:
        return None
    return account


def holdings(outlet: PartnerOutlet) -> QuerySet[OutletProduct]:
    """The outlet's products with consignment stock or sales, by name."""
    return (
        OutletProduct.objects.filter(outlet=outlet)
        .filter(Q(on_hand__gt=0) | Q(sold__gt=0))
        .select_related("product")
        .order_by("product__name")
    )


def pending_handovers(outlet: PartnerOutlet) -> QuerySet[ConsignmentMovement]:
    """Hand-overs the outlet has not yet confirmed receiving."""
    return (
        ConsignmentMovement.objects.filter(
            link__outlet=outlet, kind=ConsignmentMovement.Kind.HANDOVER, receipt__isnull=True
        )
        .select_related("link__product")
        .order_by("occurred_on", "id")
    )


def recent_movements(outlet: PartnerOutlet, limit: int = 20) -> list[ConsignmentMovement]:
    return list(
        ConsignmentMovement.objects.filter(link__outlet=outlet)
        .select_related("link__product", "receipt")
        .order_by("-occurred_on", "-id")[:limit]
    )


@dataclass
class MonthOwed:
    month: date
    items: int
    sold: int  # rupiah: pieces x price per piece, as reported
    confirmed: int  # rupiah the facility confirmed received for that month
    waiting: int  # rupiah the outlet says it paid, not yet confirmed

    @property
    def owed(self) -> int:
        return self.sold - self.confirmed


def owed_by_month(outlet_ids) -> dict[int, list[MonthOwed]]:
    """Per outlet, newest month first: what it sold (sold x price per piece,
    by the day it sold) and what the facility confirmed received for that
    month. Two queries whatever the number of outlets and months."""
    outlet_ids = list(outlet_ids)
    sold_rows = (
        ConsignmentMovement.objects.filter(
            link__outlet_id__in=outlet_ids, kind=ConsignmentMovement.Kind.SOLD
        )
        .annotate(month=TruncMonth("occurred_on", output_field=DateField()))
        .values("link__outlet_id", "month")
        .annotate(
            items=Sum("quantity"),
            # bigint: many pieces at a high price overflow a PostgreSQL integer.
            amount=Sum(Cast("quantity", BigIntegerField()) * F("unit_price")),
        )
        .order_by()
    )
    paid_rows = (
        OutletPayment.objects.filter(outlet_id__in=outlet_ids)
        .exclude(status=OutletPayment.Status.REJECTED)
        .values("outlet_id", "month", "status")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    found: dict[tuple[int, date], MonthOwed] = {}

    def entry(outlet_id, month):
        return found.setdefault((outlet_id, month), MonthOwed(month, 0, 0, 0, 0))

    for row in sold_rows:
        one = entry(row["link__outlet_id"], row["month"])
        one.items = int(row["items"] or 0)
        one.sold = int(row["amount"] or 0)
    for row in paid_rows:
        one = entry(row["outlet_id"], row["month"])
        if row["status"] == OutletPayment.Status.CONFIRMED:
            one.confirmed += int(row["amount"] or 0)
        else:
            one.waiting += int(row["amount"] or 0)
    result: dict[int, list[MonthOwed]] = {pk: [] for pk in outlet_ids}
    for (outlet_id, _month), one in sorted(found.items(), key=lambda kv: kv[0][1], reverse=True):
        result[outlet_id].append(one)
    return result


def payments_of(outlet: PartnerOutlet, limit: int = 12) -> list[OutletPayment]:
    return list(OutletPayment.objects.filter(outlet=outlet).order_by("-created_at")[:limit])


def house_requests(account: PartnerAccount) -> QuerySet[PackagingRequest]:
    """A packaging house's requests, newest first, with their facility and product."""
    return (
        PackagingRequest.objects.filter(house_id=account.packaging_house_id)
        .select_related("facility", "product")
        .prefetch_related("proposals")
        .order_by("-created_at")
    )


def with_owed_totals(outlets: QuerySet) -> QuerySet:
    """Outlets annotated with all-time `sold_amount`, `confirmed_amount` and
    `waiting_amount` (rupiah), each a subquery, so a list of outlets stays one
    query whatever its length."""
    sold = (
        ConsignmentMovement.objects.filter(
            link__outlet=OuterRef("pk"), kind=ConsignmentMovement.Kind.SOLD
        )
        .values("link__outlet")
        .annotate(total=Sum(Cast("quantity", BigIntegerField()) * F("unit_price")))
        .values("total")
    )

    def paid(status):
        return (
            OutletPayment.objects.filter(outlet=OuterRef("pk"), status=status)
            .values("outlet")
            .annotate(total=Sum("amount"))
            .values("total")
        )

    return outlets.annotate(
        sold_amount=Coalesce(Subquery(sold), 0, output_field=BigIntegerField()),
        confirmed_amount=Coalesce(
            Subquery(paid(OutletPayment.Status.CONFIRMED)), 0, output_field=BigIntegerField()
        ),
        waiting_amount=Coalesce(
            Subquery(paid(OutletPayment.Status.REPORTED)), 0, output_field=BigIntegerField()
        ),
    )
