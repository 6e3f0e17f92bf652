from django.core.management.base import BaseCommand

from orders.services import order_expire_due


class Command(BaseCommand):
    help = "Expire unpaid orders past their payment deadline and give their stock back."

    def handle(self, *args, **options):
        count = order_expire_due()
        self.stdout.write(f"{count} order(s) expired.")
