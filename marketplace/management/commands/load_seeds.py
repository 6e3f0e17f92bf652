from django.core.management.base import BaseCommand

from seeds.loader import load_all


class Command(BaseCommand):
    help = "Load the demo regions, facilities and products (idempotent)."

    def handle(self, *args, **options):
        summary = load_all()
        for label, count in summary.items():
            self.stdout.write(f"{label}: {count}")
