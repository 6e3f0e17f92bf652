"""Every way a product, its photos or its listing status changes.

The listing status machine is the TRANSITIONS table below, checked in one
place (`_transition`). Each service runs in its own transaction, writes its
ListingReview row, and queues mail with transaction.on_commit so nothing is
sent for a change that rolled back.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog import mail, stock
from catalog.models import (
    ConsignmentMovement,
    ListingReview,
    ListingStatus,
    OutletProduct,
    Product,
    ProductImage,
)
from catalog.search import refresh_search_vectors
from core.images import ProcessedImage, delete_stored, process_image, store_processed
from core.money import format_rupiah
from facilities.models import Facility
from facilities.scoping import home_facility_id, scope_for

S = ListingStatus
A = ListingReview.Action

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
)

# Fields a product service may write; anything else passed in is refused, so
# a caller cannot slip status, facility or approved_at through product_update.
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
        "stock",
        "weight_grams",
        "length_cm",
        "width_cm",
        "height_cm",
        "local_only",
        "food_registration",
        "halal_certificate",
        "shelf_life_days",
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
        transaction.on_commit(lambda: mail.queue_listing_submitted(review.pk))
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
        transaction.on_commit(lambda: mail.queue_listing_decided(review.pk))
    return review


def _decide_with_note(product, actor, note, checklist, action) -> ListingReview:
    if not (note or "").strip():
        raise ListingTransitionError(_("Tulis catatan untuk petugas UPT."))
    checklist = {key: bool(value) for key, value in (checklist or {}).items() if key in CHECKLIST}
    with transaction.atomic():
        product = _locked(product)
        _check_scope(actor, product, review=True)
        review = _transition(product, action, actor=actor, note=note, checklist=checklist)
        transaction.on_commit(lambda: mail.queue_listing_decided(review.pk))
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


def _unique_slug(name: str, facility: Facility) -> str:
    base = slugify(f"{name} {facility.slug}")[:170].strip("-") or "produk"
    slug, n = base, 2
    while Product.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable through product services: {sorted(unknown)}")


def _content_changed(product: Product, actor, what: str) -> None:
    """An approved listing's public content changed: back to the review queue."""
    if product.status == S.APPROVED:
        review = _transition(
            product,
            A.CONTENT_CHANGED,
            actor=actor,
            note=_("Diubah: %(what)s.") % {"what": what},
        )
        transaction.on_commit(lambda: mail.queue_listing_submitted(review.pk))


def product_create(*, facility: Facility, actor, slug: str = "", **fields: Any) -> Product:
    """Create a draft product of `facility`; the slug is made from the name once.

    Raises ListingPermissionError when `actor` may not act for `facility`,
    ValueError for fields that are not editable (status, facility, ...).
    """
    _check_fields(fields)
    if actor is not None and not scope_for(actor).facilities().filter(pk=facility.pk).exists():
        raise ListingPermissionError(_("Anda tidak berwenang atas UPT ini."))
    with transaction.atomic():
        product = Product(facility=facility, status=S.DRAFT, **fields)
        product.slug = slug or _unique_slug(product.name, facility)
        product.full_clean(exclude=["search_vector"])
        product.save()
        refresh_search_vectors(product_ids=[product.pk])
    return product


def product_update(*, product: Product, actor, **fields: Any) -> Product:
    """Write changed fields of `product`; content changes send an approved
    listing back to pending_review (with a CONTENT_CHANGED history row).

    Stock and price are plain column writes and never trigger review.
    Raises ListingPermissionError for an actor out of scope; ValueError for
    fields that are not editable.
    """
    _check_fields(fields)
    with transaction.atomic():
        locked = _locked(product)
        _check_scope(actor, locked)
        changed = []
        for name, value in fields.items():
            attr = "category_id" if name == "category" else name
            new = value.pk if name == "category" and value is not None else value
            if getattr(locked, attr) != new:
                setattr(locked, name, value)
                changed.append(name)
        if not changed:
            return locked
        locked.save(update_fields=[*changed, "updated_at"])
        content = [name for name in changed if name in REVIEWED_FIELDS]
        if content:
            refresh_search_vectors(product_ids=[locked.pk])
            labels = ", ".join(str(Product._meta.get_field(n).verbose_name) for n in content)
            _content_changed(locked, actor, labels)
    # The caller's instance follows, so an admin redirect shows the new state.
    product.refresh_from_db()
    return locked


def product_image_add(
    *,
    product: Product,
    upload: Any,
    alt_text: str,
    actor,
    position: int | None = None,
) -> ProductImage:
    """Run `upload` through the photo pipeline and attach it to `product`.

    `upload` is an uploaded file or an already ProcessedImage (the admin form
    processes it while validating). Raises core.images.ImageRejected for a
    refused file, ListingTransitionError for empty alt text,
    ListingPermissionError for an actor out of scope.
    """
    if not (alt_text or "").strip():
        raise ListingTransitionError(_("Teks alternatif foto wajib diisi."))
    processed = upload if isinstance(upload, ProcessedImage) else process_image(upload)
    with transaction.atomic():
        locked = _locked(product)
        _check_scope(actor, locked)
        if position is None:
            last = locked.images.order_by("-position").values_list("position", flat=True).first()
            position = 0 if last is None else last + 1
        name, renditions = store_processed(processed)
        image = ProductImage(
            product=locked,
            position=position,
            alt_text=alt_text.strip(),
            renditions=renditions,
            width=processed.width,
            height=processed.height,
        )
        image.image.name = name
        image.save()
        _content_changed(locked, actor, _("foto"))
    return image


def product_image_update(
    *, image: ProductImage, actor, alt_text: str | None = None, position: int | None = None
) -> ProductImage:
    """Change a photo's alt text or position; either is public content, so an
    approved listing goes back to review. Raises ListingPermissionError."""
    with transaction.atomic():
        locked = _locked(image.product)
        _check_scope(actor, locked)
        changed = []
        if alt_text is not None and alt_text.strip() and alt_text.strip() != image.alt_text:
            image.alt_text = alt_text.strip()
            changed.append("alt_text")
        if position is not None and position != image.position:
            image.position = position
            changed.append("position")
        if changed:
            image.save(update_fields=changed)
            _content_changed(locked, actor, _("foto"))
    return image


def product_image_delete(*, image: ProductImage, actor) -> None:
    """Remove a photo and, after commit, its files.

    Raises ListingPermissionError, and PhotoGoneError when the photo no longer
    exists (then nothing changes: no history row, no return to review).
    """
    gone = PhotoGoneError(_("Foto itu sudah dihapus sebelumnya (mungkin dari tab lain)."))
    if image.pk is None:  # the admin's form for a photo whose row is gone
        raise gone
    with transaction.atomic():
        locked = _locked(image.product)
        _check_scope(actor, locked)
        # A second request may have waited for the product's lock while the
        # first one deleted this photo.
        if not ProductImage.objects.filter(pk=image.pk).exists():
            raise gone
        name, renditions = image.image.name, dict(image.renditions)
        image.delete()
        _content_changed(locked, actor, _("foto"))
        transaction.on_commit(lambda: delete_stored(name, renditions))


# --- consignment stock at partner outlets --------------------------------------


class ConsignmentError(Exception):
    """A refused consignment change; the message is ready to show (Indonesian)."""


def _consignment_locked(link: OutletProduct, actor) -> tuple[OutletProduct, Product]:
    """Lock the product, then the link (the product first, as checkout locks
    products, so the two cannot deadlock), and check the actor's scope."""
    (product,) = stock.lock_products([link.product_id])
    locked = (
        OutletProduct.objects.select_for_update(of=("self",))
        .select_related("outlet")
        .get(pk=link.pk)
    )
    if actor is not None and not scope_for(actor).may_act_for(locked.outlet.facility_id):
        raise ConsignmentError(_("Anda tidak berwenang atas titipan mitra ini."))
    return locked, product


def _record(link, kind, quantity, actor, occurred_on, note, unit_price=None):
    return ConsignmentMovement.objects.create(
        link=link,
        kind=kind,
        quantity=quantity,
        unit_price=unit_price,
        occurred_on=occurred_on or timezone.localdate(),
        actor=actor,
        note=note[:300],
    )


def _check_quantity(quantity: int) -> None:
    if quantity < 1:
        raise ConsignmentError(_("Jumlah harus minimal 1."))


def consignment_hand_over(
    *, link: OutletProduct, quantity: int, actor, occurred_on=None, note: str = ""
) -> ConsignmentMovement:
    """Goods leave the facility for the outlet: the web shop's ready stock goes
    down by `quantity` and the outlet's holding up, in one transaction.

    Raises ConsignmentError when the ready stock is short, the quantity is not
    positive, or the actor is out of scope.
    """
    _check_quantity(quantity)
    with transaction.atomic():
        locked, product = _consignment_locked(link, actor)
        if product.stock < quantity:
            raise ConsignmentError(
                _("Stok siap %(name)s tinggal %(stock)s; tidak bisa menitipkan %(n)s.")
                % {"name": product.name, "stock": product.stock, "n": quantity}
            )
        stock.take([product], {product.pk: quantity})
        OutletProduct.objects.filter(pk=locked.pk).update(on_hand=F("on_hand") + quantity)
        return _record(
            locked, ConsignmentMovement.Kind.HANDOVER, quantity, actor, occurred_on, note
        )


def consignment_report_sold(
    *,
    link: OutletProduct,
    quantity: int,
    actor,
    unit_price: int | None = None,
    occurred_on=None,
    note: str = "",
) -> ConsignmentMovement:
    """The outlet reports `quantity` pieces sold: its holding goes down, its
    sold count up. The web shop's stock is untouched (it left at hand-over).

    Raises ConsignmentError when the outlet holds fewer than `quantity`.
    """
    _check_quantity(quantity)
    with transaction.atomic():
        locked, product = _consignment_locked(link, actor)
        if locked.on_hand < quantity:
            raise ConsignmentError(
                _("Mitra hanya memegang %(n)s titipan; laporan %(q)s terjual ditolak.")
                % {"n": locked.on_hand, "q": quantity}
            )
        OutletProduct.objects.filter(pk=locked.pk).update(
            on_hand=F("on_hand") - quantity, sold=F("sold") + quantity
        )
        return _record(
            locked,
            ConsignmentMovement.Kind.SOLD,
            quantity,
            actor,
            occurred_on,
            note,
            unit_price=unit_price if unit_price is not None else product.price,
        )


def consignment_return(
    *, link: OutletProduct, quantity: int, actor, occurred_on=None, note: str = ""
) -> ConsignmentMovement:
    """Unsold goods come back from the outlet: its holding goes down and the
    web shop's ready stock up again.

    Raises ConsignmentError when the outlet holds fewer than `quantity`.
    """
    _check_quantity(quantity)
    with transaction.atomic():
        locked, product = _consignment_locked(link, actor)
        if locked.on_hand < quantity:
            raise ConsignmentError(
                _("Mitra hanya memegang %(n)s titipan; tidak bisa mengembalikan %(q)s.")
                % {"n": locked.on_hand, "q": quantity}
            )
        OutletProduct.objects.filter(pk=locked.pk).update(on_hand=F("on_hand") - quantity)
        stock.give_back({product.pk: quantity})
        return _record(
            locked, ConsignmentMovement.Kind.RETURNED, quantity, actor, occurred_on, note
        )


CONSIGNMENT_SERVICES = {
    ConsignmentMovement.Kind.HANDOVER: consignment_hand_over,
    ConsignmentMovement.Kind.SOLD: consignment_report_sold,
    ConsignmentMovement.Kind.RETURNED: consignment_return,
}
