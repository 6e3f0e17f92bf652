from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from procrastinate.contrib.django.apps import ProcrastinateConfig


class ConfigConfig(AppConfig):
    """The top of the house: settings, urls, the demo and seed commands, and the
    admin for background tasks. Nothing below imports it."""

    name = "config"
    default = True  # this module holds another AppConfig (QueueEngineConfig)
    verbose_name = "Konfigurasi"

    def ready(self):
        from config import inbox

        inbox.register()  # failed background work in head office's inbox


class QueueEngineConfig(ProcrastinateConfig):
    """procrastinate's Django app (the queue engine, docs/queue.md) under an
    Indonesian name in the admin; everything else is procrastinate's own."""

    default = False
    verbose_name = _("Antrean tugas")
