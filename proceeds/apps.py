from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceedsConfig(AppConfig):
    """The proceeds ledger (issue 35): per facility and month, what the sales
    owe to premi, PNBP and materials by the facility's shares, what was paid
    or deposited (with proof), and the month's close."""

    name = "proceeds"
    verbose_name = _("Buku hasil penjualan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.page_cache import register_private_models
        from proceeds.models import LedgerEntry, LedgerMonth, ProgrammeMonth, WorkProgramme

        # The public impact page shows their sums, recomputed on its own clock
        # (oversight.views.impact keeps its figures ten minutes), never per write.
        register_private_models(LedgerMonth, LedgerEntry, ProgrammeMonth, WorkProgramme)
