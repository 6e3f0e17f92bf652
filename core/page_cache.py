"""A shared cache of the public pages anonymous shoppers see, in Redis and at
the edge (an HTTP cache in front of the app: Varnish here, a CDN elsewhere).

Most visitors are anonymous and read the same catalog, storefront and product
pages, which cost 20-60 ms of Python each to build; from the cache they cost
about one, and from the edge nothing at all. What makes a page safe to share:

- The page is the same for every visitor in one language: its bytes depend
  on the host, the full path with its query string and the language cookie,
  nothing else. While a public page is built `request.public_page` is True,
  and the per-visitor parts of the layout stay out: the header's cart count
  (a cookie site.js reads, `register_visitor_value`), waiting messages (left
  in their storage; /sesi.json hands them to the script, or the next
  per-visitor page shows them) and CSRF tokens (forms on shared pages carry
  none: the script asks for one when the form is used, and without
  JavaScript a form leads to a small per-visitor page with the real form).
  Staff whose browser carries the `kb_staff` cookie (core.edge) get pages
  built for them, never stored (a listing's preview).
- Such a page answers `Cache-Control: public, max-age=0, s-maxage=<seconds>,
  stale-while-revalidate, stale-if-error` and `Surrogate-Key: <its tags>`
  (core.edge), and sets no cookie. Everything else is private, no-store.
- The key holds the host, the full path with its query string and the
  language. Each stored copy carries the versions of the tags it depends on
  ("product:12", "products:facility:3", ...); a write retires a tag by giving
  it a new version (now and after commit), which retires exactly the pages
  that depend on it, and after commit purges those tags at the edge
  (core.edge_purge). Apps say which of their models appear on public pages
  and which tags a write to a row retires (`register_public_model`, in
  AppConfig.ready); views say what a page depends on (`page_depends_on`).
  A page that says nothing depends on `ANY_WRITE`, which every registered
  write retires; every page depends on `GLOBAL`, retired by rare writes
  (categories, regions, exhibitions) and `public_pages_changed()`.
  Every model of the project's apps must be registered as public or as
  private (`register_private_models`): a system check refuses one that is
  neither, so a new model shown on public pages cannot be forgotten.
- Where the cache is not shared (the default local-memory cache, one per
  process) and for stock sold at checkout (a plain UPDATE, no signal), pages
  are at most `PUBLIC_PAGE_CACHE_SECONDS` old (also the edge's s-maxage);
  the cart and checkout check stock and price again whatever a cached page said.
- An out-of-date copy is rebuilt by one request while the others get it for
  those milliseconds (stale-while-revalidate), so an expiry or a write does
  not send every shopper's request into the database at once (at 20 searches
  a second that pile-up took p99 to 940 ms); the edge may keep such an
  answer one second only. A page that is no longer shareable (a withdrawn
  listing's 404) drops its copy at once.
- Only 200 answers without cookies of their own and without
  `Cache-Control: private/no-store` (staff previews) are stored.

`PUBLIC_PAGE_CACHE_SECONDS=0` turns both off (pages stay the same for everyone).
"""

import hashlib
import time
import zlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language

from core.edge import STAFF_COOKIE, mark_private, mark_public, staff_browser

# The registry and the tag versions live in their own modules; their public
# names are re-exported here, the one import apps need.
from core.page_registry import (  # noqa: F401
    public_models,
    register_private_models,
    register_public_m2m,
    register_public_model,
    register_visitor_value,
)
from core.page_versions import (  # noqa: F401
    ANY_WRITE,
    GLOBAL,
    LISTS,
    TAG_KEY,
    _retire_now,
    build_reads,
    cached_public_data,
    public_generation,
    public_pages_changed,
    read_tag_versions,
    retire,
    tag_key,
    tag_versions,
)

# Read with the stored page's key: what every build needs (LISTS for the
# listing pages' shared lists; reading it is not depending on it).
_BUILD_PREFETCH = (GLOBAL, ANY_WRITE, LISTS)
# An out-of-date copy is kept this many times its freshness, to be handed out
# while one request rebuilds it; the rebuild's lock lapses after this long.
STALE_FACTOR = 10
REBUILD_LOCK_SECONDS = 30
CACHE_HEADER = "X-Page-Cache"
# How long the edge may keep a stale copy the page cache handed out while
# another request rebuilt it.
STALE_EDGE_SECONDS = 1


def page_depends_on(request, *tags: str) -> None:
    """This page shows what `tags` name. Called by the view while it builds
    the page, best before it reads the rows: the tags' versions are read
    here, so a write after this retires the copy being built."""
    versions = getattr(request, "_page_cache_versions", None)
    if versions is None:
        return  # not a page built for sharing
    request._page_cache_declared.update(tags)
    new = set(tags) - set(versions)
    if new:
        versions.update(tag_versions(new))


# --- serving --------------------------------------------------------------------------------


def _seconds() -> int:
    return settings.PUBLIC_PAGE_CACHE_SECONDS


def _edge_seconds() -> int:
    """How long the shared HTTP cache keeps a page (s-maxage): EDGE_CACHE_SECONDS,
    or the page cache's own time when unset. Longer at the edge is safe
    because every write that retires a tag here purges it there
    (core.edge_purge, retried until it lands); it only bounds how stale a
    page may get from what no write announces (the clock)."""
    return settings.EDGE_CACHE_SECONDS or settings.PUBLIC_PAGE_CACHE_SECONDS


def _key(request) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"kb:page:{get_language()}:{request.get_host()}:{path}"


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if any(word in response.get("Cache-Control", "") for word in ("private", "no-store")):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", None)
    return not queued


def _serve(request, entry, state: str) -> HttpResponse:
    versions, _fresh_until, content_type, compressed = entry
    response = HttpResponse(zlib.decompress(compressed), content_type=content_type)
    response[CACHE_HEADER] = state
    seconds = _edge_seconds() if state == "hit" else STALE_EDGE_SECONDS
    return mark_public(response, versions, seconds=seconds)


def _build(view, request, key: str | None, *args, **kwargs) -> HttpResponse:
    """Build the page; store it with the versions of the tags it depends on
    when it may be shared (`key` None: the cache is off), and say so to the edge."""
    try:
        response = view(request, *args, **kwargs)
    except Exception:
        # Gone (a withdrawn listing's 404) or failing: no one may be handed
        # the old copy, and the error page is the visitor's own.
        request.public_page = False
        if key:
            cache.delete(key)
        raise
    if response.streaming or not _storable(request, response):
        if key:
            cache.delete(key)
        return mark_private(response)
    if key is None:
        return response  # the cache is off: the middleware makes it private
    versions = dict(request._page_cache_versions)
    if request._page_cache_declared and ANY_WRITE not in request._page_cache_declared:
        del versions[ANY_WRITE]  # the page said what it shows
    stored = (versions, time.time() + _seconds(), response["Content-Type"])
    cache.set(key, (*stored, zlib.compress(response.content, 1)), _seconds() * STALE_FACTOR)
    response[CACHE_HEADER] = "miss"
    return mark_public(response, versions, seconds=_edge_seconds())


def _fresh(entry, found: dict, prefetched: set[str]) -> bool:
    """The stored copy is fresh: not expired, and each tag it depends on has
    the version it was built with. `found`: what the first cache call brought
    (tag keys among them); `prefetched`: the tag keys it asked for, so a tag
    asked for and absent (evicted, never retired) counts as changed, as
    tag_versions would give it a new version. Only the tags not asked for
    cost a second cache call."""
    versions, fresh_until = entry[0], entry[1]
    if not isinstance(versions, dict) or time.time() >= fresh_until:
        return False
    unread = []
    for tag, version in versions.items():
        key = tag_key(tag)
        if key in prefetched:
            if found.get(key) != version:
                return False
        else:
            unread.append(tag)
    if not unread:
        return True
    current = tag_versions(unread)
    return all(current[tag] == versions[tag] for tag in unread)


def public_page(view=None, *, tags=None):
    """Serve `view`'s page to anonymous visitors from the shared cache (see the
    module's docstring for what makes that safe).

    `tags(request, *args, **kwargs)`: the tags the page will declare that can
    be named from the request alone (a listing's scope, a storefront's
    facility). Their versions are read with the stored page in one cache
    call, so a hit needs no second call to check them and a build finds them
    read (each call costs ~0.4 ms here, bench.buildphases --hit). The view
    still declares them (page_depends_on); a tag it declares that is not
    named here costs the second call, nothing else."""
    if view is None:
        return lambda view: public_page(view, tags=tags)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        if STAFF_COOKIE in request.COOKIES and staff_browser(request):
            # Built for this member of staff (a preview), never shared.
            return mark_private(view(request, *args, **kwargs))
        # The same bytes for every visitor (the module's docstring).
        request.public_page = True
        if _seconds() <= 0:
            return _build(view, request, None, *args, **kwargs)
        key = _key(request)
        # The stored page and the versions every build reads, in one call.
        wanted = (*_BUILD_PREFETCH, *(tags(request, *args, **kwargs) if tags else ()))
        prefetch = [tag_key(tag) for tag in wanted]
        found = cache.get_many([key, *prefetch])
        entry = found.get(key)
        if entry is not None:
            if _fresh(entry, found, set(prefetch)):
                return _serve(request, entry, "hit")
            # Out of date: one request rebuilds it while the others get the
            # old copy for those few milliseconds, rather than all of them
            # building the same page at once the moment it expires.
            if not cache.add(f"{key}:rebuilding", 1, REBUILD_LOCK_SECONDS):
                return _serve(request, entry, "stale")
        # The versions every page depends on (and those named by `tags`),
        # read before the rows are (a page that declares its own tags drops
        # ANY_WRITE).
        reads = read_tag_versions(wanted, found)
        token = build_reads.set(reads)
        request._page_cache_versions = {tag: reads[tag] for tag in (GLOBAL, ANY_WRITE)}
        request._page_cache_declared = set()
        try:
            response = _build(view, request, key, *args, **kwargs)
        finally:
            build_reads.reset(token)
            del request._page_cache_versions, request._page_cache_declared
            if entry is not None:
                cache.delete(f"{key}:rebuilding")
        return response

    # Marks the view for the edge's list of cacheable addresses
    # (deploy/varnish/cache.vcl, checked by tests/edge/test_cache_vcl.py).
    wrapped.public_page = True
    return wrapped
