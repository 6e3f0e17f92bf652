from django import template

from orders.delivery.fees import PROVINCE_CHOICES

register = template.Library()


@register.simple_tag
def shipping_provinces() -> list[tuple[str, str]]:
    """(Kemendagri code, name) of every province."""
    return PROVINCE_CHOICES
