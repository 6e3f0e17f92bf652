"""Finish courier bookings left half done: bookings whose answer was lost,
resis still pending, cancels not yet done (orders.delivery.bookings). The
queue runs it every 5 minutes; this is the same sweep by hand.

    python3 manage.py sweep_courier_bookings
"""

from django.core.management.base import BaseCommand

from orders.delivery.bookings import bookings_sweep


class Command(BaseCommand):
    help = "Finish courier bookings left half done (lookup, pending resi, cancels)."

    def handle(self, *args, **options):
        done = bookings_sweep()
        self.stdout.write(
            self.style.SUCCESS(
                "{attempted} booking(s) retried, {waybills} resi(s) filled, "
                "{cancels} cancel(s) done.".format(**done)
            )
        )
