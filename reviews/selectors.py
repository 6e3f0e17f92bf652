from django.db.models import Avg, Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from catalog.prepared import Prepared
from orders.models import OrderLine, OrderStatus
from reviews.models import ProductReview, ReviewStatus


def published_for_product(product_id, *, limit=20):
    return list(
        ProductReview.objects.filter(product_id=product_id, status=ReviewStatus.PUBLISHED)
        .prefetch_related("photos")
        .order_by("-created_at")[:limit]
    )


def rating_summary(**filters):
    """{"avg": Decimal|None, "count": int} over published reviews matching `filters`."""
    row = ProductReview.objects.filter(status=ReviewStatus.PUBLISHED, **filters).aggregate(
        avg=Avg("rating"), count=Count("pk")
    )
    return row


# Compiled once per process (catalog.prepared): it runs on every product page.
_SOLD = Prepared(
    lambda product_id: (
        OrderLine.objects.filter(product_id=product_id, order__status=OrderStatus.COMPLETED)
        .order_by()
        .values("product_id")
        .annotate(n=Sum("quantity"))
        .values_list("n")
    ),
    product_id=int,
)


def sold_count_expression():
    """Units sold of the product of the outer query (OuterRef "pk"): added to
    the product page's one query (catalog.product_query, via reviews.apps)."""
    return Coalesce(
        Subquery(
            OrderLine.objects.filter(product_id=OuterRef("pk"), order__status=OrderStatus.COMPLETED)
            .order_by()
            .values("product_id")
            .annotate(n=Sum("quantity"))
            .values("n")
        ),
        0,
    )


def sold_count(product_id) -> int:
    """Units of the product in completed orders, in one query."""
    rows = _SOLD.values(product_id=product_id)
    return (rows[0][0] if rows else 0) or 0


def reviews_for_order(order):
    return {
        r.order_line_id: r
        for r in ProductReview.objects.filter(order_line__order=order).prefetch_related("photos")
    }
