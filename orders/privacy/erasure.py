"""The one anonymisation that retention and deletion requests share."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from orders.documents.invoices import invoice_erase_buyer
from orders.models import Order, OrderEvent, OrderStatus, PaymentProof
from orders.privacy.holds import ErasureHeld, erasure_holds, erasure_refusal
from orders.privacy.models import OrderErasure
from orders.privacy.rules import ANONYMOUS_NAME, ERASED_FIELDS, PrivacyError
from orders.states import SHOPPER

log = logging.getLogger("orders.privacy")  # one name for the package


def order_anonymise(
    *, order: Order, reason: str, now: datetime | None = None
) -> OrderErasure | None:
    """Replace the shopper's data in `order` by anonymous values and delete its
    receipt files; keep amounts, dates, facility, lines and province.

    Returns the erasure row, or None when the order was already anonymised
    (idempotent). Receipt files are deleted after commit, so a rollback never
    leaves a named order without its receipt. The invoice keeps its
    bookkeeping fields (orders.documents.invoices.invoice_erase_buyer).

    Raises PrivacyError when the order is still running (erasure_refusal),
    and its subclass ErasureHeld, with the holds, while something is still
    owed on it (orders.privacy.holds.erasure_holds: the one rule).
    """
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if OrderErasure.objects.filter(order=locked).exists():
            return None
        refusal = erasure_refusal(locked)
        if refusal:
            raise PrivacyError(refusal)
        holds = erasure_holds(locked, now=now)
        if holds:
            raise ErasureHeld(holds)
        Order.objects.filter(pk=locked.pk).update(**ERASED_FIELDS, updated_at=timezone.now())
        # An NPWP with no institution beside it is a person's own (NIK-based):
        # personal data, not an office's tax identity (see invoice_erase_buyer).
        Order.objects.filter(pk=locked.pk, buyer_organisation="").update(buyer_npwp="")
        # The invoice keeps a copy of the buyer: the person goes, the
        # bookkeeping fields stay for their ten years.
        invoice_erase_buyer(order=locked, anonymous_name=ANONYMOUS_NAME)
        # What the shopper typed into the history (a cancellation reason).
        OrderEvent.objects.filter(order=locked, actor_label=SHOPPER).update(note="")
        if locked.events.filter(actor_label=SHOPPER, to_status=OrderStatus.CANCELLED).exists():
            Order.objects.filter(pk=locked.pk).update(cancel_reason="")
        proofs = list(PaymentProof.objects.filter(order=locked).exclude(file=""))
        names = [proof.file.name for proof in proofs]
        storage = PaymentProof._meta.get_field("file").storage
        PaymentProof.objects.filter(pk__in=[p.pk for p in proofs]).update(
            file="", rejection_reason=""
        )
        erasure = OrderErasure.objects.create(order=locked, reason=reason, receipt_files=len(names))
        transaction.on_commit(lambda: _delete_files(storage, names))
    for name, value in ERASED_FIELDS.items():
        setattr(order, name, value)
    return erasure


def _delete_files(storage, names: list[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # a missing file is already gone; log the rest, retry next run
            log.exception("receipt file not deleted: %s", name)
