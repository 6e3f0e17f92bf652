"""What the catalog puts in the inbox (facilities.inbox): listings the Kanwil
sent back (for the facility), listings waiting for review (for the Kanwil,
due by catalog.services.listing.review_due_at), and consignment stock still
at an outlet whose agreement has ended (to take back or settle)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import ListingStatus, OutletProduct, Product
from catalog.services.listing import review_due_at, review_time
from facilities.inbox import REVIEWER, InboxItem, register_source

SENT_BACK = _("Produk dikembalikan Kanwil")
TO_REVIEW = _("Produk perlu ditinjau")
CONSIGNMENT = _("Titipan perlu diselesaikan")


def _sent_back_rows(now):
    return (
        Product.objects.filter(status=ListingStatus.CHANGES_REQUESTED)
        .select_related("facility")
        .order_by("updated_at", "id")
    )


def _sent_back_item(product, now) -> InboxItem:
    return InboxItem(
        kind="listings_sent_back",
        kind_label=str(SENT_BACK),
        title=product.name,
        url=reverse("admin:catalog_product_change", args=[product.pk]),
        deadline=None,
        overdue=False,
        facility=product.facility,
    )


def _review_rows(now):
    return Product.objects.review_queue().select_related("facility")


def _review_item(product, now) -> InboxItem:
    due = review_due_at(product.submitted_at) if product.submitted_at else None
    return InboxItem(
        kind="listings_to_review",
        kind_label=str(TO_REVIEW),
        title=product.name,
        url=reverse("admin:catalog_product_review", args=[product.pk]),
        deadline=due,
        overdue=due is not None and due < now,
        facility=product.facility,
    )


# Consignment stock comes up this long before its outlet's agreement ends, so
# it is taken back or settled while the outlet may still hand it over.
CONSIGNMENT_NOTICE = timedelta(days=14)


def _consignment_rows(now):
    # Goods at an outlet whose agreement ends soon or has ended, or that was
    # switched off: the outlet may not go on selling them.
    today = timezone.localdate(now)
    return (
        OutletProduct.objects.filter(on_hand__gt=0)
        .filter(
            Q(outlet__agreement_end__lte=today + CONSIGNMENT_NOTICE) | Q(outlet__is_active=False)
        )
        .select_related("outlet__facility", "product")
        .order_by("outlet__agreement_end", "id")
    )


def _consignment_item(link, now) -> InboxItem:
    end = link.outlet.agreement_end
    due = timezone.make_aware(datetime.combine(end, time.max)) if end else None
    return InboxItem(
        kind="consignment",
        kind_label=str(CONSIGNMENT),
        title=f"{link.on_hand} × {link.product.name} · {link.outlet.name}",
        url=reverse("admin:facilities_partneroutlet_change", args=[link.outlet_id]),
        deadline=due,
        overdue=not link.outlet.is_active or (due is not None and due < now),
        facility=link.outlet.facility,
    )


def register() -> None:
    register_source(
        "listings_sent_back",
        label=SENT_BACK,
        rows=_sent_back_rows,
        late=None,
        item=_sent_back_item,
        perm="catalog.change_product",
        position=60,
    )
    register_source(
        "listings_to_review",
        label=TO_REVIEW,
        rows=_review_rows,
        late=lambda now: Q(submitted_at__lt=now - review_time()),
        item=_review_item,
        workers={REVIEWER},
        perm="catalog.review_product",
        position=5,
    )
    register_source(
        "consignment",
        label=CONSIGNMENT,
        rows=_consignment_rows,
        late=lambda now: (
            Q(outlet__agreement_end__lt=timezone.localdate(now)) | Q(outlet__is_active=False)
        ),
        item=_consignment_item,
        facility_path="outlet__facility",
        perm="facilities.view_partneroutlet",
        position=70,
    )
