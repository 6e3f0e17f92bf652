"""Stock: the one module that locks, takes and gives back product stock.

In the manner of Saleor's warehouse/management.py: every writer of
`Product.stock` comes through here, so the rules hold in one place —
- rows are locked with SELECT ... FOR UPDATE in product-id order, so a
  checkout, a cancellation and a consignment move that touch the same
  products queue behind each other and can never deadlock;
- stock is taken and given back with `F()` updates on the locked rows, and
  set by staff (set_counted) as the change they made, never over a sale;
- made-to-order products hold no stock and are skipped;
- a sale that sells a product out, and stock given back, retire its pages
  in the page cache (catalog.page_tags): the plain UPDATEs send no signal,
  and without this the product page kept offering "Stok siap" for up to
  PUBLIC_PAGE_CACHE_SECONDS after the last unit went. In the flash sale
  drill (docs/flash-sale.md) 530 of 1,000 shoppers saw a sold-out product
  offered and posted to the cart for a refusal, on the busiest seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db.models import F, Q

from catalog.models import Product

logger = logging.getLogger(__name__)

# "Menipis": at or under this many left (or under the minimum order), staff
# see the product flagged in the admin and on their dashboard.
LOW_STOCK_AT = 5


def low_stock_q() -> Q:
    """Products still in stock but running low: the one definition."""
    return Q(stock__gt=0) & (Q(stock__lte=LOW_STOCK_AT) | Q(stock__lt=F("min_order_quantity")))


def is_low(product: Product) -> bool:
    return product.stock > 0 and (
        product.stock <= LOW_STOCK_AT or product.stock < product.min_order_quantity
    )


def lock_products(product_ids: Iterable[int], *, related: Iterable[str] = ()) -> list[Product]:
    """Lock the products' rows in product-id order and return them fresh.

    Call inside a transaction; the locks hold until it ends."""
    return list(
        Product.objects.filter(pk__in=list(product_ids))
        .select_related(*related)
        .order_by("pk")
        .select_for_update(of=("self",))
    )


def take(
    locked: list[Product], quantities: dict[int, int], *, held: dict[int, int] | None = None
) -> None:
    """Take stock for {product_id: quantity} from products locked by
    lock_products (the caller checked there is enough), in product-id order.
    Made-to-order products hold no stock and are skipped. A product this
    sells out has its pages retired (its page and the listings its card is
    on now say "Stok habis").

    `held` is what the buyer's cart held of each product
    (catalog.stock_holds.lock_for_placing: already out of the row, and counted in the
    locked product's `stock` in memory), so only the difference is written:
    an order that takes exactly what its cart held writes nothing here and
    retires no page (the hold that took the last unit already did)."""
    held = held or {}
    changed = []
    for product in sorted(locked, key=lambda p: p.pk):
        if not product.made_to_order and product.pk in quantities:
            from_row = quantities[product.pk] - held.get(product.pk, 0)
            before = product.stock - held.get(product.pk, 0)  # what the row says
            if from_row:
                Product.objects.filter(pk=product.pk).update(stock=F("stock") - from_row)
            after = before - from_row
            # Sold out by this, or (a hold larger than the order) back in stock.
            if (before >= product.min_order_quantity > after) or (
                before < product.min_order_quantity <= after
            ):
                changed.append(product.pk)
    if changed and RETIRE_PAGES_ON_SELL_OUT:
        _retire_pages(changed)


def count_held(locked: list[Product], held: dict[int, int]) -> None:
    """A buyer's cart held {product_id: units} of these locked products
    (catalog.stock_holds.lock_for_placing ended the holds): the units are the buyer's,
    so they are counted in each product's `stock` in memory for the
    placement's checks; take(held=...) writes only the difference."""
    for product in locked:
        if not product.made_to_order:
            product.stock += held.get(product.pk, 0)


def give_back(quantities: dict[int, int]) -> None:
    """Return stock for {product_id: quantity}, in product-id order (the same
    order checkout locks in, so a release never deadlocks a checkout). The
    products' pages are retired: one sold out is offered again."""
    for product_id in sorted(quantities):
        Product.objects.filter(pk=product_id).update(stock=F("stock") + quantities[product_id])
    if quantities:
        _retire_pages(sorted(quantities))


# The flash sale drill's control (tests/drills/test_flash_sale.py) turns this
# off to show the shoppers a stale "Stok siap" sends to the cart.
RETIRE_PAGES_ON_SELL_OUT = True


def _retire_pages(product_ids: list[int]) -> None:
    """Retire the pages showing these products (now, and again after commit:
    core.page_cache.retire)."""
    from catalog.page_tags import product_tags
    from core.page_cache import retire

    rows = Product.objects.filter(pk__in=product_ids).select_related("category__parent", "facility")
    tags: set[str] = set()
    for product in rows:
        tags |= product_tags(product)
    if tags:
        retire(*tags)


def set_counted(locked: Product, count: int, *, seen: int | None = None, by=None) -> int:
    """Staff set a product's ready stock to `count` (the admin's "stok siap"):
    the one absolute writer, on a row locked by the caller (lock_products, or
    the listing services' lock) or one just created in the same transaction.

    `seen` is the stock the staff's form showed. Stock taken or given back
    since (a checkout, a cancellation, a consignment) is kept: the change the
    person made (`count - seen`) is applied to the row as it is now, so a
    save from a form opened before a sale can't undo the sale. Without
    `seen` the count is set as given. Never below zero.

    Returns the stock written. Raises ValueError for a negative count.
    """
    if count < 0:
        raise ValueError("Stock cannot be negative.")
    current = Product.objects.filter(pk=locked.pk).values_list("stock", flat=True).get()
    new = count if seen is None else max(0, current + count - seen)
    if new != current:
        Product.objects.filter(pk=locked.pk).update(stock=new)
        # No history table for stock yet: the log keeps who set what, and the
        # orders and consignment movements keep every other change.
        logger.info(
            "stock set: product=%s %s -> %s (asked %s, form showed %s) by=%s",
            locked.pk,
            current,
            new,
            count,
            seen,
            getattr(by, "pk", None),
        )
    locked.stock = new
    return new
