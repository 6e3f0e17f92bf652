from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "complaints"
    verbose_name = _("Keluhan dan retur")

    def ready(self):
        from complaints import inbox

        inbox.register()  # its kinds of work in the officer's inbox (facilities.inbox)
        from core.page_registry import register_slot

        # Complaints on orders' tracking page, after the review forms (reviews.apps).
        register_slot("order_tracking", "complaints/partials/order_tracking_slot.html", order=20)
        from complaints import models
        from complaints.privacy_holds import complaint_erasure_holds
        from core.page_cache import register_private_models
        from orders.privacy.holds import register_erasure_hold

        # Complaints never appear on a public page; their writes retire nothing.
        register_private_models(
            models.Complaint, models.ComplaintLine, models.ComplaintEvent, models.ComplaintPhoto
        )
        # An order with a complaint still running keeps its shopper's data:
        # orders' erasure rule asks us (orders may not import complaints).
        register_erasure_hold(complaint_erasure_holds)
