from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "marketplace"

    def ready(self):
        from marketplace.models import RateCounter
        from marketplace.page_cache import connect_signals, register_private_models

        connect_signals()
        register_private_models(RateCounter)
