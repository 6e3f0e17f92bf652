"""The product page's rows in one query, compiled once (catalog.prepared).

A built product page read its product (with facility, region, category and
parent), its photos, its price tiers, the partner outlets carrying it and
(the reviews block) its sold count in five round trips; each costs a
statement sent and parsed on our side as well as PostgreSQL's. Here the
lists ride along as JSON arrays of the same querysets, and rows become model
instances through each field's own `to_python`, as if prefetched.

Apps above the catalog add values with `PRODUCT_PAGE_ANNOTATIONS` (reviews
adds the units sold), so the catalog never imports them: name -> a function
returning an expression over the product's row (OuterRef("pk")).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, OuterRef, QuerySet
from django.db.models.functions import JSONObject

from catalog.models import PriceTier, Product, ProductImage
from catalog.prepared import Prepared
from facilities.models import PartnerOutlet

# name -> () -> expression; read when the query is first compiled (after
# every app's ready()).
PRODUCT_PAGE_ANNOTATIONS: dict[str, Callable] = {}


def _fields(model) -> list:
    return list(model._meta.concrete_fields)


def _as_json_array(queryset: QuerySet, *ordering: str) -> ArraySubquery:
    row = JSONObject(**{f.attname: F(f.attname) for f in _fields(queryset.model)})
    return ArraySubquery(queryset.order_by(*ordering).values(_row=row))


def _instances(model, rows: list[dict], db: str) -> list:
    fields = _fields(model)
    names = [f.attname for f in fields]
    return [model.from_db(db, names, [f.to_python(row[f.attname]) for f in fields]) for row in rows]


def _query(slug: str, today: date) -> QuerySet[Product]:
    outlets = PartnerOutlet.objects.current(today=today).filter(
        products_carried__product_id=OuterRef("pk")
    )
    return (
        Product.objects.select_related("facility__region", "category__parent")
        .annotate(
            page_images=_as_json_array(
                ProductImage.objects.filter(product_id=OuterRef("pk")), "position", "id"
            ),
            page_tiers=_as_json_array(
                PriceTier.objects.filter(product_id=OuterRef("pk")), "min_quantity"
            ),
            page_outlets=_as_json_array(outlets, "city", "name"),
            **{name: expression() for name, expression in PRODUCT_PAGE_ANNOTATIONS.items()},
        )
        .filter(slug=slug)[:1]
    )


_PRODUCT_PAGE = Prepared(_query, slug=str, today=date)


def _prefilled(product: Product, name: str, rows: list) -> None:
    """`product.<name>.all()` answers `rows` without a query, as a
    prefetch_related would have left it."""
    queryset = getattr(product, name).get_queryset()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    product._prefetched_objects_cache[name] = queryset


def product_page_row(slug: str, today: date) -> Product | None:
    """The product at `slug` with facility, region, category and parent
    joined, photos and price tiers prefetched, `page_outlets` (the partner
    outlets carrying it with an agreement in force `today`) and the values
    of PRODUCT_PAGE_ANNOTATIONS as attributes."""
    product = _PRODUCT_PAGE.first(slug=slug, today=today)
    if product is None:
        return None
    db = product._state.db
    product._prefetched_objects_cache = {}
    _prefilled(product, "images", _instances(ProductImage, product.page_images or [], db))
    _prefilled(product, "price_tiers", _instances(PriceTier, product.page_tiers or [], db))
    product.page_outlets = _instances(PartnerOutlet, product.page_outlets or [], db)
    del product.page_images, product.page_tiers
    return product
