"""The shopper's cart, kept in the session: no account needed.

The session holds only product id -> quantity, the price the shopper saw when
adding, and the name (to say what disappeared). Everything shown is re-read
from the catalog on every page, and differences (sold out, price changed,
withdrawn) are turned into notices the shopper reads before paying.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from catalog import stock_holds
from catalog.models import Product
from catalog.pricing import unit_price_for
from core.money import MAX_ORDER_TOTAL, format_rupiah
from orders import selectors
from orders.limits import (
    MAX_LINES,
    largest_quantity_within_limit,
    line_amount_problem,
    order_amount_problem,
    quantity_problem,
)

SESSION_KEY = "kb_cart"
# The cart's hold id (catalog.stock_holds): the units "+ Keranjang" set aside.
HOLDER_KEY = "kb_cart_holder"


class CartError(Exception):
    """A cart change refused, with the message to show the shopper."""


@dataclass
class CartLine:
    product: Product
    quantity: int
    # What the shopper may have of it: the stock left plus their cart's hold.
    available: int = 0

    @property
    def unit_price(self) -> int:
        return unit_price_for(self.product, self.quantity)

    @property
    def line_total(self) -> int:
        return self.unit_price * self.quantity

    @property
    def weight_grams(self) -> int:
        return self.product.weight_grams * self.quantity


@dataclass
class FacilityGroup:
    facility: object
    lines: list[CartLine] = field(default_factory=list)

    @property
    def subtotal(self) -> int:
        return sum(line.line_total for line in self.lines)

    @property
    def weight_grams(self) -> int:
        return sum(line.weight_grams for line in self.lines)

    @property
    def local_only_names(self) -> list[str]:
        from orders.delivery.fees import local_only_names

        return local_only_names(line.product for line in self.lines)


@dataclass
class CartSnapshot:
    groups: list[FacilityGroup]
    notices: list[str]
    # Until when the cart's units are held for the shopper (None: none held).
    held_until: datetime | None = None

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def total(self) -> int:
        return sum(group.subtotal for group in self.groups)

    @property
    def lines(self) -> list[CartLine]:
        return [line for group in self.groups for line in group.lines]


class Cart:
    def __init__(self, session):
        self.session = session
        self.data: dict[str, dict] = session.get(SESSION_KEY) or {}
        self.holder: str = session.get(HOLDER_KEY) or ""
        # A detached copy (the checkout's live totals) reads holds, never writes them.
        self.writes_holds = not getattr(session, "detached", False)

    def _save(self) -> None:
        self.session[SESSION_KEY] = self.data
        self.session.modified = True

    def __len__(self) -> int:
        return len(self.data)

    def quantity_of(self, product_id: int) -> int:
        return self.data.get(str(product_id), {}).get("q", 0)

    def add(self, *, product: Product, quantity: int) -> int:
        """Add `quantity` of a public product; returns the new quantity in the cart.

        Raises CartError when the total would break the minimum order, the
        available stock or the cart's limits.
        """
        new_quantity = self.quantity_of(product.pk) + quantity
        if str(product.pk) not in self.data and len(self.data) >= MAX_LINES:
            raise CartError(_("Keranjang penuh: paling banyak %(n)s produk.") % {"n": MAX_LINES})
        check_quantity(product, new_quantity, held=self._held(product))
        self._check_order_amount(product, new_quantity)
        self._hold(product, new_quantity)
        self.data[str(product.pk)] = {
            "q": new_quantity,
            "p": unit_price_for(product, new_quantity),
            "n": product.name,
        }
        self._save()
        return new_quantity

    def set(self, *, product: Product, quantity: int) -> None:
        """Set a line's quantity (0 removes it); same checks as add."""
        if quantity == 0:
            self.remove(product_id=product.pk)
            return
        if str(product.pk) not in self.data:
            raise CartError(_("Produk ini tidak ada di keranjang Anda."))
        check_quantity(product, quantity, held=self._held(product))
        self._check_order_amount(product, quantity)
        self._hold(product, quantity)
        self.data[str(product.pk)].update(q=quantity, p=unit_price_for(product, quantity))
        self._save()

    def held_until(self):
        """When the first of this cart's holds lapses (None: it holds nothing)."""
        return stock_holds.held_until(self.holder)

    def _held(self, product: Product) -> int:
        return stock_holds.held_by(self.holder, [product.pk]).get(product.pk, 0)

    def _hold(self, product: Product, quantity: int) -> None:
        """Set aside `quantity` of the product for this cart (checked against
        the stock again under its row lock: another shopper may have just
        taken the last units)."""
        if product.made_to_order:
            return
        if not self.holder:
            self.holder = stock_holds.new_holder()
            self.session[HOLDER_KEY] = self.holder
            self.session.modified = True
        try:
            stock_holds.hold_set(product, self.holder, quantity)
        except stock_holds.NotEnoughStock as short:
            raise CartError(_stock_message(product, short.available)) from None

    def _check_order_amount(self, product: Product, quantity: int) -> None:
        """Raise CartError when `quantity` of `product` would take its facility's
        order over the limit, counting the cart's other lines of that facility
        at today's prices."""
        total = unit_price_for(product, quantity) * quantity
        others = [int(pid) for pid in self.data if int(pid) != product.pk]
        if others and total <= MAX_ORDER_TOTAL:
            for other in selectors.cart_products(others):
                if other.facility_id == product.facility_id:
                    quantity_other = self.quantity_of(other.pk)
                    total += unit_price_for(other, quantity_other) * quantity_other
        problem = order_amount_problem(facility_name=product.facility.name, total=total)
        if problem:
            raise CartError(problem)

    def remove(self, *, product_id: int) -> None:
        stock_holds.release(self.holder, [product_id])
        if self.data.pop(str(product_id), None) is not None:
            self._save()

    def remove_many(self, product_ids) -> None:
        """Lines gone from the cart (placed: their holds ended with the
        placing; anything still held of them is given back)."""
        product_ids = list(product_ids)
        stock_holds.release(self.holder, product_ids)
        for product_id in product_ids:
            self.data.pop(str(product_id), None)
        self._save()

    def expected(self) -> list[tuple[int, int, int]]:
        """(product id, quantity, price the shopper saw), sorted by product id."""
        return sorted((int(pid), row["q"], row["p"]) for pid, row in self.data.items())

    def token(self) -> str:
        """A fingerprint of what the shopper is looking at, carried through the
        checkout form so a cart changed in another tab is not bought unseen."""
        return ".".join(f"{pid}x{q}@{p}" for pid, q, p in self.expected())

    def refresh(self) -> CartSnapshot:
        """Re-read every product, fix what changed, and say what was fixed.

        Withdrawn or sold-out products are removed, quantities above the
        stock are lowered, and a changed price is noted once (and then
        accepted as the price the shopper has seen).
        """
        products = {p.pk: p for p in selectors.cart_products(int(pid) for pid in self.data)}
        # What this cart holds is its own: counted with the stock left.
        if not self.data:
            held = {}
        elif self.writes_holds:
            held = stock_holds.held_renewed(self.holder)
        else:
            held = stock_holds.held_by(self.holder)
        notices: list[str] = []
        changed = False
        groups: dict[int, FacilityGroup] = {}
        lowered: dict[Product, int] = {}  # lines now below what the cart holds
        for pid, row in sorted(self.data.items(), key=lambda item: int(item[0])):
            product = products.get(int(pid))
            name = row.get("n", "")
            if product is None:
                notices.append(
                    _("%(name)s tidak lagi dijual dan dihapus dari keranjang.") % {"name": name}
                )
                del self.data[pid]
                changed = True
                continue
            quantity = row["q"]
            available = product.stock + held.get(product.pk, 0)
            if not product.made_to_order and available < max(quantity, 1):
                if available < product.min_order_quantity:
                    notices.append(
                        _("Stok %(name)s habis dan produk dihapus dari keranjang.")
                        % {"name": product.name}
                    )
                    del self.data[pid]
                    changed = True
                    continue
                notices.append(
                    _("Stok %(name)s tinggal %(stock)s; jumlah di keranjang disesuaikan.")
                    % {"name": product.name, "stock": available}
                )
                quantity = available
            if quantity < product.min_order_quantity:
                notices.append(
                    _("Minimal pembelian %(name)s adalah %(min)s; jumlah disesuaikan.")
                    % {"name": product.name, "min": product.min_order_quantity}
                )
                quantity = product.min_order_quantity
            most = largest_quantity_within_limit(product.price)
            if quantity > most:
                # The price rose since adding: what is left of the line must
                # still fit one order, or the line cannot be bought here at all.
                if most < product.min_order_quantity:
                    notices.append(
                        _(
                            "%(name)s dalam jumlah minimalnya melebihi batas satu pesanan "
                            "%(limit)s dan dihapus dari keranjang; hubungi UPT langsung."
                        )
                        % {"name": product.name, "limit": format_rupiah(MAX_ORDER_TOTAL)}
                    )
                    del self.data[pid]
                    changed = True
                    continue
                notices.append(
                    _(
                        "%(name)s melebihi batas satu pesanan %(limit)s; jumlah disesuaikan "
                        "menjadi %(quantity)s."
                    )
                    % {
                        "name": product.name,
                        "limit": format_rupiah(MAX_ORDER_TOTAL),
                        "quantity": most,
                    }
                )
                quantity = most
            price = unit_price_for(product, quantity)
            if row["p"] != price:
                notices.append(
                    _("Harga %(name)s berubah dari %(old)s menjadi %(new)s.")
                    % {
                        "name": product.name,
                        "old": format_rupiah(row["p"]),
                        "new": format_rupiah(price),
                    }
                )
            if quantity != row["q"] or row["p"] != price or row.get("n") != product.name:
                self.data[pid] = {"q": quantity, "p": price, "n": product.name}
                changed = True
            if held.get(product.pk, 0) > quantity:
                lowered[product] = quantity
            group = groups.setdefault(product.facility_id, FacilityGroup(product.facility))
            group.lines.append(CartLine(product, quantity, available))
        # Units held for lines that left the cart or were lowered go back.
        gone = [pid for pid in held if str(pid) not in self.data]
        if gone and self.writes_holds:
            stock_holds.release(self.holder, gone)
        for product, quantity in lowered.items() if self.writes_holds else ():
            stock_holds.hold_set(product, self.holder, quantity)
        if changed:
            self._save()
        ordered = sorted(groups.values(), key=lambda g: g.facility.name)
        for group in ordered:
            # Not fixed here: which line to lower is the shopper's choice. The
            # notice stands (and checkout waits) until the cart is changed.
            problem = order_amount_problem(facility_name=group.facility.name, total=group.subtotal)
            if problem:
                notices.append(problem)
        held_until = stock_holds.expiry() if held and self.writes_holds else None
        return CartSnapshot(groups=ordered, notices=notices, held_until=held_until)


def check_quantity(product: Product, quantity: int, *, held: int = 0) -> None:
    """Raise CartError unless `quantity` of `product` may be ordered now;
    `held` is what the shopper's cart already holds of it (its own)."""
    problem = quantity_problem(quantity)
    if problem:
        raise CartError(problem)
    if quantity < product.min_order_quantity:
        raise CartError(
            _("Minimal pembelian %(name)s adalah %(min)s %(unit)s.")
            % {
                "name": product.name,
                "min": product.min_order_quantity,
                "unit": product.get_unit_display(),
            }
        )
    if not product.made_to_order and quantity > product.stock + held:
        raise CartError(_stock_message(product, product.stock + held))
    problem = line_amount_problem(
        name=product.name, unit_price=unit_price_for(product, quantity), quantity=quantity
    )
    if problem:
        raise CartError(problem)


def _stock_message(product: Product, available: int) -> str:
    """What the cart says when the stock left (with the cart's own hold)
    cannot cover the quantity asked."""
    if available < product.min_order_quantity:
        return _("Maaf, stok %(name)s sedang habis.") % {"name": product.name}
    return _("Stok %(name)s tinggal %(stock)s; kurangi jumlahnya.") % {
        "name": product.name,
        "stock": available,
    }
