"""Long-tail traffic: shoppers spread over every product and thousands of
catalog filter combinations (Zipf, s=1.0), optionally while staff save
products through the services.

A Zipf mix over N items asks for the item of rank k with probability
proportional to 1/k: a few pages are asked for all the time, most rarely,
as real shoppers do. The ranks are a seeded shuffle, so popularity has
nothing to do with age, price or id.
"""

from __future__ import annotations

import bisect
import itertools
import random
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

SEED = 20261128
CATALOG_SORTS = ("newest", "price_asc", "price_desc", "rating")
CATALOG_PAGES = (1, 1, 1, 2, 2, 3, 5, 10)  # first pages far more often


class Zipf:
    """Draw indexes 0..n-1 with P(k) proportional to 1 / (k + 1) ** s."""

    def __init__(self, n: int, *, s: float = 1.0, seed: int = SEED):
        self.random = random.Random(seed)
        self.cumulative = list(itertools.accumulate(1 / (k + 1) ** s for k in range(n)))

    def draw(self) -> int:
        x = self.random.random() * self.cumulative[-1]
        return min(bisect.bisect_left(self.cumulative, x), len(self.cumulative) - 1)


def product_paths() -> list[str]:
    """Every public product's page, in a seeded random order (the popularity ranks)."""
    from catalog.models import Product

    slugs = list(Product.objects.public().order_by("id").values_list("slug", flat=True))
    random.Random(SEED).shuffle(slugs)
    return [f"/produk/{slug}/" for slug in slugs]


def search_words(limit: int = 60) -> list[str]:
    """The commonest first words of product names: what shoppers type."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lower(split_part(name, ' ', 1)) AS w, count(*) FROM catalog_product "
            "WHERE status = 'approved' GROUP BY w "
            "HAVING length(lower(split_part(name, ' ', 1))) > 2 ORDER BY count(*) DESC, w LIMIT %s",
            [limit],
        )
        return [row[0] for row in cursor.fetchall()]


def catalog_paths(count: int = 20_000) -> list[str]:
    """`count` distinct catalog URLs: category (or none), province (or none),
    search word (or none), sort and page, in a seeded random order."""
    from catalog.models import Category
    from facilities.models import Facility

    rng = random.Random(SEED)
    categories = [None, *Category.objects.order_by("slug").values_list("slug", flat=True)]
    provinces = [
        None,
        *Facility.objects.filter(is_active=True)
        .order_by("province")
        .values_list("province", flat=True)
        .distinct(),
    ]
    words = [None, *search_words()]
    seen: set[tuple] = set()
    paths = []
    while len(paths) < count:
        combo = (
            rng.choice(categories),
            rng.choice(provinces),
            rng.choice(words) if rng.random() < 0.5 else None,
            rng.choice(CATALOG_SORTS),
            rng.choice(CATALOG_PAGES),
        )
        if combo in seen:
            continue
        seen.add(combo)
        category, province, word, sort, page = combo
        params = {"category": category, "province": province, "q": word, "sort": sort}
        params = {k: v for k, v in params.items() if v}
        if page > 1:
            params["page"] = page
        paths.append("/produk/?" + urlencode(params))
    return paths


@dataclass
class LongTail:
    """The URLs of one long-tail mix and the seeded draw over them."""

    name: str
    paths: list[str]
    zipf: Zipf = field(repr=False)

    @classmethod
    def of(cls, name: str, paths: list[str], seed: int = SEED) -> LongTail:
        return cls(name, paths, Zipf(len(paths), seed=seed))

    def take(self, n: int) -> list[str]:
        return [self.paths[self.zipf.draw()] for _ in range(n)]


class StaffSaves:
    """Staff at work: `rate` product saves a second through
    catalog.services.product_update (stock and price: plain column writes, as
    a facility's staff make all day), each at a random facility, then a
    random public product of it. Runs in a thread of the bench process; its
    writes reach the server through the shared database and cache."""

    def __init__(self, rate: float = 1.0, seed: int = SEED):
        self.rate = rate
        self.random = random.Random(seed)
        self.saves = 0
        self.errors: list[str] = []
        self.seconds: list[float] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        from catalog.models import Product

        by_facility: dict[int, list[int]] = {}
        for pk, facility in Product.objects.public().values_list("pk", "facility_id"):
            by_facility.setdefault(facility, []).append(pk)
        self.pool = [ids for _facility, ids in sorted(by_facility.items())]
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        from django.db import connection

        from catalog.models import Product
        from catalog.services import product_update

        due = time.monotonic()
        try:
            while not self._stop.is_set():
                due += 1 / self.rate
                ids = self.random.choice(self.pool)
                product = Product.objects.get(pk=self.random.choice(ids))
                t0 = time.perf_counter()
                try:
                    product_update(
                        product=product,
                        actor=None,
                        stock=self.random.randint(0, 200),
                        price=max(1000, product.price + self.random.choice((-500, 500))),
                    )
                    self.saves += 1
                except Exception as exc:  # noqa: BLE001 - counted and reported
                    self.errors.append(f"{type(exc).__name__}: {exc}"[:200])
                self.seconds.append(time.perf_counter() - t0)
                self._stop.wait(max(0.0, due - time.monotonic()))
        finally:
            connection.close()

    def stop(self) -> dict:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=10)
        return {"saves": self.saves, "errors": len(self.errors), "first_errors": self.errors[:3]}
