"""Payment providers behind one small interface.

Checkout asks the registry which providers a facility offers and what status a
new order starts in; confirmation and tracking ask a provider for its
instructions. A payment gateway is one more class here, registered in
PROVIDERS, with no change to checkout.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orders.models import DeliveryMethod, DeliverySettings, OrderStatus, PaymentMethod


class PaymentProvider:
    code: str
    label: str

    def is_available(self, settings: DeliverySettings, delivery_method: str) -> bool:
        raise NotImplementedError

    def initial_status(self) -> str:
        raise NotImplementedError

    def payment_deadline(self, settings: DeliverySettings, now=None):
        return None

    def instructions(self, order) -> dict:
        """What the shopper needs to pay: shown on confirmation, tracking and mail."""
        raise NotImplementedError


class BankTransfer(PaymentProvider):
    code = PaymentMethod.BANK_TRANSFER
    label = PaymentMethod.BANK_TRANSFER.label

    def is_available(self, settings, delivery_method):
        return settings.bank_transfer_enabled

    def initial_status(self):
        return OrderStatus.AWAITING_PAYMENT

    def payment_deadline(self, settings, now=None):
        return (now or timezone.now()) + timedelta(hours=settings.payment_deadline_hours)

    def instructions(self, order):
        # Relies on facility.bank_accounts being prefetched by the caller's selector.
        accounts = [a for a in order.facility.bank_accounts.all() if a.is_active]
        return {
            "kind": "bank_transfer",
            "accounts": accounts,
            "amount": order.total,
            "reference": order.code,
            "deadline": order.payment_deadline,
            "text": _(
                "Transfer tepat sebesar jumlah total ke rekening UPT di bawah ini dan tulis "
                "kode pesanan sebagai berita transfer, lalu unggah bukti transfer di halaman "
                "lacak pesanan."
            ),
        }


class PayAtPickup(PaymentProvider):
    code = PaymentMethod.PAY_AT_PICKUP
    label = PaymentMethod.PAY_AT_PICKUP.label

    def is_available(self, settings, delivery_method):
        return settings.pay_at_pickup_enabled and delivery_method == DeliveryMethod.PICKUP

    def initial_status(self):
        # Nothing to wait for: the facility prepares the order and is paid at handover.
        return OrderStatus.PROCESSING

    def instructions(self, order):
        return {
            "kind": "pay_at_pickup",
            "amount": order.total,
            "reference": order.code,
            "text": _(
                "Bayar tunai atau QRIS di showroom UPT saat mengambil pesanan. Tunjukkan "
                "kode pesanan kepada petugas."
            ),
        }


class OnlinePayment(PaymentProvider):
    """QRIS, virtual account or e-wallet through the payment gateway: one
    charge for all of a checkout's online-paid orders (orders.payments.services)."""

    code = PaymentMethod.GATEWAY
    label = PaymentMethod.GATEWAY.label

    def is_available(self, settings, delivery_method):
        # Offered only with a server key (or the simulator under DEBUG), and only
        # by facilities the operator settles with.
        from orders.payments.midtrans import is_configured

        return settings.gateway_enabled and is_configured()

    def initial_status(self):
        return OrderStatus.AWAITING_PAYMENT

    def payment_deadline(self, settings, now=None):
        from django.conf import settings as django_settings

        return (now or timezone.now()) + timedelta(minutes=django_settings.GATEWAY_PAYMENT_MINUTES)

    def instructions(self, order):
        return {
            "kind": "gateway",
            "amount": order.total,
            "reference": order.code,
            "deadline": order.payment_deadline,
            "text": _("Dibayar dengan pembayaran online checkout ini (QRIS atau virtual account)."),
        }


PROVIDERS: dict[str, PaymentProvider] = {
    p.code: p for p in (OnlinePayment(), BankTransfer(), PayAtPickup())
}


def provider_for(code: str) -> PaymentProvider:
    return PROVIDERS[code]


def available_providers(settings: DeliverySettings, delivery_method: str) -> list[PaymentProvider]:
    return [p for p in PROVIDERS.values() if p.is_available(settings, delivery_method)]
