"""The settlement ledger: what the operator owes each facility, and head
office recording the transfers that paid it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from orders.payments.models import SettlementEntry
from orders.services.common import OrderError


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
