"""The rows of a listing page's product cards, in one query of constant SQL.

A listing page (catalog, category, search, storefront) finds its page of
product ids with the ORM (filters, sort, search), then needs for each card a
dozen columns, the facility's name and the cover photo. Loading them as
Product objects (select_related, a prefetch of the cover) cost, per built
page, an ORM compile of two queries, the prefetch machinery and 72 model
objects: ~6 ms of the 30 ms a built catalog page took (bench.buildphases).
Here one SQL text, compiled never, reads them for any page: the cover is a
LATERAL join (first photo by position), and each row becomes a small
`CardProduct`, which catalog/cards.py and partials/product_card.html read as
they read a Product. The card HTML itself is stored by a digest of these
facts (catalog/cards.py), so most pages render no card at all.
"""

import json
from functools import cache

from django.db import connection
from django.urls import reverse

from catalog.models import ListingStatus, Product
from catalog.models_photos import ProductImage
from facilities.models import Facility

# Product columns, in the order of CardProduct's fields below.
_PRODUCT_COLUMNS = (
    "id",
    "slug",
    "name",
    "updated_at",
    "price",
    "unit",
    "made_to_order",
    "stock",
    "min_order_quantity",
    "rating_avg",
    "rating_count",
)
_COVER_COLUMNS = ("id", "image", "width", "height", "alt_text", "renditions")


@cache
def _sql() -> str:
    def column(model, name):
        return model._meta.get_field(name).column

    product = ", ".join(f'p."{column(Product, name)}"' for name in _PRODUCT_COLUMNS)
    cover = ", ".join(f'i."{column(ProductImage, name)}"' for name in _COVER_COLUMNS)
    inner = ", ".join(f'"{column(ProductImage, name)}"' for name in _COVER_COLUMNS)
    image_product = column(ProductImage, "product")
    return (
        f'SELECT {product}, f."name", {cover} '
        f'FROM "{Product._meta.db_table}" p '
        f'JOIN "{Facility._meta.db_table}" f ON f."id" = p."{column(Product, "facility")}" '
        f'LEFT JOIN LATERAL (SELECT {inner} FROM "{ProductImage._meta.db_table}" '
        f'WHERE "{image_product}" = p."id" ORDER BY "position", "id" LIMIT 1) i ON TRUE '
        # Public still (the ids were picked by the same rule a moment ago).
        f'WHERE p."id" = ANY(%s) AND p."status" = %s AND f."is_active"'
    )


class _FacilityName:
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


class CardProduct:
    """One product as a card shows it: the attributes and methods of a
    Product that catalog/cards.py and partials/product_card.html read."""

    __slots__ = (
        "pk",
        "slug",
        "name",
        "updated_at",
        "price",
        "unit",
        "made_to_order",
        "in_stock",
        "rating_avg",
        "rating_count",
        "facility",
        "cover_facts",
        "_cover",
    )

    def __init__(self, row: tuple):
        (
            self.pk,
            self.slug,
            self.name,
            self.updated_at,
            self.price,
            self.unit,
            self.made_to_order,
            stock,
            min_order_quantity,
            self.rating_avg,
            self.rating_count,
            facility_name,
            *cover,
        ) = row
        # Product.in_stock, from the same two columns.
        self.in_stock = self.made_to_order or stock >= min_order_quantity
        self.facility = _FacilityName(facility_name)
        if cover[0] is None:
            self.cover_facts = None
        else:
            renditions = cover[5]
            if isinstance(renditions, str):  # jsonb arrives as text through Django's cursor
                cover[5] = json.loads(renditions)
            # (pk, image name, width, height, alt text, renditions): cards.py's photo facts.
            self.cover_facts = tuple(cover)
        self._cover = None

    @property
    def id(self) -> int:
        return self.pk

    @property
    def cover_images(self) -> list[ProductImage]:
        """The cover as an (unsaved) ProductImage, for the picture tag; built
        only when a card is rendered, not when it comes from the card cache."""
        if self.cover_facts is None:
            return []
        if self._cover is None:
            pk, image, width, height, alt_text, renditions = self.cover_facts
            self._cover = ProductImage(
                id=pk,
                product_id=self.pk,
                image=image,
                width=width,
                height=height,
                alt_text=alt_text,
                renditions=renditions,
            )
        return [self._cover]

    def get_absolute_url(self) -> str:
        return reverse("catalog:product", kwargs={"slug": self.slug})

    def get_unit_display(self) -> str:
        return str(dict(Product.Unit.choices).get(self.unit, self.unit))

    def __repr__(self) -> str:
        return f"<CardProduct {self.pk} {self.slug}>"


def card_products(ids: list[int]) -> list[CardProduct]:
    """The cards' rows of the public products `ids`, in that order; one query."""
    if not ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_sql(), [list(ids), ListingStatus.APPROVED])
        rows = {row[0]: CardProduct(row) for row in cursor.fetchall()}
    return [rows[pk] for pk in ids if pk in rows]
