"""A checkout's cart lines: their shape, then, under the stock locks, the
products they name priced and checked (still sold, same price, enough stock,
within the money limits: orders.services.placement.line_problem, which an
agreed order asks too)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from catalog import pricing, stock_holds
from catalog.models import Product
from orders.limits import quantity_problem
from orders.services.checkout_input import PlaceLine
from orders.services.common import OrderError
from orders.services.placement import line_problem


def _check_lines_shape(lines: list[PlaceLine]) -> None:
    if not lines:
        raise OrderError(_("Keranjang Anda kosong."))
    seen = set()
    for line in lines:
        problem = quantity_problem(line.quantity)
        if problem:
            raise OrderError(problem)
        if line.product_id in seen:
            raise OrderError(_("Formulir checkout tidak valid. Muat ulang halaman checkout."))
        seen.add(line.product_id)


def _locked_priced_products(
    wanted: dict[int, PlaceLine], *, cart_holder: str = ""
) -> tuple[list[Product], dict[int, int], dict[int, int]]:
    """The products of the lines, locked (or, for a line the buyer's cart
    holds exactly, its hold locked instead: catalog.stock_holds.lock_for_placing),
    each one's unit price now, and the units the cart held of each (counted
    in the products' stock, the holds ended with this transaction).

    Raises OrderError (stale_cart=True when the catalog changed under the
    cart) when a line is refused.
    """
    # Locked in product-id order (catalog.stock), so concurrent placements
    # queue behind each other and can't deadlock.
    products, held = stock_holds.lock_for_placing(
        {pid: line.quantity for pid, line in wanted.items()}, cart_holder, related=["facility"]
    )
    # Tiers read after the lock: the price a line gets is the one checked here.
    pricing.with_tiers(products)
    prices = {p.pk: pricing.unit_price_for(p, wanted[p.pk].quantity) for p in products}

    problems: list[str] = []
    stale = False
    found = {p.pk for p in products}
    if found != set(wanted):
        raise OrderError(_("Ada produk yang tidak dikenal di keranjang."), stale_cart=True)
    for product in products:
        line = wanted[product.pk]
        refused = line_problem(
            product,
            quantity=line.quantity,
            unit_price=prices[product.pk],
            expected_price=line.expected_price,
        )
        if refused:
            problems.append(refused[0])
            stale = stale or refused[1]
    if problems:
        raise OrderError(*problems, stale_cart=stale)
    return products, prices, held
