from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Ulasan"

    def ready(self):
        from reviews import inbox

        inbox.register()  # its kinds of work in the officer's inbox (facilities.inbox)
        from core.page_registry import register_slot

        # Ratings and reviews on catalog's pages and the review forms on orders'
        # tracking page (neither may name reviews); before complaints (order 20).
        register_slot("product_reviews", "reviews/partials/product_reviews_slot.html")
        register_slot("facility_rating", "reviews/partials/facility_rating_slot.html")
        register_slot("order_tracking", "reviews/partials/order_tracking_slot.html", order=10)
        from catalog.page_tags import product_tag
        from core.page_cache import register_public_model
        from reviews.models import ProductReview, ReviewPhoto

        # Published reviews are on the product page (the services also retire
        # every page when one is published or withdrawn).
        register_public_model(ProductReview, tags=lambda r: {product_tag(r.product.slug)})
        # Their photos too, as thumbnails under the review.
        register_public_model(ReviewPhoto, tags=lambda p: {product_tag(p.review.product.slug)})
        from catalog.structured_data import PRODUCT_JSON_LD_EXTENSIONS
        from reviews.structured_data import add_ratings

        if add_ratings not in PRODUCT_JSON_LD_EXTENSIONS:
            PRODUCT_JSON_LD_EXTENSIONS.append(add_ratings)

        # The units sold ride along with the product page's one query.
        from catalog.product_query import PRODUCT_PAGE_ANNOTATIONS
        from reviews.selectors import sold_count_expression

        PRODUCT_PAGE_ANNOTATIONS["page_sold"] = sold_count_expression

        from django.db.models.signals import post_delete

        post_delete.connect(
            _forget_photo_files, sender=ReviewPhoto, dispatch_uid="reviews-photo-files"
        )


def _forget_photo_files(sender, instance, **kwargs):
    """A review photo's files go with its row, however the row goes (the
    review deleted by head office, an order line's cascade), once committed."""
    from django.db import transaction

    from core.images import delete_stored

    name, renditions = instance.image.name, dict(instance.renditions)
    transaction.on_commit(lambda: delete_stored(name, renditions))
