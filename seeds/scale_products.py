"""The scale data's products: names, descriptions, prices, stock and sizes
drawn from seeds.scale_words, their photo rows, and each one's review history
(submitted, then approved)."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.db import connection
from django.utils.text import slugify

from catalog.models import Category, ListingReview, ListingStatus, Product, ProductImage
from facilities.models import Facility
from seeds import scale_words as words
from seeds.scale_bulk import HISTORY_DAYS, SLUG_PREFIX, _Copier, _reserve_ids


def _round_price(value: float) -> int:
    step = 500 if value < 50_000 else 1_000 if value < 500_000 else 5_000
    return max(step, int(round(value / step) * step))


def _product_rows(
    rng: random.Random,
    ids: range,
    facilities: list[Facility],
    categories: dict[str, Category],
    until: datetime,
    photos: list[dict],
    image_rows: list[tuple],
    first_id: int,
) -> Iterator[dict]:
    """Product rows for COPY (column: value, in the order they are drawn);
    each product's photo rows (without ids) go to `image_rows`."""
    kinds = words.PRODUCT_KINDS
    weights = [k[6] for k in kinds]
    # Facilities differ in size: a few big workshops list hundreds of products.
    facility_weights = [rng.paretovariate(1.3) for _ in facilities]
    cumulative_facilities = _cumulative(facility_weights)
    cumulative_kinds = _cumulative(weights)
    for product_id in ids:
        slug_kind, base, variants, unit, (low, high), (wlow, whigh), _w, food = kinds[
            _pick(rng, cumulative_kinds)
        ]
        facility = facilities[_pick(rng, cumulative_facilities)]
        variant = rng.choice(variants)
        detail = rng.choice(words.COLOURS if not food and rng.random() < 0.6 else words.SIZES)
        name = f"{base} {variant} {detail}"
        programme = rng.choice(words.PROGRAMMES_BY_CATEGORY[slug_kind])
        sentences = [
            rng.choice(words.DESCRIPTION_OPENERS).format(
                name=name, lower=name.lower(), programme=f"{programme} {facility.name}"
            ),
            *rng.sample(words.DESCRIPTION_MIDDLES, 2),
            rng.choice(words.DESCRIPTION_CARE[food]),
        ]
        price = _round_price(math.exp(rng.uniform(math.log(low), math.log(high))))
        made_to_order = not food and rng.random() < 0.1
        stock = 0 if made_to_order or rng.random() < 0.05 else int(rng.paretovariate(1.2) * 8)
        approved_at = until - timedelta(seconds=rng.randint(3600, HISTORY_DAYS * 86400))
        created_at = approved_at - timedelta(hours=rng.randint(2, 240))
        heavy = unit == "m2" or whigh > 50_000
        n_images = rng.choice((1, 1, 2, 3))
        for position in range(n_images):
            photo = photos[rng.randrange(len(photos))]
            image_rows.append(
                (
                    product_id,
                    position,
                    photo["image"],
                    photo["width"],
                    photo["height"],
                    f"{name}, foto {position + 1}",
                    json.dumps(photo["renditions"]),
                    created_at,
                )
            )
        yield {
            "id": product_id,
            "facility_id": facility.id,
            "category_id": categories[slug_kind].id,
            "name": name,
            # The ordinal, not the id: the same seed gives the same slugs anywhere.
            "slug": f"{slugify(name)}-{SLUG_PREFIX}{product_id - first_id + 1}"[:180],
            "description": " ".join(sentences),
            "price": price,
            "unit": unit,
            "min_order_quantity": 10 if unit == "m2" else 1,
            "made_to_order": made_to_order,
            "lead_time_days": rng.randint(3, 21) if made_to_order else None,
            "stock": min(stock, 5000),
            "weight_grams": rng.randint(wlow, whigh),
            "length_cm": None if food else rng.randint(5, 120),
            "width_cm": None if food else rng.randint(5, 80),
            "height_cm": None if food else rng.randint(2, 60),
            "local_only": heavy or (food and rng.random() < 0.3),
            "food_registration": (
                f"P-IRT {rng.randint(10**14, 10**15 - 1)}-{rng.randint(20, 30)}" if food else ""
            ),
            "halal_certificate": (
                f"ID{rng.randint(10**13, 10**14 - 1)}" if food and rng.random() < 0.7 else ""
            ),
            "shelf_life_days": rng.randint(7, 180) if food else None,
            "is_featured": rng.random() < 0.02,
            "status": ListingStatus.APPROVED.value,
            "approved_at": approved_at,
            "created_at": created_at,
            "updated_at": approved_at,
        }


IMAGE_COLUMNS = [
    "id",
    "product_id",
    "position",
    "image",
    "width",
    "height",
    "alt_text",
    "renditions",
    "created_at",
]


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _pick(rng: random.Random, cumulative: list[float]) -> int:
    import bisect

    return bisect.bisect_right(cumulative, rng.random() * cumulative[-1]) - 1 if cumulative else 0


def _make_products(
    rng: random.Random,
    count: int,
    facilities: list[Facility],
    categories: dict[str, Category],
    until: datetime,
    photos: list[dict],
    batch: int = 20_000,
) -> tuple[int, int]:
    product_copier = None
    image_copier = _Copier(ProductImage, IMAGE_COLUMNS)
    ids = _reserve_ids(Product, count)
    products = images = 0
    # Photo ids are reserved per batch (their count is only known as we go).
    for start in range(0, count, batch):
        chunk = ids[start : start + batch]
        image_rows: list[tuple] = []
        rows = list(
            _product_rows(rng, chunk, facilities, categories, until, photos, image_rows, ids.start)
        )
        # The columns are the keys of a row, named where each value is drawn.
        product_copier = product_copier or _Copier(Product, list(rows[0]))
        products += product_copier.copy(tuple(row.values()) for row in rows)
        image_ids = _reserve_ids(ProductImage, len(image_rows))
        images += image_copier.copy(
            (image_id, *row) for image_id, row in zip(image_ids, image_rows, strict=True)
        )
    _approve_history(ids)
    return products, images


def _approve_history(ids: range) -> None:
    """Each product's review history: submitted, then approved (set-based)."""
    table = ListingReview._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table}
                (product_id, action, from_status, to_status, note, checklist, snapshot,
                 created_at)
            SELECT id, 'submit', 'draft', 'pending_review', '', '{{}}'::jsonb, '{{}}'::jsonb,
                created_at
            FROM catalog_product WHERE id BETWEEN %s AND %s
            UNION ALL
            SELECT id, 'approve', 'pending_review', 'approved', '', '{{}}'::jsonb, '{{}}'::jsonb,
                approved_at
            FROM catalog_product WHERE id BETWEEN %s AND %s
            """,
            [ids.start, ids.stop - 1, ids.start, ids.stop - 1],
        )
