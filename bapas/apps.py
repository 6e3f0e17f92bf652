from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BapasConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bapas"
    verbose_name = _("Usaha binaan Bapas")

    def ready(self):
        from bapas import models
        from core.page_cache import register_private_models, register_public_model
        from core.page_registry import register_slot
        from facilities.page_tags import facility_tag

        # The storefront's mark, client's name and story come from this row:
        # a change retires the business's own pages only.
        register_public_model(
            models.Enterprise, tags=lambda enterprise: {facility_tag(enterprise.facility.slug)}
        )
        # Visits and the history are for the Bapas and the client, never public.
        register_private_models(models.MentoringVisit, models.EnterpriseEvent)
        # "Usaha binaan Bapas ..." on catalog's storefront (catalog may not name bapas).
        register_slot("facility_header", "bapas/partials/storefront_mark.html", order=-10)
