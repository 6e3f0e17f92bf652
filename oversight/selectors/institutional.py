"""Institutional buyers: receivables (orders delivered on terms, not yet paid)
and open quotes, per scope. A few grouped queries each, never a loop over rows.

What a receivable is lives in orders.states (is_receivable); the filter here is
its queryset twin and is tested against it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from facilities.scoping import Scope
from orders.models import Order
from orders.states import RECEIVABLE
from oversight.selectors.common import _int
from quotes.models import Quote, QuoteRequest, QuoteStatus, RequestStatus

OPEN_REQUEST_STATUSES = (
    RequestStatus.OPEN,
    RequestStatus.QUOTED,
    RequestStatus.CHANGE_REQUESTED,
)


def receivable_q(prefix: str = "") -> Q:
    """Orders on pay-after-delivery terms, shipped or delivered, unpaid."""
    return Q(
        **{
            f"{prefix}payment_terms_days__isnull": False,
            f"{prefix}paid_at__isnull": True,
            f"{prefix}status__in": list(RECEIVABLE),
        }
    )


def overdue_q(today: date, prefix: str = "") -> Q:
    return receivable_q(prefix) & Q(**{f"{prefix}payment_due_date__lt": today})


def receivables(scope: Scope) -> QuerySet[Order]:
    return scope.filter_facility_rows(Order.objects.filter(receivable_q()))


@dataclass
class ReceivableSummary:
    count: int = 0
    amount: int = 0
    overdue_count: int = 0
    overdue_amount: int = 0
    overdue: list[Order] = field(default_factory=list)


def receivable_summary(scope: Scope, *, today: date | None = None, limit: int = 10):
    """Open and overdue receivables of the scope (two queries), the most
    overdue listed first with their facility, for a dashboard."""
    today = today or timezone.localdate()
    figures = receivables(scope).aggregate(
        count=Count("id"),
        amount=Sum("total"),
        overdue_count=Count("id", filter=Q(payment_due_date__lt=today)),
        overdue_amount=Sum("total", filter=Q(payment_due_date__lt=today)),
    )
    overdue = list(
        receivables(scope)
        .filter(payment_due_date__lt=today)
        .select_related("facility")
        .only(
            "id",
            "code",
            "total",
            "payment_due_date",
            "buyer_organisation",
            "status",
            "facility__name",
        )
        .order_by("payment_due_date", "id")[:limit]
    )
    return ReceivableSummary(
        count=_int(figures["count"]),
        amount=_int(figures["amount"]),
        overdue_count=_int(figures["overdue_count"]),
        overdue_amount=_int(figures["overdue_amount"]),
        overdue=overdue,
    )


@dataclass
class InstitutionalRow:
    open_requests: int = 0
    quotes_out: int = 0  # sent, awaiting the buyer
    quotes_out_value: int = 0
    receivables: int = 0
    receivables_amount: int = 0
    overdue: int = 0
    overdue_amount: int = 0


def institutional_by_facility(
    scope: Scope, *, facility_ids: list[int], today: date | None = None
) -> dict[int, InstitutionalRow]:
    """Per facility: open quote requests, quotes awaiting the buyer (and their
    value), receivables and overdue receivables (three grouped queries)."""
    today = today or timezone.localdate()
    rows = {fid: InstitutionalRow() for fid in facility_ids}
    requests = scope.filter_facility_rows(
        QuoteRequest.objects.filter(facility_id__in=facility_ids, status__in=OPEN_REQUEST_STATUSES)
    )
    for item in requests.values("facility_id").annotate(n=Count("id")):
        rows[item["facility_id"]].open_requests = item["n"]
    quotes = scope.filter_facility_rows(
        Quote.objects.filter(
            request__facility_id__in=facility_ids,
            status=QuoteStatus.SENT,
            valid_until__gte=today,
        ),
        "request__facility",
    )
    for item in quotes.values("request__facility_id").annotate(n=Count("id"), v=Sum("total")):
        row = rows[item["request__facility_id"]]
        row.quotes_out, row.quotes_out_value = item["n"], _int(item["v"])
    owed = receivables(scope).filter(facility_id__in=facility_ids)
    for item in owed.values("facility_id").annotate(
        n=Count("id"),
        v=Sum("total"),
        on=Count("id", filter=Q(payment_due_date__lt=today)),
        ov=Sum("total", filter=Q(payment_due_date__lt=today)),
    ):
        row = rows[item["facility_id"]]
        row.receivables, row.receivables_amount = item["n"], _int(item["v"])
        row.overdue, row.overdue_amount = item["on"], _int(item["ov"])
    return rows
