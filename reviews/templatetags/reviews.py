"""Reviews on catalog pages without catalog knowing about reviews: the catalog
templates load this library; catalog's Python never imports the app."""

from decimal import ROUND_FLOOR, Decimal

from django import template
from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _

from reviews import selectors

register = template.Library()


@register.filter
def compact_count(value) -> str:
    """How Indonesian shops write how many sold: 950, 1,2 rb, 12 rb, 1,5 jt.
    Rounded down, so a figure never claims more than was sold."""
    n = int(value or 0)
    for size, unit in ((1_000_000, _("jt")), (1_000, _("rb"))):
        if n >= size:
            short = (Decimal(n) / size).quantize(Decimal("0.1"), rounding=ROUND_FLOOR)
            places = 0 if short >= 10 or short == short.to_integral() else 1
            number = formats.number_format(short, decimal_pos=places, use_l10n=True)
            return f"{number} {unit}"
    return str(n)


@register.inclusion_tag("reviews/product_reviews.html")
def product_reviews(product):
    # Average and count are stored on the product by reviews.services; the
    # list is read only when there is something to show.
    count = product.rating_count
    return {
        "reviews": selectors.published_for_product(product.pk) if count else [],
        "summary": {"avg": product.rating_avg, "count": count},
        # Read with the product on its page (reviews.apps); else one query.
        "sold": _sold(product),
    }


def _sold(product) -> int:
    sold = getattr(product, "page_sold", None)
    return selectors.sold_count(product.pk) if sold is None else sold


@register.inclusion_tag("reviews/facility_rating.html")
def facility_rating(facility):
    return {"summary": selectors.rating_summary(facility_id=facility.pk)}


@register.inclusion_tag("reviews/order_review_forms.html", takes_context=True)
def order_review_forms(context, order):
    """On the tracking page: a form for each line that may be reviewed now,
    and the state of those already reviewed."""
    from reviews.services import MAX_PHOTOS, eligible_line, review_until

    existing = selectors.reviews_for_order(order)
    rows = []
    for line in order.lines.all():
        if line.pk in existing:
            rows.append({"line": line, "review": existing[line.pk]})
        elif eligible_line(order=order, line_id=line.pk) is not None:
            rows.append({"line": line})
    return {
        "rows": rows,
        "order": order,
        # Stated on the form: the window is a rule the shopper should see.
        "until": review_until(order) if rows else None,
        "max_photos": MAX_PHOTOS,
        # The whole post's ceiling (core.middleware.RequestSizeLimitMiddleware).
        "max_upload_mb": settings.MAX_REQUEST_BODY_SIZE // (1024 * 1024),
        "csrf_token": context.get("csrf_token"),
    }
