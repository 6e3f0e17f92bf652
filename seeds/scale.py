"""National-scale data for the benchmark: regions, facilities, products, photos, orders.

Deterministic from a seed (every value comes from one random.Random), so two
runs with the same seed and sizes make the same rows; the only things that
differ are database ids and the sequence positions they come from.

Speed: rows go in with PostgreSQL COPY (psycopg 3 `cursor.copy`), in streamed
batches so memory stays flat at any size; search vectors are filled by one
set-based refresh_search_vectors() call; tables are ANALYZEd at the end.

Photos: a small shared set of images is drawn once with Pillow, encoded the way
core.images encodes uploads (WebP q80 + JPEG q85 renditions at 320/640/1280
px), and every ProductImage row points at one of them.

This module is the entry point (generate, wipe); the parts, one module each:
scale_bulk (the shared error, history span, sequence ids and COPY),
scale_places (regions, facilities, categories), scale_photos, scale_products
(with their review history), scale_orders, and the word lists in scale_words.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.db import connection

from catalog.models import Category, Product
from catalog.search import refresh_search_vectors
from facilities.models import Facility, Region
from seeds import scale_words as words
from seeds.scale_bulk import (  # noqa: F401  (re-exported: seeds.scale is the entry point)
    DEFAULT_UNTIL,
    HISTORY_DAYS,
    SLUG_PREFIX,
    ScaleDataError,
    _Copier,
    _reserve_ids,
)
from seeds.scale_photos import IMAGE_SET_SIZE, _make_image_set
from seeds.scale_places import _make_categories, _make_facilities, _make_regions
from seeds.scale_products import _make_products


@dataclass
class ScaleSummary:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def timed(self, label: str, started: float) -> None:
        self.seconds[label] = round(time.perf_counter() - started, 2)


def wipe() -> None:
    """Empty every table the generator fills (and what hangs off them)."""
    from orders.models import Checkout

    tables = [
        Checkout._meta.db_table,
        Region._meta.db_table,
        Facility._meta.db_table,
        Product._meta.db_table,
        Category._meta.db_table,
    ]
    with connection.cursor() as cursor:
        # Inside a transaction (tests), deferred foreign-key checks of rows just
        # inserted would block TRUNCATE; run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def generate(
    *,
    seed: int,
    products: int,
    facilities: int = 500,
    orders: int = 0,
    media_root: Path,
    until: datetime = DEFAULT_UNTIL,
    images: int = IMAGE_SET_SIZE,
    log: Callable[[str], None] = lambda message: None,
) -> ScaleSummary:
    """Fill an empty catalog with national-scale data.

    Raises ScaleDataError when products or facilities already exist (wipe()
    first) or when a model has gained a required column the generator does not fill.
    """
    if Facility.objects.exists() or Product.objects.exists():
        raise ScaleDataError(
            "The database already has facilities or products; use --wipe to empty it first."
        )
    if facilities < len(words.PROVINCES):
        raise ScaleDataError(f"At least {len(words.PROVINCES)} facilities: one per region.")
    summary = ScaleSummary()
    rng = random.Random(seed)

    started = time.perf_counter()
    regions = _make_regions()
    facility_rows = _make_facilities(rng, regions, facilities)
    categories = _make_categories()
    summary.counts.update(
        regions=len(regions), facilities=len(facility_rows), categories=len(categories)
    )
    summary.timed("facilities", started)
    log(f"{len(regions)} regions, {len(facility_rows)} facilities")

    started = time.perf_counter()
    photos = _make_image_set(rng, media_root, images)
    summary.timed("photos", started)
    log(f"{len(photos)} shared photos drawn")

    started = time.perf_counter()
    made, image_count = _make_products(rng, products, facility_rows, categories, until, photos)
    summary.counts.update(products=made, product_images=image_count)
    summary.timed("products", started)
    log(f"{made} products, {image_count} photos copied")

    started = time.perf_counter()
    refresh_search_vectors()
    summary.timed("search_vectors", started)
    log("search vectors filled")

    if orders:
        from seeds.scale_orders import make_orders

        started = time.perf_counter()
        summary.counts.update(make_orders(rng, orders, facility_rows, until=until, log=log))
        summary.timed("orders", started)

    started = time.perf_counter()
    _analyze()
    summary.timed("analyze", started)
    return summary


def _analyze() -> None:
    """Fresh planner statistics (and, outside a transaction, no dead rows from
    the search-vector UPDATE), so EXPLAIN reflects steady state."""
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            cursor.execute("ANALYZE")
        else:
            # FULL: the search-vector UPDATE rewrote every row; a live table
            # is not half dead rows, and the benchmark should not read them.
            cursor.execute("VACUUM (FULL, ANALYZE) catalog_product")
            cursor.execute("ANALYZE")
