"""{% product_cards products %}: a listing's cards from the card cache (catalog/cards.py)."""

from django import template

from catalog import cards

register = template.Library()


@register.simple_tag
def product_cards(products, eager_first=True):
    return cards.product_cards(products, eager_first=eager_first)
