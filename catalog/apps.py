from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Katalog")

    def ready(self):
        from catalog import search_sync

        search_sync.connect()

        from catalog import page_tags

        page_tags.register()  # which rows public pages show (core.page_cache)
