"""Categories and the products of every seeded facility, with drawn photos.

The products are the ones the founding news reports name (shared/sources);
prices, weights and registration numbers are demo values. Photos are simple
drawings (shapes, colours and the product's name, never a person) run
through the same pipeline as an upload. Everything goes through
catalog.services, so the review history has real rows: most listings are
approved, a few wait in the queue, one was sent back with a note.

Idempotent: categories are keyed by slug; a product whose slug exists is left
exactly as it is.
"""

from __future__ import annotations

import io

from django.db import transaction

from catalog import services
from catalog.models import Category, Product
from facilities.models import Facility
from seeds.catalog_data import CATEGORIES, PRODUCTS, S
from seeds.catalog_photos import draw_photo

FULL_CHECKLIST = {key: True for key in services.CHECKLIST}


def load_categories() -> dict[str, Category]:
    categories: dict[str, Category] = {}
    for position, (slug, (name_id, name_en, parent)) in enumerate(CATEGORIES.items()):
        category, _ = Category.objects.update_or_create(
            slug=slug,
            defaults={
                "name_id": name_id,
                "name_en": name_en,
                "parent": categories[parent] if parent else None,
                "position": position,
            },
        )
        categories[slug] = category
    return categories


def _create_product(facility: Facility, row: dict, categories: dict[str, Category]) -> Product:
    row = dict(row)
    slug, status, note = row.pop("slug"), row.pop("status", S.APPROVED), row.pop("note", "")
    category = categories[row.pop("category")]
    product = services.product_create(
        facility=facility, actor=None, slug=slug, category=category, **row
    )
    group = category.parent.slug if category.parent_id else category.slug
    services.product_image_add(
        product=product,
        upload=io.BytesIO(draw_photo(product.name, group)),
        alt_text=f"Ilustrasi {product.name}",
        actor=None,
    )
    if status == S.DRAFT:
        return product
    services.listing_submit(product=product, actor=None)
    if status == S.APPROVED:
        services.listing_approve(product=product, actor=None, checklist=FULL_CHECKLIST)
    elif status == S.CHANGES_REQUESTED:
        checklist = {**FULL_CHECKLIST, "food_registration": False, "packaging_label": False}
        services.listing_request_changes(
            product=product, actor=None, note=note, checklist=checklist
        )
    return product


def load_catalog(facilities: dict[str, Facility]) -> dict:
    """Create the category tree and each seeded facility's products (idempotent).

    Returns {"categories": n, "products": n, "created": n}.
    """
    with transaction.atomic():
        categories = load_categories()
        existing = set(
            Product.objects.filter(
                slug__in=[row["slug"] for rows in PRODUCTS.values() for row in rows]
            ).values_list("slug", flat=True)
        )
        created = 0
        for facility_slug, rows in PRODUCTS.items():
            facility = facilities.get(facility_slug)
            if facility is None:
                continue
            for row in rows:
                if row["slug"] in existing:
                    continue
                _create_product(facility, row, categories)
                created += 1
    return {
        "categories": len(categories),
        "products": Product.objects.filter(facility__in=facilities.values()).count(),
        "created": created,
    }
