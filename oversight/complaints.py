"""Complaints and refunds for the Kanwil and head-office dashboards, narrowed
to the user's scope: open complaints by age bucket and facility, escalations
waiting for a decision, and refunds recorded this month."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint, ComplaintStatus
from complaints.states import CLOSED
from facilities.scoping import Scope
from orders.payments.models import OrderRefund
from oversight.periods import month_start_at, this_month

# Upper bounds (days) of the age buckets; the last bucket is open-ended.
AGE_BUCKETS = [(2, _("0–2 hari")), (7, _("3–7 hari")), (30, _("8–30 hari")), (None, _("> 30 hari"))]


@dataclass
class ComplaintOverview:
    open_total: int = 0
    escalated_waiting: int = 0
    buckets: list[tuple[str, int]] = field(default_factory=list)
    by_facility: list[dict] = field(default_factory=list)
    refunds_amount: int = 0
    refunds_count: int = 0


def complaint_overview(scope: Scope, *, now: datetime | None = None) -> ComplaintOverview:
    """Four queries whatever the number of complaints."""
    now = now or timezone.now()
    open_rows = scope.filter_facility_rows(Complaint.objects.exclude(status__in=CLOSED))
    bucket_aggregates = {}
    lower = None
    for index, (upper, _label) in enumerate(AGE_BUCKETS):
        q = Q()
        if upper is not None:
            q &= Q(created_at__gt=now - timedelta(days=upper))
        if lower is not None:
            q &= Q(created_at__lte=now - timedelta(days=lower))
        bucket_aggregates[f"b{index}"] = Count("pk", filter=q)
        lower = upper
    counts = open_rows.aggregate(
        total=Count("pk"),
        escalated=Count("pk", filter=Q(status=ComplaintStatus.ESCALATED)),
        **bucket_aggregates,
    )
    by_facility = list(
        open_rows.values("facility__name")
        .annotate(
            open=Count("pk"),
            escalated=Count("pk", filter=Q(status=ComplaintStatus.ESCALATED)),
            oldest=Min("created_at"),
        )
        .order_by("oldest")[:20]
    )
    for row in by_facility:
        row["age_days"] = (now - row["oldest"]).days
    refunds = scope.filter_facility_rows(
        OrderRefund.objects.filter(created_at__gte=month_start_at(this_month())), "order__facility"
    ).aggregate(amount=Sum("amount"), count=Count("pk"))
    return ComplaintOverview(
        open_total=counts["total"],
        escalated_waiting=counts["escalated"],
        buckets=[(label, counts[f"b{i}"]) for i, (_u, label) in enumerate(AGE_BUCKETS)],
        by_facility=by_facility,
        refunds_amount=refunds["amount"] or 0,
        refunds_count=refunds["count"],
    )
