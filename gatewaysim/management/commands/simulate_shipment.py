"""Move a parcel booked with the local Biteship simulator one step on (or to a
given status) and send the shop the webhook Biteship would send.

    python3 manage.py simulate_shipment <resi | order code> [--status delivered]

Development only: refused when a real BITESHIP_API_KEY is set.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from gatewaysim import biteship
from gatewaysim.biteship_models import SimShipment


class Command(BaseCommand):
    help = "Advance a parcel in the local Biteship simulator and send its webhook."

    def add_arguments(self, parser):
        parser.add_argument("code", help="resi (waybill) or order code")
        parser.add_argument("--status", choices=biteship.STATUSES, default=None)

    def handle(self, *args, code, status, **options):
        if not settings.BITESHIP_SIMULATOR:
            raise CommandError(
                "The simulator is off (a real BITESHIP_API_KEY is set, or DEBUG is off)."
            )
        code = code.strip().upper()
        shipment = SimShipment.objects.filter(Q(waybill_id=code) | Q(reference_id=code)).first()
        if shipment is None:
            raise CommandError(f"No simulated parcel for {code}.")
        biteship.advance(shipment, status)
        answer = biteship.send_webhook(shipment)
        self.stdout.write(
            self.style.SUCCESS(f"{shipment.waybill_id}: {shipment.status} (webhook HTTP {answer})")
        )
