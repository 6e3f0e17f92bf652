from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The top of the house: settings, urls, the demo and seed commands, and the
    admin for background tasks. Nothing below imports it."""

    name = "config"
    verbose_name = "Konfigurasi"
