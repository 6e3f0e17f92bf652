"""Demo only: two days of online payments for the books check page
(/admin/laporan/pembukuan/), yesterday balanced and today with one difference.

Each payment goes through the same path as a real one: the checkout is
placed by orders.services, the charge recorded as the gateway made it (no
HTTP: the simulator is not served yet while seeds load), and the gateway's
signed settlement notification received and applied by
orders.payments.services. The gateway's settlement report is imported through
its service too: yesterday's matches; today's also holds a settlement for an
order id this shop never made, the difference head office sees.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from catalog.models import Product
from facilities.models import Facility, Membership
from orders import services
from orders.models import Checkout, PaymentMethod
from orders.payments import services as gateway_services
from orders.payments.midtrans import amount_string, is_configured, signature_for
from orders.payments.models import GatewayPayment
from orders.payments.report_csv import read_report
from seeds.orders import DEMO_ADDRESS

KEY = "seed-books-{}"
UNKNOWN_ORDER_ID = "KB-DEMO-TIDAKDIKENAL-1"


def _pay(name: str, products: list[Product]) -> GatewayPayment | None:
    """A checkout of `products` (one of each) paid online; None when it cannot
    be placed in this database (sold out, gateway off)."""
    key = KEY.format(name)
    existing = GatewayPayment.objects.filter(checkout__idempotency_key=key).first()
    if existing or Checkout.objects.filter(idempotency_key=key).exists():
        return existing
    try:
        result = services.order_place(
            idempotency_key=key,
            contact=services.Contact(
                name="Pembeli Demo Online",
                phone="+6281200000099",
                email="pembeli.online@contoh.karyabinaan.id",
            ),
            lines=[
                services.PlaceLine(
                    product_id=p.pk, quantity=p.min_order_quantity, expected_price=p.price
                )
                for p in products
            ],
            choices={
                p.facility_id: services.FacilityChoice(
                    delivery_method="courier", payment_method=PaymentMethod.GATEWAY
                )
                for p in products
            },
            address=DEMO_ADDRESS,
        )
    except services.OrderError:
        return None
    payment = GatewayPayment.objects.create(
        checkout=result.checkout,
        gateway_order_id=f"KB-{result.checkout.code}-1",
        channel="qris",
        amount=sum(o.total for o in result.orders),
        transaction_id=f"demo-{result.checkout.code}",
        expires_at=result.orders[0].payment_deadline,
    )
    body = {
        "transaction_status": "settlement",
        "transaction_id": payment.transaction_id,
        "status_code": "200",
        "payment_type": "qris",
        "order_id": payment.gateway_order_id,
        "gross_amount": amount_string(payment.amount),
        "fraud_status": "accept",
        "currency": "IDR",
    }
    body["signature_key"] = signature_for(
        body["order_id"], "200", body["gross_amount"], settings.MIDTRANS_SERVER_KEY
    )
    note, _new = gateway_services.gateway_notification_receive(payload=body)
    gateway_services.gateway_notification_process(notification_id=note.pk)
    payment.refresh_from_db()
    return payment


def _report_row(gateway_order_id: str, amount: int, moment) -> str:
    fee = round(amount * 0.007)
    return (
        f"{gateway_order_id},demo-{gateway_order_id},qris,settlement,{amount},{fee},"
        f"{amount - fee},{timezone.localtime(moment):%Y-%m-%d %H:%M:%S}"
    )


def load_demo_books(facilities: dict[str, Facility]) -> int:
    """Yesterday: one two-facility payment, matched by the gateway's report.
    Today: one payment, matched, and a report line for an unknown order id.
    Returns how many demo online payments exist."""
    if not settings.DEBUG or not is_configured():
        return 0
    from seeds.accounts import _account

    products = {}
    for product in (
        Product.objects.public()
        .filter(facility__in=facilities.values(), local_only=False, stock__gt=5)
        .order_by("facility__slug", "id")
    ):
        products.setdefault(product.facility_id, product)
    candidates = list(products.values())
    if len(candidates) < 2:
        return 0
    yesterday = _pay("kemarin", candidates[:2])
    today = _pay("hari-ini", candidates[2:3] or candidates[:1])
    if yesterday is None or today is None:
        return 0
    if not yesterday.report_lines.exists():
        # Received a day ago: the page shows two days.
        moment = timezone.now() - timedelta(days=1)
        GatewayPayment.objects.filter(pk=yesterday.pk).update(paid_at=moment)
        head_office = _account("pusat", Membership.Role.HEAD_OFFICE, name="Kantor Pusat")
        report = "\n".join(
            [
                "Order ID,Transaction ID,Payment Type,Transaction Status,Gross Amount,Fee,"
                "Net Amount,Settlement Time",
                _report_row(yesterday.gateway_order_id, yesterday.amount, moment),
                _report_row(today.gateway_order_id, today.amount, today.paid_at),
                _report_row(UNKNOWN_ORDER_ID, 85_000, today.paid_at),
            ]
        )
        gateway_services.gateway_report_import(
            actor=head_office,
            lines=read_report(report.encode()),
            file_name="demo-settlement-midtrans.csv",
        )
    return GatewayPayment.objects.filter(
        checkout__idempotency_key__startswith="seed-books-"
    ).count()
