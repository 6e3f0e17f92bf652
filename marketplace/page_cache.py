"""A shared cache of the public pages anonymous shoppers see.

Most visitors are anonymous and read the same catalog, storefront and product
pages, which cost 20-60 ms of Python each to build; from the cache they cost
about one. What makes a page safe to share:

- Only requests without a session (no cart, not logged in, no pending message)
  are served from or stored in the cache: `request.COOKIES` may hold nothing
  but the CSRF and language cookies. Everyone else gets the page built for them.
- The one per-visitor value on these pages is the CSRF token of their forms
  (language switch, add to cart). The stored copy has a placeholder where each
  token was, filled with the visitor's own token when served, so the CSRF
  protection is the same as on a page built for them (Django's own
  `cache_page` would hand the first visitor's token to everyone).
- The key holds the host, the full path with its query string and the
  language; and a generation number that every saved or deleted catalog or
  facility row moves on (after commit), so an approved, edited or withdrawn
  listing shows at once where the cache is shared (Redis). Where it is not
  (the default local-memory cache, one per process) and for stock sold at
  checkout, pages are at most `PUBLIC_PAGE_CACHE_SECONDS` old; the cart and
  checkout check stock and price again whatever a cached page said.
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
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

GENERATION_KEY = "kb:pages:generation"
CACHE_HEADER = "X-Page-Cache"
# What {% csrf_token %} renders; the token is 64 letters and digits.
_TOKEN_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(")')
_PLACEHOLDER = b"\x00csrf\x00"
# Apps whose rows appear on public pages: a write there moves the generation on.
PUBLIC_APPS = frozenset({"catalog", "facilities"})


def _seconds() -> int:
    return settings.PUBLIC_PAGE_CACHE_SECONDS


def _shareable_request(request) -> bool:
    if request.method not in ("GET", "HEAD") or _seconds() <= 0:
        return False
    harmless = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    return set(request.COOKIES) <= harmless


def _generation() -> int:
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
    return cache.get_or_set(f"kb:data:{_generation()}:{name}", build, timeout)


def _key(request) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"kb:page:{_generation()}:{get_language()}:{request.get_host()}:{path}"


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


def _fill_tokens(request, body: bytes) -> bytes:
    if _PLACEHOLDER not in body:
        return body
    parts = body.split(_PLACEHOLDER)
    # A fresh mask for each form, as {% csrf_token %} would render it; calling
    # get_token also makes the CSRF middleware set the visitor's cookie.
    out = [parts[0]]
    for part in parts[1:]:
        out += [get_token(request).encode(), part]
    return b"".join(out)


def public_page(view):
    """Serve `view`'s page to anonymous visitors from the shared cache (see the
    module's docstring for what makes that safe)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _shareable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        stored = cache.get(key)
        if stored is not None:
            content_type, compressed = stored
            response = HttpResponse(
                _fill_tokens(request, zlib.decompress(compressed)), content_type=content_type
            )
            response[CACHE_HEADER] = "hit"
        else:
            response = view(request, *args, **kwargs)
            if not _storable(request, response):
                return response
            body = _TOKEN_INPUT.sub(rb"\1" + _PLACEHOLDER + rb"\2", response.content)
            cache.set(key, (response["Content-Type"], zlib.compress(body, 1)), _seconds())
            response[CACHE_HEADER] = "miss"
        return response

    return wrapped


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no counter yet: nothing is cached under one either
        _generation()


def public_pages_changed() -> None:
    """Retire every cached public page: now, so this transaction's own later
    reads see fresh pages, and again after commit, so a page another request
    rebuilt from the old rows in between is retired too."""
    _bump()
    transaction.on_commit(_bump)


def _on_public_write(sender, **kwargs):
    if sender._meta.app_label in PUBLIC_APPS:
        public_pages_changed()


def connect_signals() -> None:
    """Called once from marketplace's AppConfig.ready()."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_public_write, dispatch_uid=f"kb-page-cache-{signal}")
