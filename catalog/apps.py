from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Katalog")

    def ready(self):
        from catalog import inbox

        inbox.register()  # its kinds of work in the officer's inbox (facilities.inbox)
        from catalog import page_tags, search_sync

        page_tags.register()  # which rows public pages show (core.page_cache)
        search_sync.connect()
        from django.urls import reverse

        from core.page_registry import register_page
        from facilities.models import Facility

        # A facility's page is its storefront here (facilities may not name catalog).
        register_page(Facility, lambda f: reverse("catalog:storefront", kwargs={"slug": f.slug}))
