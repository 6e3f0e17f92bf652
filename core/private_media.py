"""Uploaded files only staff may open: transfer receipts, which carry shoppers'
names and bank details.

They are stored under `PRIVATE_MEDIA_PREFIX` in the same storage as photos.
Nothing serves that folder to the public: the development media route skips
it, nginx marks it `internal` (docs/operations.md), and an object store's
bucket policy must keep it unreadable. A view that has checked who is asking
answers with `private_file_response`: nginx sends the file itself when told to
by `X-Accel-Redirect` (`PRIVATE_MEDIA_X_ACCEL=1`), otherwise Django streams it.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse

PRIVATE_MEDIA_PREFIX = "private/"


def private_file_response(
    file: FieldFile, *, content_type: str, download_name: str
) -> HttpResponse:
    """The file for a viewer already allowed to see it, with the headers that
    keep an uploaded file from ever running as a page, and never cached."""
    # The same rules as public media (imported here: models import this module).
    from core.middleware import INLINE_MEDIA_TYPES, MEDIA_CSP

    if settings.PRIVATE_MEDIA_X_ACCEL:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{settings.MEDIA_URL}{file.name}"
    else:
        response = FileResponse(file.open("rb"), content_type=content_type)
    disposition = "inline" if content_type in INLINE_MEDIA_TYPES else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{download_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_CSP
    response["Cache-Control"] = "private, no-store"
    return response
