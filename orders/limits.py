"""How much one checkout may ask for: the limits the cart and order_place share.

Quantities are capped per line, amounts per line and per order (one
facility's part of a checkout, shipping included). The cart applies them as
the shopper adds and changes lines, order_place applies them again inside the
checkout transaction (prices and fees may have changed since), and both say
the same thing because the messages live here. The amounts themselves are
core.money's, so the money columns hold whatever passes.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.money import MAX_ORDER_TOTAL, format_rupiah

MAX_QUANTITY = 9_999
MAX_LINES = 50


def _grouped(number: int) -> str:
    """9999 -> '9.999', as Indonesian writes numbers."""
    return f"{number:,}".replace(",", ".")


def quantity_problem(quantity: int) -> str | None:
    if 1 <= quantity <= MAX_QUANTITY:
        return None
    return _("Jumlah harus antara 1 dan %(max)s.") % {"max": _grouped(MAX_QUANTITY)}


def largest_quantity_within_limit(unit_price: int) -> int:
    """The most pieces at `unit_price` one order may hold (0 if not even one)."""
    return min(MAX_QUANTITY, MAX_ORDER_TOTAL // unit_price) if unit_price > 0 else MAX_QUANTITY


def line_amount_problem(*, name: str, unit_price: int, quantity: int) -> str | None:
    """A message when `quantity` × `unit_price` is more than one order may be."""
    total = unit_price * quantity
    if total <= MAX_ORDER_TOTAL:
        return None
    return _(
        "%(name)s: %(quantity)s × %(price)s = %(total)s, melebihi batas satu pesanan "
        "%(limit)s. Kurangi jumlahnya (paling banyak %(most)s), atau hubungi UPT langsung "
        "untuk pesanan sebesar ini."
    ) % {
        "name": name,
        "quantity": _grouped(quantity),
        "price": format_rupiah(unit_price),
        "total": format_rupiah(total),
        "limit": format_rupiah(MAX_ORDER_TOTAL),
        "most": _grouped(largest_quantity_within_limit(unit_price)),
    }


def order_amount_problem(*, facility_name: str, total: int) -> str | None:
    """A message when one facility's order would come to more than the limit."""
    if total <= MAX_ORDER_TOTAL:
        return None
    return _(
        "Pesanan dari %(facility)s berjumlah %(total)s, melebihi batas satu pesanan "
        "%(limit)s. Kurangi jumlah di keranjang, atau hubungi UPT langsung untuk pesanan "
        "sebesar ini."
    ) % {
        "facility": facility_name,
        "total": format_rupiah(total),
        "limit": format_rupiah(MAX_ORDER_TOTAL),
    }
