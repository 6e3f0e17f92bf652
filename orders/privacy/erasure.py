"""The one anonymisation that retention and deletion requests share."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from orders.invoices import invoice_erase_buyer
from orders.models import (
    Order,
    OrderEvent,
    OrderStatus,
    PaymentProof,
    StatementLine,
)
from orders.models_privacy import OrderErasure
from orders.privacy.rules import ANONYMOUS_NAME, ERASED_FIELDS, PrivacyError
from orders.states import FINAL, SHOPPER

log = logging.getLogger("orders.privacy")  # one name for the package


def erasure_refusal(order: Order) -> str | None:
    """Why the shopper data of `order` must still be kept, or None.

    An open order needs its contact to be delivered and paid; money still being
    matched (a receipt not yet checked, a bank line not yet resolved) is a
    finance duty that needs to know who paid.
    """
    if order.status not in FINAL:
        return _(
            "Pesanan %(code)s masih berjalan (%(status)s): nama, nomor HP dan alamat masih "
            "dibutuhkan untuk menyelesaikannya. Ajukan lagi setelah pesanan selesai atau batal."
        ) % {"code": order.code, "status": order.get_status_display()}
    if PaymentProof.objects.filter(order=order, status=PaymentProof.Status.PENDING).exists():
        return _(
            "Bukti transfer pesanan %(code)s belum diperiksa UPT; datanya disimpan sampai "
            "pembayaran tuntas."
        ) % {"code": order.code}
    unresolved = StatementLine.objects.filter(order=order, resolved_at__isnull=True).exclude(
        outcome=StatementLine.Outcome.CONFIRMED
    )
    if unresolved.exists():
        return _(
            "Ada mutasi rekening untuk pesanan %(code)s yang masih dicocokkan UPT; datanya "
            "disimpan sampai urusan uangnya selesai."
        ) % {"code": order.code}
    return None


def order_anonymise(*, order: Order, reason: str) -> OrderErasure | None:
    """Replace the shopper's data in `order` by anonymous values and delete its
    receipt files; keep amounts, dates, facility, lines and province.

    Returns the erasure row, or None when the order was already anonymised
    (idempotent). Receipt files are deleted after commit, so a rollback never
    leaves a named order without its receipt. Raises PrivacyError when
    erasure_refusal says the data is still needed.
    """
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if OrderErasure.objects.filter(order=locked).exists():
            return None
        refusal = erasure_refusal(locked)
        if refusal:
            raise PrivacyError(refusal)
        Order.objects.filter(pk=locked.pk).update(**ERASED_FIELDS, updated_at=timezone.now())
        # The invoice keeps a copy of the buyer: erase it there too.
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
