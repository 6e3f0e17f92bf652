from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "facilities"
    verbose_name = _("Unit pelaksana teknis")

    def ready(self):
        from facilities import page_tags

        page_tags.register()  # which rows public pages show (core.page_cache)
