"""One pending piece of work of every kind for a facility (and its region),
written straight to the tables: what the inbox tests and browser journeys
expect each role to find. Returns {kind: row}."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from catalog.models import ListingStatus, OutletProduct
from complaints.models import Complaint, ComplaintStatus
from orders.models import OrderStatus, PaymentProof
from orders.privacy.models import PrivacyRequest
from quotes.models import QuoteRequest
from reviews.models import ProductReview
from tests.factories import PartnerOutletFactory, ProductFactory, make_order

FACILITY_KINDS = [
    "receipts",
    "to_pack",
    "to_ship",
    "pickups",
    "privacy",
    "complaints",
    "reviews",
    "quotes",
    "listings_sent_back",
    "consignment",
]
REGION_KINDS = ["listings_to_review", "complaints_escalated"]


def seed_work(facility, *, late: bool = False, tag: str = "") -> dict:
    """Every kind of work for `facility`; `late`: each already past its deadline."""
    now = timezone.now()
    ago = timedelta(days=10) if late else timedelta(minutes=5)
    product = ProductFactory(facility=facility, name=f"Kursi rotan {tag}{facility.pk}", stock=50)
    rows: dict = {}

    def order(status, **kw):
        return make_order(
            facility, status=status, lines=[(product, 1)], status_since=now - ago, **kw
        )

    rows["receipts"] = order(OrderStatus.AWAITING_PAYMENT)
    PaymentProof.objects.create(
        order=rows["receipts"], file="receipts/x.jpg", content_type="image/jpeg"
    )
    rows["to_pack"] = order(OrderStatus.PAID)
    rows["to_ship"] = order(OrderStatus.PROCESSING, shipping=20_000)
    rows["pickups"] = order(OrderStatus.READY_FOR_PICKUP)
    done = order(OrderStatus.COMPLETED)
    rows["privacy"] = PrivacyRequest.objects.create(
        order=done,
        kind=PrivacyRequest.Kind.DELETION,
        status=PrivacyRequest.Status.OPEN,
        created_at=now - ago,
        due_at=now - ago + timedelta(hours=72),
    )
    rows["complaints"] = Complaint.objects.create(
        order=done,
        facility=facility,
        reason="damaged",
        description="pecah",
        remedy_wanted="replacement",
        answer_due_at=now - timedelta(hours=1) if late else now + timedelta(days=3),
    )
    review = ProductReview.objects.create(
        order_line=done.lines.get(), product=product, facility=facility, rating=4, text="Bagus"
    )
    ProductReview.objects.filter(pk=review.pk).update(created_at=now - ago)
    rows["reviews"] = review
    rows["quotes"] = QuoteRequest.objects.create(
        facility=facility,
        buyer_organisation=f"Dinas Pendidikan {tag}{facility.pk}",
        buyer_npwp="0123456789012345",
        contact_name="Budi",
        contact_phone="+6281234567891",
        contact_email="budi@example.com",
        province="DKI Jakarta",
        city="Jakarta",
        street="Jl. Merdeka 1",
        needed_by=timezone.localdate() + timedelta(days=-1 if late else 14),
    )
    rows["listings_sent_back"] = ProductFactory(
        facility=facility,
        name=f"Meja jati {tag}{facility.pk}",
        status=ListingStatus.CHANGES_REQUESTED,
    )
    outlet = PartnerOutletFactory(
        facility=facility,
        agreement_start=timezone.localdate() - timedelta(days=60),
        agreement_end=timezone.localdate() + timedelta(days=-1 if late else 7),
    )
    rows["consignment"] = OutletProduct.objects.create(outlet=outlet, product=product, on_hand=3)
    rows["listings_to_review"] = ProductFactory(
        facility=facility,
        name=f"Lemari {tag}{facility.pk}",
        status=ListingStatus.PENDING_REVIEW,
        submitted_at=now - ago,
    )
    rows["complaints_escalated"] = Complaint.objects.create(
        order=order(OrderStatus.COMPLETED),
        facility=facility,
        status=ComplaintStatus.ESCALATED,
        reason="late",
        description="tidak dijawab",
        remedy_wanted="replacement",
        answer_due_at=now - timedelta(days=1),
        escalated_at=now - timedelta(hours=2),
    )
    return rows
