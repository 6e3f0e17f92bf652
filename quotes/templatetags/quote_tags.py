from django import template

from core.npwp import format_npwp
from core.terbilang import rupiah_terbilang

register = template.Library()


@register.filter
def npwp(digits: str) -> str:
    return format_npwp(digits or "")


@register.filter
def terbilang_rupiah(amount) -> str:
    return rupiah_terbilang(int(amount or 0))
