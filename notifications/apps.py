from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifikasi WhatsApp"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save

        from core.page_cache import register_private_models
        from notifications.models import OutboundMessage, WhatsAppOptOut
        from notifications.signals import order_erased, order_event_saved
        from orders.models import OrderEvent
        from orders.models_privacy import OrderErasure

        register_private_models(OutboundMessage, WhatsAppOptOut)
        post_save.connect(
            order_event_saved, sender=OrderEvent, dispatch_uid="notifications.order_event"
        )
        post_save.connect(order_erased, sender=OrderErasure, dispatch_uid="notifications.erasure")
