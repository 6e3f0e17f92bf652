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

from catalog.page_tags import product_tag
from catalog.selectors import public_products, related_products
from core.page_cache import GLOBAL, tag_versions
from core.page_versions import build_reads, read_tag_versions, tag_key

# The product tags of each category's pool as this process last stored or
# read it: asked for in the same multi-get as the pool next time, so the
# page's page_depends_on on its related products finds their versions read
# and makes no cache call of its own (~0.5 ms). Only a hint: a tag it misses
# is read by page_depends_on as before.
_pool_tags: dict[int, tuple[str, ...]] = {}
_POOL_TAGS_ENTRIES = 2000


def _category_pool(product, limit: int, also_read: tuple[str, ...]):
    """The newest `limit + 1` public products of `product`'s category, as
    stored for the category's current version: one cache call (the pool, the
    category tag's version and those of `also_read` and of the pool's
    products in one multi-get; GLOBAL was read by the page cache already),
    the pool stored with the version it was built at."""
    tag = f"products:category:{product.category.slug}"
    key = f"kb:related:{product.category_id}:{tag_versions((GLOBAL,))[GLOBAL]}"
    reads = build_reads.get()
    if reads is None:  # not a page built for sharing: no one to read them for
        wanted = [tag]
    else:
        hinted = (tag, *also_read, *_pool_tags.get(product.category_id, ()))
        wanted = [t for t in dict.fromkeys(hinted) if t not in reads]
    found = cache.get_many([key, *(tag_key(t) for t in wanted)])
    versions = read_tag_versions(wanted, prefetched=found)
    if reads is not None:
        for name, value in versions.items():
            reads.setdefault(name, value)  # one version of a tag per build
        version = reads[tag]
    else:
        version = versions[tag]
    stored = found.get(key)
    if stored is not None and stored[0] == version:
        pool = stored[1]
    else:
        pool = list(
            public_products()
            .filter(category_id=product.category_id)
            .order_by("-approved_at", "-id")[: limit + 1]
        )
        cache.set(key, (version, pool), settings.PUBLIC_PAGE_CACHE_SECONDS)
    if len(_pool_tags) >= _POOL_TAGS_ENTRIES:
        _pool_tags.clear()
    _pool_tags[product.category_id] = tuple(product_tag(p.slug) for p in pool)
    return pool


def related_for_page(product, *, limit: int = 4, also_read: tuple[str, ...] = ()) -> list:
    """The related products of `product`'s page. `also_read`: tags the page
    will depend on too (its facility's), read in the same cache call."""
    if settings.PUBLIC_PAGE_CACHE_SECONDS <= 0:
        return list(related_products(product, limit=limit))
    pool = _category_pool(product, limit, also_read)
    others = [p for p in pool if p.pk != product.pk][:limit]
    if len(others) < limit:  # a small category: filled from the facility's
        return list(related_products(product, limit=limit))
    return others
