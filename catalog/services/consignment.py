"""Consignment stock at partner outlets: hand-over, reported sales, returns,
under catalog.stock's locks."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import stock
from catalog.models import (
    ConsignmentMovement,
    OutletProduct,
    Product,
)
from facilities.scoping import scope_for

# --- consignment stock at partner outlets --------------------------------------


class ConsignmentError(Exception):
    """A refused consignment change; the message is ready to show (Indonesian)."""


def _consignment_locked(
    link: OutletProduct, actor, kind: str, quantity: int
) -> tuple[OutletProduct, Product]:
    """Lock the product, then the link (the product first, as checkout locks
    products, so the two cannot deadlock), check the actor's scope, and refuse
    a `kind` movement of `quantity` that finds too little there (_shortage)."""
    (product,) = stock.lock_products([link.product_id])
    locked = (
        OutletProduct.objects.select_for_update(of=("self",))
        .select_related("outlet")
        .get(pk=link.pk)
    )
    _refuse_out_of_scope(actor, locked)
    _refuse_short(kind, product=product, link=locked, quantity=quantity)
    return locked, product


def _refuse_out_of_scope(actor, link: OutletProduct) -> None:
    if actor is not None and not scope_for(actor).may_act_for(link.outlet.facility_id):
        raise ConsignmentError(_("Anda tidak berwenang atas titipan mitra ini."))


def _record(link, kind, quantity, actor, occurred_on, note, unit_price=None):
    return ConsignmentMovement.objects.create(
        link=link,
        kind=kind,
        quantity=quantity,
        unit_price=unit_price,
        occurred_on=occurred_on or timezone.localdate(),
        actor=actor,
        note=note[:300],
    )


def _check_quantity(quantity: int) -> None:
    if quantity < 1:
        raise ConsignmentError(_("Jumlah harus minimal 1."))


def _shortage(kind: str, *, product: Product, link: OutletProduct, quantity: int) -> str | None:
    """What must be there for each movement: ready stock to hand over, goods
    at the outlet to report sold or take back. The message, or None."""
    if kind == ConsignmentMovement.Kind.HANDOVER and product.stock < quantity:
        return _("Stok siap %(name)s tinggal %(stock)s; tidak bisa menitipkan %(n)s.") % {
            "name": product.name,
            "stock": product.stock,
            "n": quantity,
        }
    if kind == ConsignmentMovement.Kind.SOLD and link.on_hand < quantity:
        return _("Mitra hanya memegang %(n)s titipan; laporan %(q)s terjual ditolak.") % {
            "n": link.on_hand,
            "q": quantity,
        }
    if kind == ConsignmentMovement.Kind.RETURNED and link.on_hand < quantity:
        return _("Mitra hanya memegang %(n)s titipan; tidak bisa mengembalikan %(q)s.") % {
            "n": link.on_hand,
            "q": quantity,
        }
    return None


def _refuse_short(kind: str, *, product: Product, link: OutletProduct, quantity: int) -> None:
    problem = _shortage(kind, product=product, link=link, quantity=quantity)
    if problem:
        raise ConsignmentError(problem)


def consignment_hand_over(
    *, link: OutletProduct, quantity: int, actor, occurred_on=None, note: str = ""
) -> ConsignmentMovement:
    """Goods leave the facility for the outlet: the web shop's ready stock goes
    down by `quantity` and the outlet's holding up, in one transaction.

    Raises ConsignmentError when the ready stock is short, the quantity is not
    positive, or the actor is out of scope.
    """
    _check_quantity(quantity)
    with transaction.atomic():
        locked, product = _consignment_locked(
            link, actor, ConsignmentMovement.Kind.HANDOVER, quantity
        )
        stock.take([product], {product.pk: quantity})
        OutletProduct.objects.filter(pk=locked.pk).update(on_hand=F("on_hand") + quantity)
        return _record(
            locked, ConsignmentMovement.Kind.HANDOVER, quantity, actor, occurred_on, note
        )


def consignment_report_sold(
    *,
    link: OutletProduct,
    quantity: int,
    actor,
    unit_price: int | None = None,
    occurred_on=None,
    note: str = "",
) -> ConsignmentMovement:
    """The outlet reports `quantity` pieces sold: its holding goes down, its
    sold count up. The web shop's stock is untouched (it left at hand-over).

    Raises ConsignmentError when the outlet holds fewer than `quantity`.
    """
    _check_quantity(quantity)
    with transaction.atomic():
        locked, product = _consignment_locked(link, actor, ConsignmentMovement.Kind.SOLD, quantity)
        OutletProduct.objects.filter(pk=locked.pk).update(
            on_hand=F("on_hand") - quantity, sold=F("sold") + quantity
        )
        return _record(
            locked,
            ConsignmentMovement.Kind.SOLD,
            quantity,
            actor,
            occurred_on,
            note,
            unit_price=unit_price if unit_price is not None else product.price,
        )


def consignment_return(
    *, link: OutletProduct, quantity: int, actor, occurred_on=None, note: str = ""
) -> ConsignmentMovement:
    """Unsold goods come back from the outlet: its holding goes down and the
    web shop's ready stock up again.

    Raises ConsignmentError when the outlet holds fewer than `quantity`.
    """
    _check_quantity(quantity)
    with transaction.atomic():
        locked, product = _consignment_locked(
            link, actor, ConsignmentMovement.Kind.RETURNED, quantity
        )
        OutletProduct.objects.filter(pk=locked.pk).update(on_hand=F("on_hand") - quantity)
        stock.give_back({product.pk: quantity})
        return _record(
            locked, ConsignmentMovement.Kind.RETURNED, quantity, actor, occurred_on, note
        )


CONSIGNMENT_SERVICES = {
    ConsignmentMovement.Kind.HANDOVER: consignment_hand_over,
    ConsignmentMovement.Kind.SOLD: consignment_report_sold,
    ConsignmentMovement.Kind.RETURNED: consignment_return,
}


def consignment_problem(*, kind: str, link: OutletProduct, quantity: int, actor) -> str | None:
    """Why the movement would be refused now, or None: the services' own rules,
    read without locks so a form can show them as errors. The service checks
    again under its locks when it writes (consignment_record)."""
    try:
        _check_quantity(quantity)
        _refuse_out_of_scope(actor, link)
    except ConsignmentError as error:
        return str(error)
    fresh = OutletProduct.objects.select_related("product").get(pk=link.pk)
    return _shortage(kind, product=fresh.product, link=fresh, quantity=quantity)


def consignment_record(
    *, kind: str, unit_price: int | None = None, **movement
) -> ConsignmentMovement:
    """One movement of `kind` through its service, with the service's own
    keywords (link, quantity, actor, occurred_on, note); a price only for a
    sale. Raises ConsignmentError like the service it calls."""
    if kind == ConsignmentMovement.Kind.SOLD:
        movement["unit_price"] = unit_price
    return CONSIGNMENT_SERVICES[kind](**movement)
