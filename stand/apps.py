from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandConfig(AppConfig):
    """The stand till at an exhibition: a phone till with an offline queue on
    the web shop's stock (docs/stand-till.md). It sits above orders (the
    gateway client) and notifications (WhatsApp receipts) and tells the
    reports about its sales through core.sales_channels."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "stand"
    verbose_name = _("Stan pameran")

    def ready(self):
        from core.page_cache import register_private_models
        from core.sales_channels import register_channel
        from stand import models
        from stand.selectors import channel_rows

        # The reports read the stand's sales through the channel registry.
        register_channel("stand", _("Stan pameran"), channel_rows)
        # Nothing of a till is on a public page: its writes retire no cached page.
        register_private_models(
            models.Till,
            models.SetAside,
            models.Sale,
            models.SaleLine,
            models.QrisCharge,
            models.Receipt,
            models.DayClose,
            models.Volunteer,
        )
