"""Site-wide template helpers: Rupiah, WhatsApp links."""

from urllib.parse import quote

from django import template

from core.money import format_rupiah

register = template.Library()


@register.filter
def rupiah(amount):
    """125000 -> 'Rp 125.000'."""
    return format_rupiah(amount)


@register.simple_tag
def whatsapp_url(number: str, message: str = "") -> str:
    """A wa.me link to `number` (digits, country code first) with a prefilled message."""
    if not number:
        return ""
    url = f"https://wa.me/{number}"
    return f"{url}?text={quote(message)}" if message else url
