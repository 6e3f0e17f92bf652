"""Indonesian phone numbers, normalised to +62 form in one place."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_DIGITS = re.compile(r"\d+")


def normalize_phone(value: str) -> str:
    """Return `value` as +62XXXXXXXXX or raise ValidationError.

    Accepts what people type: 0812-3456-7890, 62 812 3456 7890, +62 (812) 345 6789,
    and landlines with an area code such as 0717 422 123.
    """
    raw = (value or "").strip()
    digits = "".join(_DIGITS.findall(raw))
    if raw.startswith("+") and not digits.startswith("62"):
        raise ValidationError(_("Gunakan nomor Indonesia (diawali 0, 62 atau +62)."), "phone")
    if digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        national = digits
    if not national.startswith(tuple("23456789")) or not 8 <= len(national) <= 12:
        raise ValidationError(
            _("Nomor telepon tidak valid. Contoh yang benar: 0812 3456 7890."), "phone"
        )
    return "+62" + national


def whatsapp_digits(phone: str) -> str:
    """The digits wa.me expects: country code and number, no plus sign."""
    return phone.lstrip("+")
