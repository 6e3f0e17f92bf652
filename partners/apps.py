from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    """Partners who work beside a facility with a login of their own: a
    partner outlet's desk (consignment it holds, sales and returns it reports,
    what it owes per month) and packaging houses (requests and proposals).

    Above catalog and orders in the layers: it calls catalog's consignment and
    listing services and never writes their rules again; nothing below it
    imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "partners"
    verbose_name = _("Mitra")

    def ready(self):
        from django.apps import apps

        from core.page_cache import register_private_models

        # Nothing of a partner's desk is on a public page (an accepted
        # packaging reaches the shop only as a product edit, through catalog).
        register_private_models(*apps.get_app_config("partners").get_models())
