from django.apps import AppConfig


class GatewaySimConfig(AppConfig):
    name = "gatewaysim"
    verbose_name = "Simulator payment gateway (development)"
    default_auto_field = "django.db.models.BigAutoField"
