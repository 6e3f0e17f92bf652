"""Queue a tracking poll for every parcel still on its way (the webhook's
fallback); the queue runs it hourly (marketplace/periodic.py), this command by hand.

    python3 manage.py poll_tracking
"""

from django.core.management.base import BaseCommand

from orders.tasks import tracking_poll_all


class Command(BaseCommand):
    help = "Queue a courier tracking poll for every shipped parcel not yet delivered."

    def handle(self, *args, **options):
        count = tracking_poll_all()
        self.stdout.write(self.style.SUCCESS(f"{count} parcel(s) queued for a tracking poll."))
