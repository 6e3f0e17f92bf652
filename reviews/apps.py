from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Ulasan"

    def ready(self):
        from catalog.structured_data import PRODUCT_JSON_LD_EXTENSIONS
        from reviews.structured_data import add_ratings

        if add_ratings not in PRODUCT_JSON_LD_EXTENSIONS:
            PRODUCT_JSON_LD_EXTENSIONS.append(add_ratings)
