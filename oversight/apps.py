from django.apps import AppConfig


class OversightConfig(AppConfig):
    """Dashboards, reports, exports and the public impact page. They read every
    app, so this app sits on top of them; no app imports it."""

    name = "oversight"
    verbose_name = "Laporan dan pengawasan"
