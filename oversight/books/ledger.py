"""Checks of the ledgers themselves: rows with no money behind them, refunds
the gateway made that our refunds ledger does not hold, and settlements the
gateway notified that never became a paid payment here."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import format_rupiah
from orders.payments.midtrans import PAID_STATUSES
from orders.payments.models import (
    GatewayNotification,
    GatewayPayment,
    GatewayRefund,
    OrderRefund,
    SettlementEntry,
)
from oversight.books.types import Difference

SENT = (GatewayRefund.Status.DONE, GatewayRefund.Status.PENDING)
REFUND_STATUSES = ("refund", "partial_refund")


def check_ledger(start, end, add) -> None:
    """Ledger rows with no money behind them: a settlement entry whose payment
    was never paid, a gateway refund in the refunds ledger never sent."""
    for entry in (
        SettlementEntry.objects.filter(created_at__gte=start, created_at__lt=end)
        .exclude(payment__status=GatewayPayment.Status.PAID)
        .select_related("order", "facility", "payment")
    ):
        names = {"order": entry.order.code, "payment": entry.payment.gateway_order_id}
        add(
            Difference(
                day=timezone.localdate(entry.created_at),
                kind="entry_without_payment",
                amount=-entry.amount,
                reference=entry.order.code,
                problem=_(
                    "Pesanan %(order)s tercatat di buku setoran ke UPT, tetapi pembayaran "
                    "%(payment)s tidak tercatat lunas."
                )
                % names,
                action=_(
                    "Cek status %(payment)s di dasbor gateway sebelum menyetor ke UPT; jalankan "
                    "rekonsiliasi gateway."
                )
                % names,
                facility_id=entry.facility_id,
                facility=entry.facility.name,
            )
        )
    for refund in OrderRefund.objects.filter(
        created_at__gte=start,
        created_at__lt=end,
        method=OrderRefund.Method.GATEWAY,
        gateway_refund__isnull=True,
    ).select_related("order__facility"):
        names = {"order": refund.order.code, "amount": format_rupiah(refund.amount)}
        add(
            Difference(
                day=timezone.localdate(refund.created_at),
                kind="refund_not_sent",
                amount=refund.amount,
                reference=refund.order.code,
                problem=_(
                    "Pengembalian dana %(amount)s untuk pesanan %(order)s tercatat lewat gateway, "
                    "tetapi tidak ada permintaan pengembalian ke gateway."
                )
                % names,
                action=_(
                    "Periksa di dasbor gateway apakah dana pesanan %(order)s sudah kembali ke "
                    "pembeli; bila belum, kembalikan secara manual dan catat referensinya."
                )
                % names,
                facility_id=refund.order.facility_id,
                facility=refund.order.facility.name,
            )
        )


def _gateway_refunded(payload: dict) -> int:
    """What the gateway says it has refunded on a transaction, from its
    notification: the `refunds` list when given, else `refund_amount`."""
    try:
        refunds = payload.get("refunds")
        if isinstance(refunds, list) and refunds:
            return sum(int(float(r.get("refund_amount", 0))) for r in refunds)
        return int(float(payload.get("refund_amount") or 0))
    except (TypeError, ValueError, AttributeError):
        return 0


def check_gateway_refunds(start, end, add) -> None:
    """Refunds the gateway told us about (made in its dashboard, say) that our
    refunds ledger does not hold."""
    told: dict[str, tuple[int, date]] = {}
    for note in GatewayNotification.objects.filter(
        received_at__gte=start, received_at__lt=end, transaction_status__in=REFUND_STATUSES
    ).only("gateway_order_id", "payload", "received_at"):
        amount = _gateway_refunded(note.payload)
        if amount > told.get(note.gateway_order_id, (0, None))[0]:
            told[note.gateway_order_id] = (amount, timezone.localdate(note.received_at))
    if not told:
        return
    ours = defaultdict(int)
    for gateway_order_id, amount in GatewayRefund.objects.filter(
        payment__gateway_order_id__in=told, status__in=SENT
    ).values_list("payment__gateway_order_id", "amount"):
        ours[gateway_order_id] += amount
    for gateway_order_id, (amount, day) in sorted(told.items()):
        if amount > ours[gateway_order_id]:
            add(_refund_unrecorded(day, gateway_order_id, amount - ours[gateway_order_id]))


def _refund_unrecorded(day: date, gateway_order_id: str, amount: int) -> Difference:
    names = {"payment": gateway_order_id, "amount": format_rupiah(amount)}
    return Difference(
        day=day,
        kind="refund_unrecorded",
        amount=amount,
        reference=gateway_order_id,
        problem=_(
            "Gateway mengembalikan %(amount)s pada pembayaran %(payment)s, tetapi pengembalian "
            "itu tidak ada di buku pengembalian dana."
        )
        % names,
        action=_(
            "Catat pengembalian dana itu pada pesanan pembayaran %(payment)s (dan sesuaikan "
            "setoran ke UPT) agar tidak dikembalikan dua kali."
        )
        % names,
    )


# A settlement notification is applied within seconds by the worker; one
# older than this and still unapplied was lost on the way (a killed worker).
STALE_AFTER = timedelta(minutes=15)


def check_gateway_settlements(start, end, add) -> None:
    """Settlements the gateway notified that did not become a payment here:
    never applied (stale), for an order id we do not know, or for another
    amount than the payment's. The gateway has the money either way."""
    stale = timezone.now() - STALE_AFTER
    for note in (
        GatewayNotification.objects.filter(
            received_at__gte=start, received_at__lt=end, transaction_status__in=PAID_STATUSES
        )
        .filter(
            Q(processed_at__isnull=True, received_at__lt=stale)
            | Q(outcome__startswith="ignored: amount")
            | Q(outcome__startswith="ignored: unknown")
        )
        .only("gateway_order_id", "gross_amount", "received_at", "processed_at", "outcome")
        .order_by("received_at", "pk")
    ):
        try:
            amount = int(Decimal(note.gross_amount))
        except (InvalidOperation, ValueError):
            amount = 0
        names = {"payment": note.gateway_order_id, "amount": format_rupiah(amount)}
        if note.processed_at is None:
            problem = _(
                "Notifikasi pelunasan %(payment)s (%(amount)s) diterima tetapi belum diproses."
            )
        else:
            problem = _(
                "Gateway melunasi %(payment)s sebesar %(amount)s, tetapi tidak cocok dengan "
                "pembayaran di sini (ID atau nominal berbeda)."
            )
        add(
            Difference(
                day=timezone.localdate(note.received_at),
                kind="settlement_not_applied",
                amount=amount,
                reference=note.gateway_order_id,
                problem=problem % names,
                action=_(
                    "Jalankan rekonsiliasi gateway untuk %(payment)s; bila nominal berbeda, "
                    "kembalikan dana ke pembeli atau tagih kekurangannya."
                )
                % names,
            )
        )
