"""Reviews waiting for moderation in the inbox (facilities.inbox), due by
reviews.services.moderation_due_at."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from facilities.inbox import InboxItem, register_source
from reviews.models import ProductReview, ReviewStatus
from reviews.services import moderation_due_at, moderation_time

LABEL = _("Ulasan perlu dimoderasi")


def _rows(now):
    return (
        ProductReview.objects.filter(status=ReviewStatus.PENDING)
        .select_related("facility", "product")
        .order_by("created_at", "id")
    )


def _item(review, now) -> InboxItem:
    due = moderation_due_at(review.created_at)
    return InboxItem(
        kind="reviews",
        kind_label=str(LABEL),
        title=f"{review.rating}★ · {review.product.name}",
        url=reverse("admin:reviews_productreview_change", args=[review.pk]),
        deadline=due,
        overdue=due < now,
        facility=review.facility,
    )


def register() -> None:
    register_source(
        "reviews",
        label=LABEL,
        rows=_rows,
        late=lambda now: Q(created_at__lt=now - moderation_time()),
        item=_item,
        perm="reviews.view_productreview",
        position=40,
    )
