"""The Kanwil's view of its facilities: work done on time and late this month.

Four kinds of work, each measured against the deadline its own rule sets
(never a second copy of the rule here):

- listings reviewed: the decision against its submission +
  catalog.services.listing.review_time() (the Kanwil's own work, counted
  against the facility whose listing waited);
- orders shipped: the "shipped" step against the order's payment (or start
  of work) + orders.selectors.ship_allowance() (the to-do list's pack + ship);
- complaints answered: answered_at against the stored answer_due_at
  (complaints' working-day rule); escalated unanswered this month count late;
- data requests answered: handled_at against the stored due_at (3x24 hours);
  requests still open past a due_at of this month count late.

One query per kind, grouped by facility (or region), whatever the number of
facilities or rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import ListingReview
from catalog.services.listing import review_time
from complaints.models import Complaint, ComplaintStatus
from facilities.models import Facility, Region
from facilities.scoping import Scope
from orders.models import OrderEvent, OrderStatus
from orders.privacy.models import PrivacyRequest
from orders.selectors import ship_allowance
from oversight.periods import add_months, month_start_at, this_month

A = ListingReview.Action
KINDS = [
    ("listings", _("Produk ditinjau")),
    ("shipped", _("Pesanan dikirim")),
    ("complaints", _("Keluhan dijawab")),
    ("privacy", _("Permintaan data dijawab")),
]


@dataclass
class Timeliness:
    id: int
    name: str
    # kind -> (on time, late)
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def cells(self) -> list[tuple[int, int]]:
        return [self.counts.get(key, (0, 0)) for key, _label in KINDS]

    @property
    def late(self) -> int:
        return sum(late for _on, late in self.counts.values())


def _grouped(queryset, path: str, by: str, on_time: Q, late: Q):
    group = f"{path}__region_id" if by == "region" else f"{path}_id"
    return (
        queryset.order_by()
        .values(unit=F(group))
        .annotate(on_time=Count("pk", filter=on_time), late=Count("pk", filter=late))
        .values_list("unit", "on_time", "late")
    )


def _listings(scope: Scope, start, end, by: str):
    submitted = Subquery(
        ListingReview.objects.filter(
            product=OuterRef("product"),
            action__in=[A.SUBMIT, A.CONTENT_CHANGED],
            created_at__lte=OuterRef("created_at"),
        )
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )
    decisions = scope.filter_facility_rows(
        ListingReview.objects.filter(
            action__in=[A.APPROVE, A.REQUEST_CHANGES, A.REJECT],
            created_at__gte=start,
            created_at__lt=end,
        ),
        "product__facility",
    ).annotate(submitted_at=submitted)
    late = Q(created_at__gt=F("submitted_at") + review_time())
    return _grouped(decisions, "product__facility", by, ~late | Q(submitted_at=None), late)


def _shipped(scope: Scope, start, end, by: str):
    # When the work could start: the order's first "paid" (or, on terms,
    # "processing") step.
    began = Subquery(
        OrderEvent.objects.filter(
            order=OuterRef("order"),
            to_status__in=[OrderStatus.PAID, OrderStatus.PROCESSING],
        )
        .order_by("created_at", "id")
        .values("created_at")[:1]
    )
    shipped = scope.filter_facility_rows(
        OrderEvent.objects.filter(
            to_status=OrderStatus.SHIPPED, created_at__gte=start, created_at__lt=end
        ),
        "order__facility",
    ).annotate(began_at=began)
    late = Q(created_at__gt=F("began_at") + ship_allowance())
    return _grouped(shipped, "order__facility", by, ~late | Q(began_at=None), late)


def _complaints(scope: Scope, start, end, by: str):
    answered = Q(answered_at__gte=start, answered_at__lt=end)
    missed = Q(
        answered_at=None,
        status__in=[ComplaintStatus.ESCALATED, ComplaintStatus.DECIDED],
        escalated_at__gte=start,
        escalated_at__lt=end,
    )
    rows = scope.filter_facility_rows(Complaint.objects.filter(answered | missed))
    on_time = answered & Q(answered_at__lte=F("answer_due_at"))
    return _grouped(rows, "facility", by, on_time, ~on_time)


def _privacy(scope: Scope, start, end, by: str):
    deletion = PrivacyRequest.objects.filter(kind=PrivacyRequest.Kind.DELETION)
    handled = Q(handled_at__gte=start, handled_at__lt=end) & ~Q(status=PrivacyRequest.Status.OPEN)
    still_open = Q(status=PrivacyRequest.Status.OPEN, due_at__gte=start, due_at__lt=end)
    rows = scope.filter_facility_rows(deletion.filter(handled | still_open), "order__facility")
    on_time = handled & Q(handled_at__lte=F("due_at"))
    # Open ones count late only once their deadline has passed.
    late = (handled & Q(handled_at__gt=F("due_at"))) | (still_open & Q(due_at__lt=timezone.now()))
    return _grouped(rows, "order__facility", by, on_time, late)


MEASURES = {
    "listings": _listings,
    "shipped": _shipped,
    "complaints": _complaints,
    "privacy": _privacy,
}


def timeliness(
    scope: Scope, *, by: str = "facility", month: date | None = None
) -> list[Timeliness]:
    """Per facility (by="facility") or region in `scope`: on time and late
    counts of each kind of work done in `month` (default: this month)."""
    month = month or this_month()
    start, end = month_start_at(month), month_start_at(add_months(month, 1))
    units = (
        Region.objects.filter(pk__in=scope.regions().values("pk"))
        if by == "region"
        else Facility.objects.filter(scope.facility_q())
    )
    rows = {u.pk: Timeliness(id=u.pk, name=u.name) for u in units.order_by("name").only("name")}
    for key, measure in MEASURES.items():
        for unit, on_time, late in measure(scope, start, end, by):
            if unit in rows:
                rows[unit].counts[key] = (on_time, late)
    return list(rows.values())


def rules_text() -> str:
    """The deadlines measured, in words, read from the rules themselves."""
    from django.utils.translation import gettext

    return gettext(
        "Batas waktu dari aturannya masing-masing: tinjauan produk %(review)s hari sejak "
        "diajukan, pengiriman %(ship)s hari sejak dibayar, jawaban keluhan sesuai batas hari "
        "kerjanya, permintaan hapus data sesuai batas 3x24 jam yang tercatat."
    ) % {"review": review_time().days, "ship": ship_allowance().days}
