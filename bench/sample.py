"""The shop's URLs on the scale data: the fixed sample and the page kinds."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode


@dataclass
class Sample:
    product_paths: list[str]
    storefront_paths: list[str]
    catalog_path: str
    search_common: str
    search_rare: str
    cart_products: list[int]  # ready stock, distinct, for add-to-cart and checkout
    contention_product: int
    stats: dict = field(default_factory=dict)


COMMON_WORD = "kayu"
RARE_WORD = "lovebird"


def pick_sample(count: int = 500) -> Sample:
    """URLs spread over the whole catalog (a fixed, seeded pick), so the load is
    not one hot row in the database's cache."""
    from django.db import connection
    from django.db.models import Count

    from catalog.models import Product
    from facilities.models import Facility

    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.42)")
        cursor.execute(
            "SELECT slug FROM catalog_product WHERE status = 'approved' ORDER BY random() LIMIT %s",
            [count],
        )
        products = [f"/produk/{row[0]}/" for row in cursor.fetchall()]
        cursor.execute("SELECT setseed(0.42)")
        cursor.execute(
            "SELECT slug FROM facilities_facility WHERE is_active ORDER BY random() LIMIT 100"
        )
        storefronts = [f"/upt/{row[0]}/" for row in cursor.fetchall()]
    # The province with the most products: the heaviest two-filter page.
    province = (
        Facility.objects.values("province")
        .annotate(n=Count("products"))
        .order_by("-n", "province")
        .values_list("province", flat=True)
        .first()
    )
    catalog = "/produk/?" + urlencode({"category": "kerajinan", "province": province})
    ready = list(
        Product.objects.public()
        .filter(made_to_order=False, min_order_quantity=1, stock__gte=20)
        .order_by("id")
        .values_list("id", flat=True)[:5000]
    )
    if len(ready) < 200:
        raise SystemExit(f"Only {len(ready)} products with stock: generate more scale data.")
    stats = {
        "products": Product.objects.count(),
        "public_products": Product.objects.public().count(),
        "facilities": Facility.objects.count(),
    }
    try:
        from orders.models import Order

        stats["orders"] = Order.objects.count()
    except ImportError:  # pragma: no cover - orders app always there now
        pass
    return Sample(
        product_paths=products,
        storefront_paths=storefronts,
        catalog_path=catalog,
        search_common=f"/produk/?q={quote(COMMON_WORD)}",
        search_rare=f"/produk/?q={quote(RARE_WORD)}",
        cart_products=ready[1:],
        contention_product=ready[0],
        stats=stats,
    )


# The same pages when the page cache cannot help (a filter combination or a
# product nobody asked for in the last minute): an extra, ignored parameter
# makes every URL new, so every request builds its page.
UNCACHED = {
    "catalog_uncached": "catalog",
    "search_common_uncached": "search_common",
    "product_uncached": "product",
}


def _never_cached(path: str, i: int) -> str:
    return f"{path}{'&' if '?' in path else '?'}bench={i}"


def get_endpoints(sample: Sample) -> dict[str, list[str]]:
    return {
        "home": ["/"],
        "catalog": [sample.catalog_path],
        "search_common": [sample.search_common],
        "search_rare": [sample.search_rare],
        "product": sample.product_paths,
        "storefront": sample.storefront_paths,
    }


# --- 1. queries per request, 2. EXPLAIN ANALYZE, 3. page weight ---------------------
