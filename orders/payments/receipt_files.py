"""Transfer receipts: photos go through catalog's photo pipeline, PDFs are
magic-checked.

A receipt photo from a phone carries EXIF (GPS, device); core.images
decodes it, checks format and pixel count, and re-encodes plain pixels, the
same checks product photos get, with a far lower pixel limit: a phone's
screenshot of a transfer (1080x2400 is 2.6 megapixels) or a 12-16 megapixel
photo of a slip fits, a 40-megapixel bomb is refused from its header. Only
the re-encoded original is made (renditions are for storefront pages). A PDF
is stored as uploaded once its header says it is one, under a name the server
chooses.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from core.images import ImageBusy, ImageRejected, process_image

MAX_RECEIPT_BYTES = 5 * 1024 * 1024
# 16 MP: 4608x3456, what a 16-megapixel phone camera saves; 48 MB decoded.
RECEIPT_MAX_PIXELS = 16_000_000
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
        processed = process_image(
            ContentFile(data), max_pixels=RECEIPT_MAX_PIXELS, renditions=False
        )
    except ImageBusy as error:
        raise ValidationError(str(error)) from None
    except ImageRejected as error:
        raise ValidationError(
            _("%(reason)s Bukti transfer boleh berupa foto atau PDF.") % {"reason": error}
        ) from None
    return CleanReceipt("bukti.jpg", ContentFile(processed.original), "image/jpeg")
