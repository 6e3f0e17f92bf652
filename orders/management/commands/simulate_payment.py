"""Pay a checkout's online payment through the local gateway simulator.

    python3 manage.py simulate_payment <checkout code | order code | gateway order id>

It asks the simulator (over HTTP, at MIDTRANS_BASE_URL) to settle the charge;
the simulator then sends the shop its signed notification over HTTP, exactly
as Midtrans would. Development only: refused when a real gateway key is set.
"""

import json
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from orders.payments.models import GatewayPayment


class Command(BaseCommand):
    help = "Pay a checkout's QRIS/VA/e-wallet charge through the local Midtrans simulator."

    def add_arguments(self, parser):
        parser.add_argument("code", help="checkout code, order code or gateway order id")

    def handle(self, *args, code, **options):
        if not settings.MIDTRANS_SIMULATOR:
            raise CommandError(
                "The simulator is off (a real MIDTRANS_SERVER_KEY is set, or DEBUG is off)."
            )
        code = code.strip().upper()
        payment = (
            GatewayPayment.objects.filter(
                Q(gateway_order_id=code) | Q(checkout__code=code) | Q(checkout__orders__code=code)
            )
            .order_by("-created_at", "-id")
            .first()
        )
        if payment is None:
            raise CommandError(f"No online payment found for {code}.")
        base = settings.MIDTRANS_BASE_URL.rstrip("/")
        request = urllib.request.Request(
            f"{base}/bayar/{payment.gateway_order_id}/",
            data=b"{}",
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                answer = json.loads(response.read())
        except (urllib.error.URLError, OSError) as error:
            raise CommandError(f"The simulator at {base} did not answer: {error}") from None
        outcome = answer.get("outcome")
        if outcome != "settlement":
            raise CommandError(f"{payment.gateway_order_id} was not payable: {outcome}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Paid {payment.gateway_order_id} ({payment.amount} IDR); notification answered "
                f"HTTP {answer.get('notification_http_status')}."
            )
        )
