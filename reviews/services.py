"""Writes for reviews: submit (shopper, from the tracking page, with up to
MAX_PHOTOS photos), publish, reject, reply."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Product
from core.images import ImageRejected, delete_stored, process_image, store_processed
from core.page_cache import public_pages_changed
from facilities.scoping import scope_for
from orders.models import OrderEvent, OrderLine, OrderStatus
from reviews.models import REVIEW_PHOTO_FOLDER, ProductReview, ReviewPhoto, ReviewStatus

# The one answer for every refused submission: the same as a wrong code, so a
# guesser learns nothing about which rule stopped them.
NOT_ELIGIBLE = "Kode pesanan atau nomor HP tidak cocok."
MAX_PHOTOS = 3


class ReviewRefused(Exception):
    pass


def _check_may_moderate(actor, review) -> None:
    """Moderating and replying follow the facility's scope (Scope.may_see: its
    staff, its region's Kanwil, head office), here as well as in the admin's
    list, so no other door can cross it. actor=None is the system itself
    (seeds, management commands), as in catalog.services."""
    if actor is None:
        return
    facility = review.product.facility
    if not scope_for(actor).may_see(facility_id=facility.pk, region_id=facility.region_id):
        raise PermissionDenied(_("Anda tidak berwenang atas ulasan ini."))


def _refresh_product_rating(product_id):
    """Store the published reviews' average and count on the product (for sorting)."""
    row = ProductReview.objects.filter(
        product_id=product_id, status=ReviewStatus.PUBLISHED
    ).aggregate(avg=Avg("rating"), count=Count("pk"))
    Product.objects.filter(pk=product_id).update(rating_avg=row["avg"], rating_count=row["count"])


def moderation_time() -> timedelta:
    """How long a review may wait for moderation: REVIEW_MODERATION_DAYS
    (default 2, the oversight dashboard's first age bucket, 0-2 days)."""
    return timedelta(days=getattr(settings, "REVIEW_MODERATION_DAYS", 2))


def moderation_due_at(created_at):
    """When a pending review sent at `created_at` should have been moderated."""
    return created_at + moderation_time()


def _window():
    return timedelta(days=getattr(settings, "REVIEW_WINDOW_DAYS", 30))


def completed_at(order):
    event = (
        OrderEvent.objects.filter(order=order, to_status=OrderStatus.COMPLETED)
        .order_by("-created_at")
        .first()
    )
    return event.created_at if event else None


def review_until(order):
    """Until when the order's lines may be reviewed (None before completion)."""
    done = completed_at(order)
    return done + _window() if done else None


def eligible_line(*, order, line_id):
    """The order's line that may be reviewed now, else None."""
    if order is None or order.status != OrderStatus.COMPLETED:
        return None
    done = completed_at(order)
    if done is None or timezone.now() > done + _window():
        return None
    line = OrderLine.objects.filter(order=order, pk=line_id).select_related("product").first()
    if line is None or ProductReview.objects.filter(order_line=line).exists():
        return None
    return line


def review_submit(*, order, line_id, rating, text="", photos=()):
    """A shopper who proved they own `order` reviews one of its lines.

    Raises ReviewRefused (the wrong-code answer) when the line may not be
    reviewed now (not this order's, not completed, past the window, reviewed
    already), and ValidationError for a bad rating, more than MAX_PHOTOS
    photos, or a photo core.images refuses (its message)."""
    # Eligibility first: a refused shopper's files are never read.
    line = eligible_line(order=order, line_id=line_id)
    if line is None:
        raise ReviewRefused(_(NOT_ELIGIBLE))
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError(_("Nilai harus 1 sampai 5."))
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(_("Paling banyak %(n)s foto.") % {"n": MAX_PHOTOS})
    # Decoded before the transaction (bounded by the pipeline's decode slots):
    # a slow photo holds no lock.
    processed = []
    for upload in photos:
        try:
            processed.append(process_image(upload))
        except ImageRejected as error:
            raise ValidationError(str(error)) from None
    stored: list[tuple[str, dict]] = []
    try:
        with transaction.atomic():
            review = ProductReview.objects.create(
                order_line=line,
                product=line.product,
                facility_id=order.facility_id,
                rating=rating,
                text=text.strip()[:2000],
            )
            for position, image in enumerate(processed):
                name, renditions = store_processed(image, folder=REVIEW_PHOTO_FOLDER)
                stored.append((name, renditions))
                ReviewPhoto.objects.create(
                    review=review,
                    position=position,
                    image=name,
                    width=image.width,
                    height=image.height,
                    renditions=renditions,
                )
    except IntegrityError:  # a parallel second review of the same line
        _forget(stored)
        raise ReviewRefused(_(NOT_ELIGIBLE)) from None
    except Exception:
        _forget(stored)
        raise
    return review


def _forget(stored) -> None:
    """Files written for a review that was never saved."""
    for name, renditions in stored:
        delete_stored(name, renditions)


@transaction.atomic
def review_publish(*, review, actor, checklist_ok):
    _check_may_moderate(actor, review)
    if not checklist_ok:
        raise ValidationError(_("Centang semua butir daftar periksa sebelum menerbitkan."))
    review.status = ReviewStatus.PUBLISHED
    review.reject_reason = ""
    review.moderated_by = actor
    review.moderated_at = timezone.now()
    review.save()
    _refresh_product_rating(review.product_id)
    # Published reviews are on the (cached) product page.
    public_pages_changed()
    return review


@transaction.atomic
def review_reject(*, review, actor, reason):
    _check_may_moderate(actor, review)
    if not (reason or "").strip():
        raise ValidationError(_("Alasan penolakan wajib diisi."))
    review.status = ReviewStatus.REJECTED
    review.reject_reason = reason.strip()
    review.moderated_by = actor
    review.moderated_at = timezone.now()
    review.save()
    _refresh_product_rating(review.product_id)
    public_pages_changed()  # it may have been published before
    return review


@transaction.atomic
def review_reply(*, review, actor, text):
    review = ProductReview.objects.select_for_update().get(pk=review.pk)
    _check_may_moderate(actor, review)
    if review.reply:
        raise ValidationError(_("UPT sudah membalas ulasan ini."))
    if not (text or "").strip():
        raise ValidationError(_("Balasan tidak boleh kosong."))
    review.reply = text.strip()
    review.reply_by = actor
    review.reply_at = timezone.now()
    review.save()
    if review.status == ReviewStatus.PUBLISHED:
        public_pages_changed()
    return review
