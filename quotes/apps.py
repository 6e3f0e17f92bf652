from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuotesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "quotes"
    verbose_name = _("Penawaran untuk instansi")

    def ready(self):
        from quotes import inbox

        inbox.register()  # its kinds of work in the officer's inbox (facilities.inbox)
        from core.page_registry import register_slot

        # "Ask for a quote" on catalog's pages (catalog may not name quotes).
        register_slot("product_facility_box", "quotes/partials/product_quote_link.html")
        register_slot("facility_header", "quotes/partials/facility_quote_link.html")
        from core.page_cache import register_private_models
        from quotes import models

        # Requests and quotes are opened by their private link only; no public
        # page lists them, so their writes retire no cached page.
        register_private_models(
            models.QuoteRequest, models.QuoteRequestLine, models.Quote, models.QuoteLine
        )
