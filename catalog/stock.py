"""Stock: the one module that locks, takes and gives back product stock.

In the manner of Saleor's warehouse/management.py: every writer of
`Product.stock` comes through here, so the rules hold in one place —
- rows are locked with SELECT ... FOR UPDATE in product-id order, so a
  checkout, a cancellation and a consignment move that touch the same
  products queue behind each other and can never deadlock;
- stock is taken and given back with `F()` updates on the locked rows;
- made-to-order products hold no stock and are skipped.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, Q

from catalog.models import Product

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


def take(locked: list[Product], quantities: dict[int, int]) -> None:
    """Take stock for {product_id: quantity} from products locked by
    lock_products (the caller checked there is enough), in product-id order.
    Made-to-order products hold no stock and are skipped."""
    for product in sorted(locked, key=lambda p: p.pk):
        if not product.made_to_order and product.pk in quantities:
            Product.objects.filter(pk=product.pk).update(
                stock=F("stock") - quantities[product.pk]
            )


def give_back(quantities: dict[int, int]) -> None:
    """Return stock for {product_id: quantity}, in product-id order (the same
    order checkout locks in, so a release never deadlocks a checkout)."""
    for product_id in sorted(quantities):
        Product.objects.filter(pk=product_id).update(stock=F("stock") + quantities[product_id])
