from django.core.management.base import BaseCommand

from complaints.services import complaint_escalate_overdue


class Command(BaseCommand):
    help = (
        "Teruskan ke Kanwil keluhan yang tidak dijawab UPT sampai batas waktu (jalankan tiap jam)."
    )

    def handle(self, *args, **options):
        count = complaint_escalate_overdue()
        self.stdout.write(f"escalated {count}")
