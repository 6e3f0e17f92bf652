from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from procrastinate.contrib.django.apps import ProcrastinateConfig


class MarketplaceConfig(AppConfig):
    """The top of the house: settings, urls, the demo and seed commands, and the
    admin for background tasks. Nothing below imports it."""

    name = "marketplace"
    # "marketplace" is the label of core's models (kept from the first
    # migrations); this app holds no models, so it takes another label.
    label = "site_config"
    default = True  # this module holds another AppConfig (QueueEngineConfig)
    verbose_name = "Konfigurasi"

    def ready(self):
        from marketplace import inbox

        inbox.register()  # failed background work in head office's inbox


class QueueEngineConfig(ProcrastinateConfig):
    """procrastinate's Django app (the queue engine, docs/queue.md) under an
    Indonesian name in the admin; everything else is procrastinate's own."""

    default = False
    verbose_name = _("Antrean tugas")
