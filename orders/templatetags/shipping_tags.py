from django import template

from orders.shipping import PROVINCES

register = template.Library()


@register.simple_tag
def shipping_provinces() -> list[str]:
    return PROVINCES
