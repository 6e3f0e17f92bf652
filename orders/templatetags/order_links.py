"""{{ order|order_link }}: the signed, expiring link that opens the order (mail)."""

from django import template

from orders.account.links import order_link as _order_link

register = template.Library()


@register.filter
def order_link(order) -> str:
    return _order_link(order)
