"""Listing mail: reviewers hear of submissions, facility staff of decisions.

catalog.services queues these on commit (catalog.tasks `queue_listing_*`), so a
rolled-back change sends nothing, and each mail is a retried task: a
mail server that is down is logged and retried, never an error for the
reviewer whose decision is already committed. Recipients are the staff
accounts (with an email address) of the facility, or the reviewers of its
region: who holds that scope (facilities.scoping.Scope.recipients).
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from catalog.models import ListingReview
from core.mail_once import mail_send_once
from facilities.scoping import Scope

log = logging.getLogger(__name__)


def _review(review_id: int) -> ListingReview:
    return ListingReview.objects.select_related(
        "product__facility__region", "product__category", "actor"
    ).get(pk=review_id)


def _send(template: str, review: ListingReview, recipients: list[str]) -> int:
    if not recipients:
        return 0
    product = review.product
    context = {
        "review": review,
        "product": product,
        "facility": product.facility,
        "admin_url": settings.SITE_URL + reverse("admin:catalog_product_change", args=[product.pk]),
        "queue_url": settings.SITE_URL + reverse("admin:catalog_reviewqueueitem_changelist"),
    }
    # Staff and reviewers read Indonesian, whatever language the actor's page was in.
    with translation.override("id"):
        subject = render_to_string(f"catalog/email/{template}_subject.txt", context)
        body = render_to_string(f"catalog/email/{template}.txt", context)
    try:
        # Once per review row and kind, however often the task runs (core.mail_once).
        sent = mail_send_once(
            key=f"catalog.{template}:{review.pk}",
            send=lambda: send_mail(" ".join(subject.split()), body, None, recipients),
        )
        return 1 if sent else 0
    except Exception:
        # Logged here, raised for the task to retry; the listing is committed.
        log.exception("listing mail failed: %s", " ".join(subject.split()))
        raise


def send_listing_submitted(*, review_id: int) -> int:
    """Tell the region's reviewers a listing waits in their queue."""
    review = _review(review_id)
    recipients = Scope.of_region(review.product.facility.region_id).recipients()
    return _send("listing_submitted", review, recipients)


def send_listing_decided(*, review_id: int) -> int:
    """Tell the facility's staff their listing was approved, sent back or rejected."""
    review = _review(review_id)
    recipients = Scope.of_facility(review.product.facility_id).recipients()
    return _send("listing_decided", review, recipients)
