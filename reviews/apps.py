from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Ulasan"

    def ready(self):
        from core.page_cache import register_public_model
        from reviews.models import ProductReview, ReviewPhoto

        # Published reviews are on the product page (the services also retire
        # every page when one is published or withdrawn).
        register_public_model(ProductReview, tags=lambda r: {f"product:{r.product.slug}"})
        # Their photos too, as thumbnails under the review.
        register_public_model(ReviewPhoto, tags=lambda p: {f"product:{p.review.product.slug}"})
        from catalog.structured_data import PRODUCT_JSON_LD_EXTENSIONS
        from reviews.structured_data import add_ratings

        if add_ratings not in PRODUCT_JSON_LD_EXTENSIONS:
            PRODUCT_JSON_LD_EXTENSIONS.append(add_ratings)
