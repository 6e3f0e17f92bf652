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
        from core.models import QueueJobError, RateCounter, SentMail
        from core.page_registry import connect_signals, register_private_models

        connect_signals()
        register_private_models(RateCounter, SentMail, QueueJobError)
