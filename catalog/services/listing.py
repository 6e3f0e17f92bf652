"""The listing status machine: the TRANSITIONS table, checked in one place
(`_transition`), the four-eyes rules (`_check_scope`), the review checklist
and the snapshot a reviewer's diff compares."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog import tasks
from catalog.models import (
    ListingReview,
    ListingStatus,
    Product,
)
from core.money import format_rupiah
from facilities.scoping import home_facility_id, scope_for

S = ListingStatus
A = ListingReview.Action


def review_time() -> timedelta:
    """How long a submitted listing may wait for the Kanwil's decision:
    LISTING_REVIEW_DAYS (default 3). Read by the inbox (late listings reach
    head office) and the Kanwil's on-time figures; nothing else decides it."""
    return timedelta(days=getattr(settings, "LISTING_REVIEW_DAYS", 3))


def review_due_at(submitted_at):
    return submitted_at + review_time()


# action -> (statuses it may start from, status it leads to). The whole machine.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    A.SUBMIT: (frozenset({S.DRAFT, S.CHANGES_REQUESTED}), S.PENDING_REVIEW),
    A.APPROVE: (frozenset({S.PENDING_REVIEW}), S.APPROVED),
    A.REQUEST_CHANGES: (frozenset({S.PENDING_REVIEW}), S.CHANGES_REQUESTED),
    A.REJECT: (frozenset({S.PENDING_REVIEW}), S.REJECTED),
    A.ARCHIVE: (frozenset({S.APPROVED}), S.ARCHIVED),
    # Not a person's choice: an approved listing whose public content changed.
    A.CONTENT_CHANGED: (frozenset({S.APPROVED}), S.PENDING_REVIEW),
}

# What the public reads on the strength of a reviewer's approval: a change to
# any of these sends an approved listing back to review (photos too, through
# the photo services below). The one list: product_update and the admin's
# warning both read it.
#
# The food fields are claims the product page prints and the reviewer's
# checklist vouches for ("Nomor P-IRT/BPOM tercantum", "Kemasan dan label
# memadai"): a P-IRT or BPOM number, a halal certificate number and a shelf
# life are what a shopper trusts before eating the product, and a number
# swapped or added after approval would be shown unchecked. Price and stock
# never need review, nor what runs the sale from day to day (unit, minimum
# order, made to order and lead time, weight and size, local only): those
# change with the workshop's output and the market, and misstating them costs
# a shopper a refund, not their health or faith.
REVIEWED_FIELDS: tuple[str, ...] = (
    "name",
    "description",
    "category",
    "food_registration",
    "halal_certificate",
    "shelf_life_days",
    # Printed on the food label beside the numbers above (catalog/labels.py).
    "composition",
    "net_content",
)

# Fields a product service may write; anything else passed in is refused, so
# a caller cannot slip status, facility or approved_at through product_update.
# Stock is not among them: it is its own argument, written by catalog.stock.
EDITABLE_FIELDS = frozenset(
    {
        "category",
        "name",
        "description",
        "price",
        "unit",
        "min_order_quantity",
        "made_to_order",
        "lead_time_days",
        "weight_grams",
        "length_cm",
        "width_cm",
        "height_cm",
        "local_only",
        "food_registration",
        "halal_certificate",
        "shelf_life_days",
        "composition",
        "net_content",
        "is_featured",
    }
)

# The reviewer's checklist: key -> label. "food_registration" only counts for food.
CHECKLIST: dict[str, Any] = {
    "photos_clear": gettext_lazy("Foto jelas dan tidak menampilkan orang"),
    "description_honest": gettext_lazy("Deskripsi lengkap dan jujur"),
    "price_unit_sensible": gettext_lazy("Harga dan satuan wajar"),
    "food_registration": gettext_lazy("Nomor P-IRT/BPOM tercantum (produk makanan)"),
    "packaging_label": gettext_lazy("Kemasan dan label memadai"),
}


class ListingError(Exception):
    """A refused change to a listing; str(error) is an Indonesian message."""


class ListingTransitionError(ListingError):
    """The listing's status does not allow this step, or a precondition is missing."""


class ListingPermissionError(ListingError):
    """The actor may not take this step on this listing."""


class PhotoGoneError(ListingError):
    """The photo was deleted meanwhile (a double click, a second tab)."""


def required_checklist_keys(product: Product) -> list[str]:
    keys = [key for key in CHECKLIST if key != "food_registration"]
    if product.is_food:
        keys.insert(3, "food_registration")
    return keys


def _check_scope(actor, product: Product, *, review: bool = False) -> None:
    """Refuse an actor outside the product's facility/region, or without the role;
    for a review step also anyone who works at the product's own facility.

    actor=None is the system itself (seeds, management commands).
    """
    if actor is None:
        return
    scope = scope_for(actor)
    if not scope.filter_facility_rows(Product.objects.filter(pk=product.pk)).exists():
        raise ListingPermissionError(_("Anda tidak berwenang atas produk ini."))
    if review and home_facility_id(actor) == product.facility_id:
        # Four eyes: whatever permissions or flags an account was given, the
        # people who make and list a facility's goods never judge them.
        raise ListingPermissionError(
            _(
                "Anda tidak dapat meninjau listing UPT Anda sendiri. Persetujuan, "
                "permintaan perbaikan, atau penolakan harus diberikan oleh Kanwil "
                "atau Kantor Pusat."
            )
        )
    if review and _sent_for_review_by(product) == actor.pk:
        # Four eyes, per person too: an account that can both edit a listing
        # and review (head office, or anyone signed in as an officer) never
        # judges what it sent for review itself.
        raise ListingPermissionError(
            _("Anda tidak dapat meninjau listing yang Anda ajukan atau ubah sendiri.")
        )
    if review and not actor.has_perm("catalog.review_product"):
        raise ListingPermissionError(
            _("Hanya peninjau Kanwil atau Kantor Pusat yang dapat meninjau.")
        )
    if not review and scope.is_reviewer:
        raise ListingPermissionError(_("Peninjau tidak mengubah isi listing."))


def _sent_for_review_by(product: Product) -> int | None:
    """The account behind the listing's latest trip to review (submit or content change)."""
    return (
        product.reviews.filter(action__in=[A.SUBMIT, A.CONTENT_CHANGED])
        .order_by("-created_at", "-id")
        .values_list("actor_id", flat=True)
        .first()
    )


def _locked(product: Product) -> Product:
    return (
        Product.objects.select_for_update(of=("self",))
        .select_related("facility", "category", "category__parent")
        .get(pk=product.pk)
    )


# What the public reads of a listing, as a reviewer compares it between reviews.
SNAPSHOT_FIELDS = {
    "name": gettext_lazy("nama"),
    "category": gettext_lazy("kategori"),
    "description": gettext_lazy("deskripsi"),
    "photos": gettext_lazy("foto"),
    "price": gettext_lazy("harga"),
    "food_registration": gettext_lazy("P-IRT/BPOM"),
    "halal_certificate": gettext_lazy("sertifikat halal"),
    "shelf_life_days": gettext_lazy("masa simpan (hari)"),
    "composition": gettext_lazy("komposisi"),
    "net_content": gettext_lazy("berat/isi bersih"),
}


def listing_snapshot(product: Product) -> dict:
    """The listing's public fields as plain JSON, stored on every history row."""
    photos = product.images.order_by("position", "id").values_list("id", "alt_text")
    return {
        "name": product.name,
        "category": product.category.name_id if product.category_id else "",
        "description": product.description,
        "photos": [f"#{pk} {alt}".strip() for pk, alt in photos],
        "price": f"{format_rupiah(product.price)} / {product.get_unit_display()}",
        "food_registration": product.food_registration or "",
        "halal_certificate": product.halal_certificate or "",
        "shelf_life_days": product.shelf_life_days or "",
        "composition": product.composition or "",
        "net_content": product.net_content or "",
    }


def _transition(
    product: Product, action: str, *, actor, note: str = "", checklist: dict | None = None
) -> ListingReview:
    """Move the (locked) product along TRANSITIONS and write the history row."""
    sources, target = TRANSITIONS[action]
    if product.status not in sources:
        raise ListingTransitionError(
            _("Listing berstatus “%(status)s” tidak dapat %(action)s.")
            % {
                "status": product.get_status_display(),
                "action": ListingReview.Action(action).label.lower(),
            }
        )
    now = timezone.now()
    from_status = product.status
    product.status = target
    fields = ["status", "updated_at"]
    if target == S.PENDING_REVIEW:
        product.submitted_at = now
        fields.append("submitted_at")
    if target == S.APPROVED:
        product.approved_at = now
        fields.append("approved_at")
    product.save(update_fields=fields)
    return ListingReview.objects.create(
        product=product,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=target,
        note=note.strip(),
        checklist=checklist or {},
        snapshot=listing_snapshot(product),
    )


def listing_submit(*, product: Product, actor, note: str = "") -> ListingReview:
    """Submit a draft or sent-back listing for review; mails the region's reviewers.

    Raises ListingTransitionError if the status does not allow it or the
    product has no photo; ListingPermissionError for an actor out of scope.
    """
    with transaction.atomic():
        product = _locked(product)
        _check_scope(actor, product)
        if product.status in TRANSITIONS[A.SUBMIT][0] and not product.images.exists():
            raise ListingTransitionError(_("Tambahkan minimal satu foto sebelum mengajukan."))
        review = _transition(product, A.SUBMIT, actor=actor, note=note)
        transaction.on_commit(lambda: tasks.queue_listing_submitted(review.pk))
    return review


def listing_approve(
    *, product: Product, actor, note: str = "", checklist: dict | None = None
) -> ListingReview:
    """Approve a pending listing: it becomes public (if its facility is active).

    Every checklist item must be ticked (the food registration only for food).
    Raises ListingTransitionError (wrong status, incomplete checklist) or
    ListingPermissionError (not a reviewer of this region).
    """
    checklist = {key: bool(value) for key, value in (checklist or {}).items() if key in CHECKLIST}
    with transaction.atomic():
        product = _locked(product)
        _check_scope(actor, product, review=True)
        missing = [
            str(CHECKLIST[key])
            for key in required_checklist_keys(product)
            if not checklist.get(key)
        ]
        if missing and product.status == S.PENDING_REVIEW:
            raise ListingTransitionError(
                _("Daftar periksa belum lengkap: %(items)s.") % {"items": "; ".join(missing)}
            )
        review = _transition(product, A.APPROVE, actor=actor, note=note, checklist=checklist)
        transaction.on_commit(lambda: tasks.queue_listing_decided(review.pk))
    return review


def _decide_with_note(product, actor, note, checklist, action) -> ListingReview:
    if not (note or "").strip():
        raise ListingTransitionError(_("Tulis catatan untuk petugas UPT."))
    checklist = {key: bool(value) for key, value in (checklist or {}).items() if key in CHECKLIST}
    with transaction.atomic():
        product = _locked(product)
        _check_scope(actor, product, review=True)
        review = _transition(product, action, actor=actor, note=note, checklist=checklist)
        transaction.on_commit(lambda: tasks.queue_listing_decided(review.pk))
    return review


def listing_request_changes(
    *, product: Product, actor, note: str, checklist: dict | None = None
) -> ListingReview:
    """Send a pending listing back to its facility with a note (required).

    Raises ListingTransitionError (wrong status, empty note) or ListingPermissionError.
    """
    return _decide_with_note(product, actor, note, checklist, A.REQUEST_CHANGES)


def listing_reject(
    *, product: Product, actor, note: str, checklist: dict | None = None
) -> ListingReview:
    """Reject a pending listing for good, with a note (required).

    Raises ListingTransitionError (wrong status, empty note) or ListingPermissionError.
    """
    return _decide_with_note(product, actor, note, checklist, A.REJECT)


def listing_archive(*, product: Product, actor, note: str = "") -> ListingReview:
    """Take an approved listing off the storefront (the facility or head office).

    Raises ListingTransitionError (not approved) or ListingPermissionError.
    """
    with transaction.atomic():
        product = _locked(product)
        _check_scope(actor, product)
        return _transition(product, A.ARCHIVE, actor=actor, note=note)
