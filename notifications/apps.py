from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("Notifikasi")

    def ready(self):
        from django.core import checks
        from django.db.models.signals import post_save

        from core.page_cache import register_private_models
        from notifications import hooks, models, receivers, tasks
        from notifications.graph_versions import check_whatsapp_api_version
        from orders.delivery.models import TrackingEvent
        from orders.models import OrderEvent
        from orders.privacy.models import OrderErasure

        # Messages and opt-outs never appear on a public page.
        register_private_models(
            models.OutboundMessage,
            models.OptOut,
            models.StaffAlertPreference,
            models.StaffAlert,
        )

        post_save.connect(
            receivers.order_event_saved, sender=OrderEvent, dispatch_uid="notif-event"
        )
        post_save.connect(
            receivers.tracking_event_saved, sender=TrackingEvent, dispatch_uid="notif-delivered"
        )
        post_save.connect(receivers.order_erased, sender=OrderErasure, dispatch_uid="notif-erasure")
        # The services queue their sends through this port (no import back).
        hooks.tasks.provide(tasks)
        # A server's WhatsApp stops on the day Meta retires its Graph API version.
        checks.register(check_whatsapp_api_version, checks.Tags.compatibility, deploy=True)
