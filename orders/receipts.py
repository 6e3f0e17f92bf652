"""Transfer receipts: photos go through catalog's photo pipeline, PDFs are
magic-checked.

A receipt photo from a phone carries EXIF (GPS, device); marketplace.images
decodes it, checks format and pixel count, and re-encodes plain pixels, the
same checks product photos get. Only the re-encoded original is kept (the
renditions are for storefront pages). A PDF is stored as uploaded once its
header says it is one, under a name the server chooses.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from marketplace.images import ImageRejected, process_image

MAX_RECEIPT_BYTES = 5 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class CleanReceipt:
    name: str
    content: ContentFile
    content_type: str


def clean_receipt(upload) -> CleanReceipt:
    """Check and normalise an uploaded receipt; raises ValidationError (Indonesian)."""
    too_big = ValidationError(_("Berkas terlalu besar; maksimal 5 MB."))
    if upload is None:
        raise ValidationError(_("Pilih berkas bukti transfer."))
    if upload.size > MAX_RECEIPT_BYTES:
        raise too_big
    upload.seek(0)
    data = upload.read(MAX_RECEIPT_BYTES + 1)
    if len(data) > MAX_RECEIPT_BYTES:
        raise too_big
    if not data:
        raise ValidationError(_("Berkas kosong."))
    if data.startswith(PDF_MAGIC):
        return CleanReceipt("bukti.pdf", ContentFile(data), "application/pdf")
    try:
        processed = process_image(ContentFile(data))
    except ImageRejected as error:
        raise ValidationError(
            _("%(reason)s Bukti transfer boleh berupa foto atau PDF.") % {"reason": error}
        ) from None
    return CleanReceipt("bukti.jpg", ContentFile(processed.original), "image/jpeg")
