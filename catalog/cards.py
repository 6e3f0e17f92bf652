"""Product cards rendered once per product version and language, stored in
the cache and assembled into listings with one multi-get per page.

A listing of 24 used to render partials/product_card.html (and its
<picture>) 24 times on every build: most of a catalog page's Python. A
card's key is a digest of everything the card shows, so a card is never
out of date and needs no invalidation: a changed price, stock state, name,
facility name, cover photo or language is a new key (the old card simply
expires). Add a field to the card template? Add it to `_card_facts` too;
tests/catalog/test_cards.py checks that a change shows.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

CARD_TEMPLATE = "partials/product_card.html"
# Bump when the card template changes in a way the facts below do not show.
CARD_TEMPLATE_VERSION = 1


def _seconds() -> int:
    return getattr(settings, "PRODUCT_CARD_CACHE_SECONDS", 24 * 3600)


def _photo_facts(product) -> tuple | None:
    if hasattr(product, "cover_facts"):  # a listing's CardProduct (catalog/card_rows.py)
        return product.cover_facts
    covers = getattr(product, "cover_images", None) or []
    cover = covers[0] if covers else None
    if cover is None:
        return None
    return (cover.pk, cover.image.name, cover.width, cover.height, cover.alt_text, cover.renditions)


def _card_facts(product, eager: bool) -> tuple:
    photo = _photo_facts(product)
    return (
        CARD_TEMPLATE_VERSION,
        product.pk,
        product.slug,
        product.name,
        product.updated_at.isoformat() if product.updated_at else "",
        product.price,
        product.unit,
        product.made_to_order,
        product.in_stock,
        product.rating_avg,
        product.rating_count,
        product.facility.name,
        photo,
        bool(eager),
    )


def card_key(product, eager: bool = False) -> str:
    digest = hashlib.blake2b(repr(_card_facts(product, eager)).encode(), digest_size=16)
    return f"kb:card:{get_language()}:{digest.hexdigest()}"


def render_card(product, eager: bool = False) -> str:
    return get_template(CARD_TEMPLATE).render({"product": product, "eager": eager})


def product_cards(products, *, eager_first: bool = True, wrap: str = "li") -> str:
    """The cards of `products` (the first one's photo loaded eagerly when
    `eager_first`), each in <`wrap`>: stored cards from one multi-get, the
    missing ones rendered and stored with one multi-set."""
    products = list(products)
    eager = [eager_first and i == 0 for i in range(len(products))]
    keys = [card_key(p, e) for p, e in zip(products, eager, strict=True)]
    seconds = _seconds()
    stored = cache.get_many(keys) if seconds > 0 else {}
    missing = {}
    parts = []
    for product, first, key in zip(products, eager, keys, strict=True):
        html = stored.get(key)
        if html is None:
            html = missing[key] = render_card(product, first)
        parts.append(f"<{wrap}>{html}</{wrap}>" if wrap else html)
    if missing and seconds > 0:
        cache.set_many(missing, seconds)
    return mark_safe("\n    ".join(parts))  # noqa: S308 - rendered by the autoescaping template
