from django.apps import AppConfig


class RegionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "regions"
    verbose_name = "Wilayah"

    def ready(self):
        from core.page_cache import register_private_models

        from .models import District, Province, Regency, Village

        # No cached public page shows region rows (the /wilayah/ JSON has its
        # own day-long cache_page; the data changes only by load_regions).
        register_private_models(Province, Regency, District, Village)
