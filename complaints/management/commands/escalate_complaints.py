from django.core.management.base import BaseCommand

from complaints.services import complaints_sweep_deadlines


class Command(BaseCommand):
    help = (
        "Teruskan ke Kanwil keluhan yang tidak dijawab UPT sampai batas waktu, dan tutup "
        "keluhan yang jawabannya tidak ditanggapi pembeli (jalankan tiap jam)."
    )

    def handle(self, *args, **options):
        escalated, closed = complaints_sweep_deadlines()
        self.stdout.write(f"escalated {escalated}, closed {closed}")
