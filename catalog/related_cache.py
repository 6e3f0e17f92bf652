"""The product page's related products, shared by every product of a category.

"Others of the same category, newest first" is the same list for all the
products of a category but the one itself, so the newest few of a category
are stored once (with their facility, category and cover photo) and each
product page drops itself from them: on the long-tail product mix this was
6.7 of a built page's 16 ms of Python (three to four queries). The stored
list is keyed by the versions of the category's listing tag and GLOBAL
(core.page_cache), so any save of a product of the category, or of a
facility, starts a new one; stock sold at checkout (a plain UPDATE) shows
after `PUBLIC_PAGE_CACHE_SECONDS`, as on the cached pages themselves.
"""

from django.conf import settings
from django.core.cache import cache

from catalog.selectors import public_products, related_products
from core.page_cache import GLOBAL, tag_versions


def related_for_page(product, *, limit: int = 4) -> list:
    seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
    if seconds <= 0:
        return list(related_products(product, limit=limit))
    tag = f"products:category:{product.category.slug}"
    versions = tag_versions((tag, GLOBAL))
    key = f"kb:related:{product.category_id}:{versions[tag]}:{versions[GLOBAL]}"
    pool = cache.get(key)
    if pool is None:
        pool = list(
            public_products()
            .filter(category_id=product.category_id)
            .order_by("-approved_at", "-id")[: limit + 1]
        )
        cache.set(key, pool, seconds)
    others = [p for p in pool if p.pk != product.pk][:limit]
    if len(others) < limit:  # a small category: filled from the facility's
        return list(related_products(product, limit=limit))
    return others
