from django.apps import AppConfig


class GatewaySimConfig(AppConfig):
    name = "gatewaysim"
    verbose_name = "Simulator payment gateway (development)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from gatewaysim.models import SimTransaction
        from marketplace.page_cache import register_private_models

        register_private_models(SimTransaction)
