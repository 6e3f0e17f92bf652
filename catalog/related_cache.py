"""The product page's related products, shared by every product of a category.

"Others of the same category, newest first" is the same list for all the
products of a category but the one itself, so the newest few of a category
are stored once (with their facility, category and cover photo) and each
product page drops itself from them: on the long-tail product mix this was
6.7 of a built page's 16 ms of Python (three to four queries). The stored
list carries the version of the category's listing tag it was built at and
is keyed by GLOBAL's (core.page_cache), so any save of a product of the category, or of a
facility, starts a new one; stock sold at checkout (a plain UPDATE) shows
after `PUBLIC_PAGE_CACHE_SECONDS`, as on the cached pages themselves.
"""

from django.conf import settings
from django.core.cache import cache

from catalog.selectors import public_products, related_products
from core.page_cache import GLOBAL, _build_reads, _read_tag_versions, _tag_key, tag_versions


def _category_pool(product, limit: int):
    """The newest `limit + 1` public products of `product`'s category, as
    stored for the category's current version: one cache call (the pool and
    the category tag's version in one multi-get; GLOBAL was read by the
    page cache already), the pool stored with the version it was built at."""
    tag = f"products:category:{product.category.slug}"
    key = f"kb:related:{product.category_id}:{tag_versions((GLOBAL,))[GLOBAL]}"
    reads = _build_reads.get()
    if reads is not None and tag in reads:
        found = {_tag_key(tag): reads[tag], key: cache.get(key)}
    else:
        found = cache.get_many([key, _tag_key(tag)])
    version = _read_tag_versions((tag,), prefetched=found)[tag]
    if reads is not None:
        reads.setdefault(tag, version)  # one version of a tag per build
    stored = found.get(key)
    if stored is not None and stored[0] == version:
        return stored[1]
    pool = list(
        public_products()
        .filter(category_id=product.category_id)
        .order_by("-approved_at", "-id")[: limit + 1]
    )
    cache.set(key, (version, pool), settings.PUBLIC_PAGE_CACHE_SECONDS)
    return pool


def related_for_page(product, *, limit: int = 4) -> list:
    if settings.PUBLIC_PAGE_CACHE_SECONDS <= 0:
        return list(related_products(product, limit=limit))
    pool = _category_pool(product, limit)
    others = [p for p in pool if p.pk != product.pk][:limit]
    if len(others) < limit:  # a small category: filled from the facility's
        return list(related_products(product, limit=limit))
    return others
