"""Units held for a cart: "+ Keranjang" sets them aside until the order is
placed, the line leaves the cart, or CART_HOLD_MINUTES pass unvisited.

Why: without holds, a crowd for a few units all got a "Ditambahkan" and went
on to fill the checkout form, and all but a few were refused at "Buat
pesanan", after the costliest steps of the journey (in the flash sale drill,
docs/flash-sale.md, 279 of 1,000 shoppers). With them the cart answers "stok
habis" once the units are spoken for, the product page says so (the hold that
takes the last unit retires its pages), and a shopper who got a unit keeps it
while filling in the form or waiting in the checkout's waiting room.

Held units leave `Product.stock` through catalog.stock (take/give_back, under
the product's row lock, in product-id order), so everything that reads the
stock (pages, staff's counts, placement checks) sees what others can still buy
without knowing about holds; only the cart and placement add the shopper's
own hold back (`held_by`, `lock_for_placing`). Expired holds come back to the stock by
the periodic sweep (`holds_expire`), not when read: until swept a lapsed hold
is still its cart's.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from catalog import stock
from catalog.models import Product, StockHold


class NotEnoughStock(Exception):
    """The hold could not be raised: `available` is what this cart could hold
    now (the stock left plus what it already held)."""

    def __init__(self, available: int):
        super().__init__(available)
        self.available = available


def new_holder() -> str:
    return secrets.token_hex(16)


def expiry():
    """When a hold made or renewed now lapses."""
    return timezone.now() + timedelta(minutes=settings.CART_HOLD_MINUTES)


def held_by(holder: str, product_ids: Iterable[int] | None = None) -> dict[int, int]:
    """{product_id: units} this cart holds (lapsed but unswept holds included)."""
    if not holder:
        return {}
    rows = StockHold.objects.filter(holder=holder)
    if product_ids is not None:
        rows = rows.filter(product_id__in=list(product_ids))
    return dict(rows.values_list("product_id", "quantity"))


def held_until(holder: str):
    """When the first of this cart's holds lapses (None: it holds nothing)."""
    if not holder:
        return None
    return (
        StockHold.objects.filter(holder=holder)
        .order_by("expires_at")
        .values_list("expires_at", flat=True)
        .first()
    )


def hold_set(product: Product, holder: str, quantity: int) -> None:
    """Make this cart hold `quantity` of `product` (0 releases it), taking the
    difference from the stock or giving it back, and renew the hold's time.
    Made-to-order products hold nothing. Raises NotEnoughStock when the
    stock left cannot cover the rise."""
    if product.made_to_order:
        return
    with transaction.atomic():
        (locked,) = stock.lock_products([product.pk])
        row = StockHold.objects.filter(holder=holder, product=locked).first()
        had = row.quantity if row else 0
        rise = quantity - had
        if rise > 0 and locked.stock < rise:
            raise NotEnoughStock(available=locked.stock + had)
        if rise > 0:
            stock.take([locked], {locked.pk: rise})
        elif rise < 0:
            stock.give_back({locked.pk: -rise})
        if quantity == 0:
            if row:
                row.delete()
        elif row:
            StockHold.objects.filter(pk=row.pk).update(quantity=quantity, expires_at=expiry())
        else:
            StockHold.objects.create(
                holder=holder, product=locked, quantity=quantity, expires_at=expiry()
            )


def release(holder: str, product_ids: Iterable[int] | None = None) -> None:
    """Give back what this cart holds (of these products), e.g. lines removed."""
    if not holder:
        return
    with transaction.atomic():
        rows = StockHold.objects.filter(holder=holder)
        if product_ids is not None:
            rows = rows.filter(product_id__in=list(product_ids))
        wanted = list(rows.values_list("product_id", flat=True))
        if wanted:
            _give_back_locked(rows, wanted)


def held_renewed(holder: str) -> dict[int, int]:
    """held_by, and the holds run CART_HOLD_MINUTES from now (the shopper is
    still at it), in one statement (UPDATE ... RETURNING): the cart and
    checkout pages read what the cart holds and keep it held, one query."""
    if not holder:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {StockHold._meta.db_table} SET expires_at = %s WHERE holder = %s "
            "RETURNING product_id, quantity",
            [expiry(), holder],
        )
        return dict(cursor.fetchall())


def lock_for_placing(
    quantities: dict[int, int], holder: str, *, related: Iterable[str] = ()
) -> tuple[list[Product], dict[int, int]]:
    """Inside the placing transaction: the products of an order's lines
    {product_id: quantity}, in product-id order, with this cart's holds of
    them ended and counted as the buyer's stock (in each product's `stock`
    in memory, so the placement's checks see them). Returns the products and
    {product_id: units held}, to pass to stock.take(held=...), which writes
    only the difference; if the placing fails the transaction puts the holds
    back as they were.

    A line the cart holds exactly needs no product row lock: its units left
    the stock when they were held, and the hold's own row (locked here, one
    per cart) is what keeps them the buyer's. Only lines the cart does not
    hold (or holds a different quantity of) lock their product's row, as
    every stock writer does. In a flash sale every buyer holds their units,
    so placements of one product no longer queue behind each other on its
    row while each does its work (with the row locked, 135 of 200 samples of
    the drill's database sessions were idle in a transaction, others waiting).
    Product locks come before hold locks, as in the sweep (holds_expire), so
    the two cannot deadlock.
    """
    looked = held_by(holder, quantities)
    covered = {pid for pid, quantity in quantities.items() if looked.get(pid) == quantity}
    products = stock.lock_products(
        [pid for pid in quantities if pid not in covered], related=related
    )
    held: dict[int, int] = {}
    if holder:
        rows = StockHold.objects.select_for_update().filter(
            holder=holder, product_id__in=list(quantities)
        )
        held = dict(rows.values_list("product_id", "quantity"))
        if held:
            rows.delete()
    # A hold that changed since it was looked at (swept, lowered): its product
    # is locked now. Its own row is not held here (gone) or is this cart's.
    moved = sorted(pid for pid in covered if held.get(pid, 0) != quantities[pid])
    if moved:
        products += stock.lock_products(moved, related=related)
        covered -= set(moved)
    products += list(Product.objects.filter(pk__in=covered).select_related(*related))
    products.sort(key=lambda p: p.pk)
    stock.count_held(products, held)
    return products, held


def holds_expire(limit: int = 500) -> int:
    """The periodic sweep: holds not renewed for CART_HOLD_MINUTES give their
    units back (and the pages of a product back in stock are retired).
    Safe to run twice at once: rows are taken under the products' locks and
    only deleted ones are given back. Returns the holds ended."""
    ended = 0
    due = list(
        StockHold.objects.filter(expires_at__lte=timezone.now())
        .order_by("product_id")
        .values_list("product_id", flat=True)
        .distinct()[:limit]
    )
    for product_id in due:
        with transaction.atomic():
            rows = StockHold.objects.filter(product_id=product_id, expires_at__lte=timezone.now())
            ended += _give_back_locked(rows, [product_id])
    return ended


def _give_back_locked(rows, product_ids: list[int]) -> int:
    """Lock the products (id order, like every stock writer), then delete the
    hold rows still there and give back exactly what they held."""
    stock.lock_products(product_ids)
    taken = list(rows.select_for_update().values_list("pk", "product_id", "quantity"))
    back: dict[int, int] = {}
    for _pk, product_id, quantity in taken:
        back[product_id] = back.get(product_id, 0) + quantity
    if taken:
        StockHold.objects.filter(pk__in=[pk for pk, _p, _q in taken]).delete()
        stock.give_back(back)
    return len(taken)
