"""Quotes that know the facility's stock and how long the rest takes.

A quantity over the ready stock of a product kept in stock cannot be taken
from the shelf: the request form and the staff's quote form say so at the
line and ask for the day it will be ready to ship ("siap dikirim tanggal").
A quote with that date orders its over-stock lines as made to order (no stock
taken, the facility makes them by then); a quote without one takes stock, and
when the stock has gone meanwhile the buyer is told which product is short
and can ask for a new version in one tap (services.quote_requote).
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Product


def is_over_stock(product: Product, quantity: int) -> bool:
    return not product.made_to_order and quantity > product.stock


def over_stock_message(product: Product, quantity: int) -> str:
    unit = product.get_unit_display()
    return _(
        "Stok %(name)s saat ini %(stock)s %(unit)s; %(quantity)s %(unit)s melebihi stok. "
        "Sisanya perlu dibuat dulu: isi tanggal siap dikirim."
    ) % {"name": product.name, "stock": product.stock, "unit": unit, "quantity": quantity}


def ready_date_problem(ready: date | None, *, needed: bool, latest: date | None) -> str | None:
    """Why `ready` cannot stand (None: fine). Needed when a line is over stock;
    never in the past, never after `latest` (the delivery or needed-by date)."""
    if ready is None:
        return _("Isi tanggal siap dikirim: jumlahnya melebihi stok.") if needed else None
    if ready < timezone.localdate():
        return _("Tanggal siap dikirim tidak boleh sebelum hari ini.")
    if latest is not None and ready > latest:
        return _("Tanggal siap dikirim tidak boleh setelah %(date)s.") % {
            "date": latest.strftime("%d-%m-%Y")
        }
    return None


def short_lines(quote) -> list[str]:
    """Why `quote` cannot be filled now, one message per short line ([] = it can).
    Lines over stock are fine when the quote gives a ready date (made for it)."""
    problems = []
    for line in quote.lines.select_related("product__facility"):
        product = line.product
        if not product.is_public:
            problems.append(_("%(name)s tidak lagi dijual.") % {"name": line.product_name})
        elif is_over_stock(product, line.quantity) and quote.ready_date is None:
            problems.append(
                _("Stok %(name)s tinggal %(stock)s %(unit)s, penawaran ini %(quantity)s %(unit)s.")
                % {
                    "name": line.product_name,
                    "stock": product.stock,
                    "unit": line.unit,
                    "quantity": line.quantity,
                }
            )
    return problems


def made_here(quote) -> set[int]:
    """Product ids of the quote's lines to order as made to order: over stock
    now, with a ready date the facility promised."""
    if quote.ready_date is None:
        return set()
    return {
        line.product_id
        for line in quote.lines.select_related("product")
        if is_over_stock(line.product, line.quantity)
    }


def requote_note(problems: list[str], version: int) -> str:
    return _(
        "Penawaran versi %(v)s tidak bisa dipenuhi saat disetujui: %(why)s "
        "Mohon kirim versi baru dengan jumlah yang tersedia atau tanggal siap dikirim."
    ) % {"v": version, "why": " ".join(problems)}
