"""Review figures for the Kanwil and head-office dashboards, scoped like the rest."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Avg, Count, Q
from django.utils import timezone

from facilities.models import Facility
from facilities.scoping import Scope
from reviews.models import ProductReview, ReviewStatus

# Age buckets (days) for reviews waiting for moderation.
AGE_BUCKETS = [(0, 2), (3, 6), (7, None)]


def ratings_by_facility(scope: Scope) -> list[Facility]:
    """Facilities in scope with published reviews: .avg_rating and .review_count."""
    published = Q(product_reviews__status=ReviewStatus.PUBLISHED)
    return list(
        Facility.objects.filter(scope.facility_q())
        .annotate(
            review_count=Count("product_reviews", filter=published),
            avg_rating=Avg("product_reviews__rating", filter=published),
        )
        .filter(review_count__gt=0)
        .order_by("avg_rating", "name")
    )


def pending_by_age(scope: Scope, *, now: datetime | None = None) -> list[dict]:
    """Reviews waiting for moderation, counted by how many days they have waited."""
    now = now or timezone.now()
    pending = scope.filter_facility_rows(
        ProductReview.objects.filter(status=ReviewStatus.PENDING)
    ).values_list("created_at", flat=True)
    rows = [{"low": low, "high": high, "count": 0} for low, high in AGE_BUCKETS]
    for created_at in pending:
        days = (now - created_at).days
        for row in rows:
            if days >= row["low"] and (row["high"] is None or days <= row["high"]):
                row["count"] += 1
                break
    return rows
