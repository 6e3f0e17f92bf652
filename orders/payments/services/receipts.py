"""Transfer receipts the shopper uploads from the tracking page."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from orders import mail
from orders.models import Order, OrderEvent, PaymentProof
from orders.payments import receipt_files as receipts
from orders.services.common import MAX_PROOFS_PER_ORDER, OrderError
from orders.states import (
    SHOPPER,
    takes_receipt,
)

# --- receipts -------------------------------------------------------------------


def _check_takes_receipt(order: Order) -> None:
    """Raise OrderError unless `order` (as read) takes one more receipt now."""
    if not takes_receipt(order.status, order.payment_method):
        raise OrderError(_("Pesanan ini tidak sedang menunggu bukti transfer."))
    if PaymentProof.objects.filter(order_id=order.pk).count() >= MAX_PROOFS_PER_ORDER:
        raise OrderError(
            _("Sudah %(n)s bukti diunggah; hubungi UPT lewat WhatsApp.")
            % {"n": MAX_PROOFS_PER_ORDER}
        )


def payment_proof_submit(*, order: Order, upload: UploadedFile) -> PaymentProof:
    """The shopper uploads a transfer receipt: checked, re-encoded (images) or
    magic-checked (PDF), stored, recorded, and the facility is mailed.

    Raises OrderError when the order takes no receipt now, or when the file is
    refused (the message says why)."""
    # Cheap first: an order that takes no receipt (paid, closed, or at its
    # count) refuses the file before a byte of it is decoded; decoding is what
    # an attacker would make the server pay for. Checked again under the lock,
    # since parallel uploads all pass this read.
    _check_takes_receipt(Order.objects.only("status", "payment_method").get(pk=order.pk))
    try:
        cleaned = receipts.clean_receipt(upload)
    except ValidationError as error:
        raise OrderError(*error.messages) from None
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        _check_takes_receipt(locked)
        proof = PaymentProof(order=locked, content_type=cleaned.content_type)
        proof.file.save(cleaned.name, cleaned.content, save=False)
        proof.save()
        OrderEvent.objects.create(
            order=locked,
            actor_label=SHOPPER,
            from_status=locked.status,
            to_status=locked.status,
            note=_("Bukti transfer diunggah."),
        )
        transaction.on_commit(lambda: mail.queue_receipt_uploaded(proof.pk))
    return proof
