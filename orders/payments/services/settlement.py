"""The settlement ledger: what the operator owes each facility, and head
office recording the transfers that paid it.

The only writer of SettlementEntry: a gateway payment makes a row owed
(settlement_owe), a refund shrinks or closes it (settlement_shrink,
settlement_refund_all), head office pays it out (settlement_pay_out). The
callers (gateway_services.notifications, .refunds) hold their own locks and
transactions; each function here runs inside them."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from orders.models import Order
from orders.payments.models import GatewayPayment, SettlementEntry
from orders.services.common import OrderError


def settlement_owe(*, order: Order, payment: GatewayPayment) -> SettlementEntry:
    """The operator now owes the facility this order's total, paid through
    `payment`. Once per order: when the row is there already (staff confirmed
    the order by hand before a late notification), it is left as it is."""
    entry, _created = SettlementEntry.objects.get_or_create(
        order=order,
        defaults={"facility": order.facility, "payment": payment, "amount": order.total},
    )
    return entry


def settlement_shrink(*, order: Order, amount: int) -> None:
    """Part of the order's money went back to the shopper: what the operator
    owes the facility shrinks by `amount` while it is still owed; refunded in
    full, the row is marked so. (Paid out already: the facility owes it back,
    settled outside the site.)"""
    entry = (
        SettlementEntry.objects.select_for_update()
        .filter(order=order, status=SettlementEntry.Status.OWED)
        .first()
    )
    if entry is not None:
        if amount >= entry.amount:
            entry.status = SettlementEntry.Status.REFUNDED
        else:
            entry.amount -= amount
        entry.save(update_fields=["amount", "status"])


def settlement_refund_all(*, order: Order) -> None:
    """All of the order's money goes back: nothing is owed for it any more."""
    SettlementEntry.objects.filter(order=order, status=SettlementEntry.Status.OWED).update(
        status=SettlementEntry.Status.REFUNDED
    )


def settlement_pay_out(*, entries, actor, reference: str) -> int:
    """Head office transferred these amounts to the facilities' accounts:
    owed -> paid_out with who, when and the transfer reference. Returns how
    many changed; rows already paid out or refunded are left alone.

    Raises OrderError for anyone but head office, or without a reference."""
    from facilities.scoping import scope_for

    if not scope_for(actor).is_national:
        raise OrderError(_("Hanya kantor pusat yang mencatat setoran ke UPT."))
    reference = (reference or "").strip()[:100]
    if not reference:
        raise OrderError(_("Isi referensi transfer setoran."))
    with transaction.atomic():
        return SettlementEntry.objects.filter(
            pk__in=[e.pk for e in entries], status=SettlementEntry.Status.OWED
        ).update(
            status=SettlementEntry.Status.PAID_OUT,
            paid_out_at=timezone.now(),
            paid_out_by=actor,
            payout_reference=reference,
        )
