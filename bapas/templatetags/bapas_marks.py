from django import template

from bapas.selectors import storefront_mark

register = template.Library()


@register.simple_tag
def enterprise_mark(facility):
    """The Bapas mark of a business's storefront (None for any other facility,
    without a query: the kind is on the row already)."""
    if not facility.is_enterprise:
        return None
    return storefront_mark(facility)
