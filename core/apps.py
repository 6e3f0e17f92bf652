from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The bottom layer every app may use (money, phone, photos, exports, rate
    counter, page-cache mechanism). It was once part of `marketplace`, and keeps
    that app label on purpose: its migration history (RateCounter) and the
    table name `marketplace_ratecounter` stay valid on existing databases, so
    no migration has to rename anything."""

    name = "core"
    label = "marketplace"

    def ready(self):
        from core.models import EdgePurge, QueueJobError, RateCounter, SentMail
        from core.page_registry import connect_signals, register_private_models

        connect_signals()
        # Pages retired by a write are purged at the edge after commit.
        from core.edge_purge import purge
        from core.page_versions import when_retired

        when_retired(purge)
        register_private_models(RateCounter, SentMail, QueueJobError, EdgePurge)
