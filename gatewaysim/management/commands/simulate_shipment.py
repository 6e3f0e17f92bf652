"""Move a parcel booked with the local Biteship simulator one step on (or to a
given status) and send the shop the webhook Biteship would send.

    python3 manage.py simulate_shipment <resi | order code> [--status delivered]
    python3 manage.py simulate_shipment <order code> --waybill   # the pending resi arrives

Development only: refused when a real BITESHIP_API_KEY is set.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from gatewaysim import biteship, biteship_orders
from gatewaysim.biteship_models import SimShipment


class Command(BaseCommand):
    help = "Advance a parcel in the local Biteship simulator and send its webhook."

    def add_arguments(self, parser):
        parser.add_argument("code", help="resi (waybill) or order code")
        parser.add_argument("--status", choices=biteship.STATUSES, default=None)
        parser.add_argument(
            "--waybill",
            action="store_true",
            help="give a parcel booked with 'waybill pending' its resi (order.waybill_id webhook)",
        )

    def handle(self, *args, code, status, waybill=False, **options):
        if not settings.BITESHIP_SIMULATOR:
            raise CommandError(
                "The simulator is off (a real BITESHIP_API_KEY is set, or DEBUG is off)."
            )
        code = code.strip().upper()
        shipment = (
            SimShipment.objects.filter(Q(waybill_id=code) | Q(reference_id=code))
            .exclude(status="cancelled")
            .first()
        )
        if shipment is None:
            raise CommandError(f"No simulated parcel for {code}.")
        if waybill:
            biteship_orders.assign_waybill(shipment)
            self.stdout.write(self.style.SUCCESS(f"{code}: resi {shipment.waybill_id}"))
            return
        biteship.advance(shipment, status)
        answer = biteship.send_webhook(shipment)
        self.stdout.write(
            self.style.SUCCESS(f"{shipment.waybill_id}: {shipment.status} (webhook HTTP {answer})")
        )
