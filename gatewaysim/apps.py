from django.apps import AppConfig


class GatewaySimConfig(AppConfig):
    name = "gatewaysim"
    verbose_name = "Simulator payment gateway (development)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.page_cache import register_private_models
        from gatewaysim.models import SimShipment, SimTransaction, SimWhatsAppMessage

        register_private_models(SimTransaction, SimShipment, SimWhatsAppMessage)
