from django.conf import settings
from django.core.management.base import BaseCommand

from orders.retention import retention_apply


class Command(BaseCommand):
    help = (
        "Anonymise shopper data of orders that ended more than PRIVACY_RETENTION_DAYS ago "
        "and delete expired sessions (carts). Safe to run again: done orders are skipped."
    )

    def handle(self, *args, **options):
        report = retention_apply()
        self.stdout.write(
            f"{report.anonymised} order(s) anonymised "
            f"(retention {settings.PRIVACY_RETENTION_DAYS} days), "
            f"{report.receipt_files} receipt file(s) deleted, "
            f"{report.sessions_deleted} expired session(s) deleted."
        )
        for code, reason in report.held:
            self.stdout.write(f"kept {code}: {reason}")
