"""Creating and editing products; a change to what the reviewer vouched for
(REVIEWED_FIELDS) sends an approved listing back to review."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from catalog import stock as stock_rules
from catalog import tasks
from catalog.models import (
    Product,
)
from catalog.search import refresh_search_vectors
from catalog.services.listing import (
    EDITABLE_FIELDS,
    REVIEWED_FIELDS,
    A,
    ListingPermissionError,
    S,
    _check_scope,
    _locked,
    _transition,
)
from facilities.models import Facility
from facilities.scoping import scope_for


def _unique_slug(name: str, facility: Facility) -> str:
    base = slugify(f"{name} {facility.slug}")[:170].strip("-") or "produk"
    slug, n = base, 2
    while Product.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable through product services: {sorted(unknown)}")


def _content_changed(product: Product, actor, what: str) -> None:
    """An approved listing's public content changed: back to the review queue."""
    if product.status == S.APPROVED:
        review = _transition(
            product,
            A.CONTENT_CHANGED,
            actor=actor,
            note=_("Diubah: %(what)s.") % {"what": what},
        )
        transaction.on_commit(lambda: tasks.queue_listing_submitted(review.pk))


def product_create(
    *, facility: Facility, actor, slug: str = "", stock: int = 0, **fields: Any
) -> Product:
    """Create a draft product of `facility`; the slug is made from the name once.
    Its first ready stock is set through catalog.stock, as every later one.

    Raises ListingPermissionError when `actor` may not act for `facility`,
    ValueError for fields that are not editable (status, facility, ...).
    """
    _check_fields(fields)
    if actor is not None and not scope_for(actor).facilities().filter(pk=facility.pk).exists():
        raise ListingPermissionError(_("Anda tidak berwenang atas UPT ini."))
    with transaction.atomic():
        product = Product(facility=facility, status=S.DRAFT, **fields)
        product.slug = slug or _unique_slug(product.name, facility)
        product.full_clean(exclude=["search_vector"])
        product.save()
        if stock:
            stock_rules.set_counted(product, stock, by=actor)
        refresh_search_vectors(product_ids=[product.pk])
    return product


def product_update(
    *,
    product: Product,
    actor,
    stock: int | None = None,
    stock_seen: int | None = None,
    **fields: Any,
) -> Product:
    """Write changed fields of `product`; content changes send an approved
    listing back to pending_review (with a CONTENT_CHANGED history row).

    Stock and price never trigger review. `stock` is written by
    catalog.stock.set_counted under this row lock; `stock_seen` is the stock
    the caller's form showed, so a sale made since is kept (see there).
    Raises ListingPermissionError for an actor out of scope; ValueError for
    fields that are not editable.
    """
    _check_fields(fields)
    with transaction.atomic():
        locked = _locked(product)
        _check_scope(actor, locked)
        changed = []
        for name, value in fields.items():
            attr = "category_id" if name == "category" else name
            new = value.pk if name == "category" and value is not None else value
            if getattr(locked, attr) != new:
                setattr(locked, name, value)
                changed.append(name)
        stock_changed = stock is not None and stock != (
            locked.stock if stock_seen is None else stock_seen
        )
        if stock_changed:
            stock_rules.set_counted(locked, stock, seen=stock_seen, by=actor)
        elif not changed:
            return locked
        locked.save(update_fields=[*changed, "updated_at"])
        content = [name for name in changed if name in REVIEWED_FIELDS]
        if content:
            refresh_search_vectors(product_ids=[locked.pk])
            labels = ", ".join(str(Product._meta.get_field(n).verbose_name) for n in content)
            _content_changed(locked, actor, labels)
    # The caller's instance follows, so an admin redirect shows the new state.
    product.refresh_from_db()
    return locked
