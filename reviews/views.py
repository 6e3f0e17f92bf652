from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from catalog.models import Product
from core.private_media import private_file_response
from core.rate_limits import rate_limit
from orders.forms import TrackForm
from orders.tracking import refused_response, tracked_order
from reviews import services
from reviews.forms import ReviewForm
from reviews.models import ReviewPhoto, ReviewStatus


def _refused(request):
    return refused_response(request)


@require_POST
def review_create(request, code, line_id):
    if not rate_limit("review").consume(request):
        messages.error(request, _("Terlalu banyak percobaan. Coba lagi nanti."))
        return render(request, "orders/track.html", {"form": TrackForm()}, status=429)
    order = tracked_order(request, code)
    if order is None:
        return _refused(request)
    if services.eligible_line(order=order, line_id=line_id) is None:
        return _refused(request)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih nilai 1 sampai 5; ulasan paling banyak 2000 huruf."))
        return redirect("orders:track_detail", code=code)
    photos = request.FILES.getlist("photos")
    try:
        services.review_submit(
            order=order,
            line_id=line_id,
            rating=form.cleaned_data["rating"],
            text=form.cleaned_data["text"],
            photos=photos,
        )
    except services.ReviewRefused:
        return _refused(request)
    except ValidationError as refused:
        # Nothing was saved: the shopper fixes the photos and sends again.
        messages.error(request, " ".join(refused.messages))
        return redirect(f"{reverse('orders:track_detail', args=[code])}#ulasan-{line_id}")
    messages.success(request, _("Terima kasih! Ulasan Anda tayang setelah diperiksa UPT."))
    return redirect("orders:track_detail", code=code)


# Rendition widths and formats a product page may ask for.
PHOTO_FORMATS = {"webp": "image/webp", "jpg": "image/jpeg"}


@require_safe
def review_photo(request, photo_id, width, fmt):
    """A review photo, only while its review is published and its product is
    public: a pending or rejected review's photos are never served to the
    public (moderators open them through the admin)."""
    if fmt not in PHOTO_FORMATS:
        raise Http404
    photo = get_object_or_404(
        ReviewPhoto.objects.filter(
            review__status=ReviewStatus.PUBLISHED,
            review__product__in=Product.objects.public(),
        ),
        pk=photo_id,
    )
    entry = photo.rendition(width)
    if entry is None:
        raise Http404
    name = entry["webp" if fmt == "webp" else "jpeg"]
    response = private_file_response(
        FieldFile(photo, photo.image.field, name),
        content_type=PHOTO_FORMATS[fmt],
        download_name=f"ulasan-{photo.pk}-{width}.{fmt}",
    )
    # Public while published; a short life so a withdrawn review's photo
    # leaves browsers soon; never kept by shared caches.
    response["Cache-Control"] = "private, max-age=600"
    return response
