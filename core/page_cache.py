"""A shared cache of the public pages anonymous shoppers see.

Most visitors are anonymous and read the same catalog, storefront and product
pages, which cost 20-60 ms of Python each to build; from the cache they cost
about one. What makes a page safe to share:

- Only anonymous visitors are served from or stored in the cache:
  `request.COOKIES` may hold nothing but the CSRF, language and session
  cookies, and a session must not belong to a logged-in user or hold a
  waiting message. Everyone else gets the page built for them.
- The per-visitor values on these pages are the CSRF tokens of their forms
  (language switch, add to cart) and the cart count in the header. The stored
  copy has placeholders there, filled with the visitor's own values when
  served, so the CSRF protection is the same as on a page built for them
  (Django's own `cache_page` would hand the first visitor's token to
  everyone) and a shopper with a cart sees their own count.
- The key holds the host, the full path with its query string and the
  language. Each stored copy carries the generation number it was built in;
  every saved or deleted row of a model shown on public pages
  (`PUBLIC_MODELS`) moves the number on (now and after commit), so an
  approved, edited or withdrawn listing shows at once where the cache is
  shared (Redis). Where it is not (the default local-memory cache, one per
  process) and for stock sold at checkout, pages are at most
  `PUBLIC_PAGE_CACHE_SECONDS` old; the cart and checkout check stock and
  price again whatever a cached page said.
- An out-of-date copy is rebuilt by one request while the others get it for
  those milliseconds (stale-while-revalidate), so an expiry or a write does
  not send every shopper's request into the database at once (at 20 searches
  a second that pile-up took p99 to 940 ms). A page that is no longer
  shareable (a withdrawn listing's 404) drops its copy at once.
- Only 200 answers without cookies of their own and without
  `Cache-Control: private/no-store` (staff previews) are stored.

`PUBLIC_PAGE_CACHE_SECONDS=0` turns it off.
"""

import hashlib
import re
import time
import zlib
from functools import wraps

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from orders.context_processors import cart_badge

GENERATION_KEY = "kb:pages:generation"
# An out-of-date copy is kept this many times its freshness, to be handed out
# while one request rebuilds it; the rebuild's lock lapses after this long.
STALE_FACTOR = 10
REBUILD_LOCK_SECONDS = 30
CACHE_HEADER = "X-Page-Cache"
# What {% csrf_token %} renders; the token is 64 letters and digits.
_TOKEN_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(")')
_PLACEHOLDER = b"\x00csrf\x00"
# Where the header's cart count goes (orders.context_processors.cart).
_CART_PLACEHOLDER = "\x00cart\x00"
# Models whose rows appear on public pages: a write to one retires every
# stored page. Review history, consignment records, staff memberships, bank
# accounts and proceeds shares are never on a public page, so the admin work
# on them leaves the cache alone. Proxies count as their concrete model.
PUBLIC_MODELS = frozenset(
    {
        "catalog.category",
        "catalog.product",
        "catalog.productimage",
        "catalog.pricetier",
        "catalog.outletproduct",
        "catalog.exhibitionproduct",
        "facilities.region",
        "facilities.facility",
        "facilities.partneroutlet",
        "facilities.exhibition",
        "facilities.exhibition_participants",
    }
)


def _seconds() -> int:
    return settings.PUBLIC_PAGE_CACHE_SECONDS


def _shareable_request(request) -> bool:
    if request.method not in ("GET", "HEAD") or _seconds() <= 0:
        return False
    known = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME, settings.SESSION_COOKIE_NAME}
    if not {name for name, value in request.COOKIES.items() if value} <= known:
        return False  # e.g. a message waiting in the messages cookie
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        # A shopper's session holds a cart (its count is filled in per visitor);
        # a logged-in user or a message waiting in the session gets a page of
        # their own.
        return not any(key in request.session for key in (SESSION_KEY, "_messages"))
    return True


def public_generation() -> int:
    """The number every write to a row public pages show moves on: part of
    the key of anything cached from those rows (pages, lists, fragments)."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # A fresh or evicted counter starts from the clock, never at a value
        # whose pages may still be stored.
        generation = time.time_ns() // 1000
        cache.add(GENERATION_KEY, generation, timeout=None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def cached_public_data(name: str, build, *, timeout: int = 600):
    """`build()`'s result, kept until a catalog or facility row changes (the
    same generation as the pages) or `timeout` seconds pass: for lists every
    page needs, such as the facilities and categories of the filter form."""
    return cache.get_or_set(f"kb:data:{public_generation()}:{name}", build, timeout)


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


def _fill_in(request, body: bytes) -> bytes:
    """The visitor's own values in a shared page: cart count, CSRF tokens."""
    body = body.replace(_CART_PLACEHOLDER.encode(), cart_badge(request).encode())
    if _PLACEHOLDER not in body:
        return body
    parts = body.split(_PLACEHOLDER)
    # A fresh mask for each form, as {% csrf_token %} would render it; calling
    # get_token also makes the CSRF middleware set the visitor's cookie.
    out = [parts[0]]
    for part in parts[1:]:
        out += [get_token(request).encode(), part]
    return b"".join(out)


def _serve(request, entry, state: str) -> HttpResponse:
    _generation_, _fresh_until, content_type, compressed = entry
    response = HttpResponse(
        _fill_in(request, zlib.decompress(compressed)), content_type=content_type
    )
    response[CACHE_HEADER] = state
    return response


def _build(view, request, key: str, generation: int, *args, **kwargs) -> HttpResponse:
    """Build the page with placeholders for the visitor's own values, store it
    when it may be shared, and answer with the values filled in."""
    request.cart_badge_placeholder = mark_safe(_CART_PLACEHOLDER)
    try:
        response = view(request, *args, **kwargs)
    except Exception:
        # Gone (a withdrawn listing's 404) or failing: no one may be handed
        # the old copy.
        cache.delete(key)
        raise
    finally:
        # An error page rendered after this carries the visitor's own count.
        del request.cart_badge_placeholder
    if response.streaming:
        cache.delete(key)
        return response
    if _storable(request, response):
        body = _TOKEN_INPUT.sub(rb"\1" + _PLACEHOLDER + rb"\2", response.content)
        stored = (generation, time.time() + _seconds(), response["Content-Type"])
        cache.set(key, (*stored, zlib.compress(body, 1)), _seconds() * STALE_FACTOR)
        response[CACHE_HEADER] = "miss"
    else:
        cache.delete(key)
    response.content = _fill_in(request, response.content)
    return response


def public_page(view):
    """Serve `view`'s page to anonymous visitors from the shared cache (see the
    module's docstring for what makes that safe)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _shareable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        generation = public_generation()
        entry = cache.get(key)
        if entry is not None:
            if entry[0] == generation and time.time() < entry[1]:
                return _serve(request, entry, "hit")
            # Out of date: one request rebuilds it while the others get the
            # old copy for those few milliseconds, rather than all of them
            # building the same page at once the moment it expires.
            if not cache.add(f"{key}:rebuilding", 1, REBUILD_LOCK_SECONDS):
                return _serve(request, entry, "stale")
        try:
            response = _build(view, request, key, generation, *args, **kwargs)
        finally:
            if entry is not None:
                cache.delete(f"{key}:rebuilding")
        return response

    return wrapped


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no counter yet: nothing is cached under one either
        public_generation()


def public_pages_changed() -> None:
    """Retire every cached public page: now, so this transaction's own later
    reads see fresh pages, and again after commit, so a page another request
    rebuilt from the old rows in between is retired too."""
    _bump()
    transaction.on_commit(_bump)


def _on_public_write(sender, **kwargs):
    if sender._meta.concrete_model._meta.label_lower in PUBLIC_MODELS:
        public_pages_changed()


def connect_signals() -> None:
    """Called once from core's AppConfig.ready()."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_public_write, dispatch_uid=f"kb-page-cache-{signal}")
