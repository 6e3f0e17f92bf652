from django.conf import settings
from django.core.management.base import BaseCommand

from orders.privacy.retention import retention_apply


class Command(BaseCommand):
    help = (
        "Anonymise shopper data of orders that ended more than PRIVACY_RETENTION_DAYS ago "
        "unless something is still owed on them (open complaint, unpaid receivable, unsettled "
        "refund, unmatched statement line), complete held deletion requests, anonymise "
        "invoices past ten years, and delete expired sessions (carts). Run daily; safe to "
        "run again: done orders are skipped."
    )

    def handle(self, *args, **options):
        report = retention_apply()
        self.stdout.write(
            f"{report.anonymised} order(s) anonymised "
            f"(retention {settings.PRIVACY_RETENTION_DAYS} days), "
            f"{report.receipt_files} receipt file(s) deleted, "
            f"{report.sessions_deleted} expired session(s) deleted."
        )
        self.stdout.write(
            f"{len(report.held)} order(s) kept while something is owed"
            + (
                " (" + ", ".join(f"{k}: {n}" for k, n in sorted(report.held_kinds.items())) + ")"
                if report.held_kinds
                else ""
            )
            + f"; deletion requests: {report.requests_done} done, "
            f"{report.requests_held} still held; "
            f"{report.invoices_expired} invoice(s) past ten years anonymised."
        )
        for code, reason in report.held:
            self.stdout.write(f"kept {code}: {reason}")
