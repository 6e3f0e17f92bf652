"""NPWP, the Indonesian tax number an institutional buyer gives for its invoice.

Validation is python-stdnum's (`stdnum.id.npwp`): the 15-digit form whose ninth
digit is a Luhn check digit, and the 16-digit form (NIK-based) in use since 2024.
One place, so the quote request, the admin and the invoice agree on what a
valid NPWP is and how it is printed.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.id import npwp as stdnum_npwp

INVALID_MESSAGE = _(
    "NPWP tidak valid. Tulis 15 atau 16 angka seperti tertera di kartu NPWP, "
    "misalnya 01.312.166.0-091.000."
)


def clean_npwp(value: str) -> str:
    """The NPWP as digits only, or ValidationError with a message for the buyer."""
    try:
        return stdnum_npwp.validate(value)
    except StdnumError:
        raise ValidationError(INVALID_MESSAGE, code="invalid_npwp") from None


def format_npwp(digits: str) -> str:
    """The NPWP as printed on documents (01.312.166.0-091.000); as given if not valid."""
    if not digits:
        return ""
    try:
        return stdnum_npwp.format(digits)
    except StdnumError:
        return digits
