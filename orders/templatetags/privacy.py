"""Masked shopper data for public pages (orders.privacy holds the rules)."""

from django import template

from orders import privacy

register = template.Library()


@register.filter
def mask_phone(phone: str) -> str:
    return privacy.mask_phone(phone or "")


@register.filter
def masked_address(order) -> str:
    return privacy.masked_address(order)


@register.simple_tag
def privacy_notice_version() -> str:
    return privacy.NOTICE_VERSION
