"""What one unit of a product costs at a quantity: the one place tiers apply.

A product's own price holds from 1 unit up to just below its lowest tier; each
PriceTier lowers the unit price from its `min_quantity` upward. The cart, the
checkout preview, order placement and quotes all ask `unit_price_for`, so a
line is never priced two ways.

Reads `product.price_tiers.all()`, which uses a prefetch when the caller made
one (`with_tiers`), else one query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from catalog.models import Product


def _tiers(product: Product) -> list:
    if not product.pk:
        return []
    return sorted(product.price_tiers.all(), key=lambda t: t.min_quantity)


def unit_price_for(product: Product, quantity: int) -> int:
    """The unit price of `product` when `quantity` units are bought on one line."""
    price = product.price
    for tier in _tiers(product):
        if quantity >= tier.min_quantity:
            price = tier.unit_price
        else:
            break
    return price


def with_tiers(products: Iterable[Product]) -> None:
    """Prefetch the tiers of `products` in one query (on already loaded rows)."""
    prefetch_related_objects(list(products), "price_tiers")


@dataclass(frozen=True)
class Band:
    low: int
    high: int | None  # None: and up
    unit_price: int


def price_bands(product: Product) -> list[Band]:
    """The quantity bands of `product`, lowest first: [1-99 @ 95.000, 100+ @ 85.000].

    Starts at the minimum order quantity; a tier at or below it replaces the
    base price from the start.
    """
    low = product.min_order_quantity or 1
    price = unit_price_for(product, low)
    bands: list[Band] = []
    for tier in _tiers(product):
        if tier.min_quantity <= low:
            continue
        bands.append(Band(low, tier.min_quantity - 1, price))
        low, price = tier.min_quantity, tier.unit_price
    bands.append(Band(low, None, price))
    return bands


def tiers_problem(*, base_price: int | None, tiers: list[tuple[int, int]]) -> str | None:
    """Why these (min_quantity, unit_price) tiers can't stand, or None.

    Ascending quantities with no two tiers on the same quantity, each tier
    cheaper than the band below it (a larger quantity never costs more per
    unit).
    """
    ordered = sorted(tiers)
    seen: set[int] = set()
    previous = base_price
    for quantity, price in ordered:
        if quantity < 2:
            return _("Harga grosir berlaku mulai jumlah 2 ke atas.")
        if quantity in seen:
            return _("Ada dua harga grosir untuk jumlah %(q)s.") % {"q": quantity}
        seen.add(quantity)
        if previous is not None and price >= previous:
            return _(
                "Harga grosir mulai %(q)s harus lebih murah dari harga untuk jumlah di bawahnya."
            ) % {"q": quantity}
        previous = price
    return None
