"""The client's signed consent form: a phone photo or a PDF scan.

A photo goes through core.images (format and pixel checks, re-encoded,
EXIF and GPS stripped: a photo taken at the client's home must not say
where); a PDF is kept as uploaded once its header says it is one. The file
name is the server's (bapas.models.consent_upload_to), under private media.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from core.images import ImageBusy, ImageRejected, process_image

MAX_CONSENT_BYTES = 5 * 1024 * 1024
CONSENT_MAX_PIXELS = 16_000_000
PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class CleanConsent:
    name: str
    content: ContentFile
    content_type: str


def clean_consent(upload) -> CleanConsent:
    """Check and normalise an uploaded form; raises ValidationError (Indonesian)."""
    if upload is None:
        raise ValidationError(_("Unggah formulir persetujuan yang sudah ditandatangani klien."))
    upload.seek(0)
    data = upload.read(MAX_CONSENT_BYTES + 1)
    if len(data) > MAX_CONSENT_BYTES:
        raise ValidationError(_("Berkas terlalu besar; maksimal 5 MB."))
    if not data:
        raise ValidationError(_("Berkas kosong."))
    if data.startswith(PDF_MAGIC):
        return CleanConsent("persetujuan.pdf", ContentFile(data), "application/pdf")
    try:
        processed = process_image(
            ContentFile(data), max_pixels=CONSENT_MAX_PIXELS, renditions=False
        )
    except ImageBusy as error:
        raise ValidationError(str(error)) from None
    except ImageRejected as error:
        raise ValidationError(
            _("%(reason)s Formulir boleh berupa foto atau PDF.") % {"reason": error}
        ) from None
    return CleanConsent("persetujuan.jpg", ContentFile(processed.original), "image/jpeg")
