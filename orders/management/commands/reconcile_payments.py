from django.core.management.base import BaseCommand

from orders.payments.services import payments_reconcile


class Command(BaseCommand):
    help = (
        "Ask the payment gateway about every payment left unfinished (pending near or past "
        "its deadline, an expire refused, a charge whose answer never came, a notification "
        "not applied) and apply its answer. Run every 5 minutes."
    )

    def handle(self, *args, **options):
        self.stdout.write(str(payments_reconcile()))
