"""A shared cache of the public pages anonymous shoppers see.

Most visitors are anonymous and read the same catalog, storefront and product
pages, which cost 20-60 ms of Python each to build; from the cache they cost
about one. What makes a page safe to share:

- Only anonymous visitors are served from or stored in the cache:
  `request.COOKIES` may hold nothing but the CSRF, language and session
  cookies, and a session must not belong to a logged-in user or hold a
  waiting message. Everyone else gets the page built for them.
- The per-visitor values on these pages are the CSRF tokens of their forms
  (language switch, add to cart) and the fragments apps register with
  `register_fragment` (the header's cart count). The stored copy has
  placeholders there, filled with the visitor's own values when served, so
  the CSRF protection is the same as on a page built for them (Django's own
  `cache_page` would hand the first visitor's token to everyone) and a
  shopper with a cart sees their own count.
- The key holds the host, the full path with its query string and the
  language. Each stored copy carries the versions of the tags it depends on
  ("product:12", "products:facility:3", ...); a write retires a tag by giving
  it a new version (now and after commit), which retires exactly the pages
  that depend on it. Apps say which of their models appear on public pages
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
  are at most `PUBLIC_PAGE_CACHE_SECONDS` old; the cart and checkout check
  stock and price again whatever a cached page said.
- An out-of-date copy is rebuilt by one request while the others get it for
  those milliseconds (stale-while-revalidate), so an expiry or a write does
  not send every shopper's request into the database at once (at 20 searches
  a second that pile-up took p99 to 940 ms). A page that is no longer
  shareable (a withdrawn listing's 404) drops its copy at once.
- Only 200 answers without cookies of their own and without
  `Cache-Control: private/no-store` (staff previews) are stored.

`PUBLIC_PAGE_CACHE_SECONDS=0` turns it off.
"""

import contextvars
import copy
import hashlib
import itertools
import os
import re
import time
import zlib
from collections.abc import Callable, Iterable
from functools import wraps
from pathlib import Path
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import checks
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

# Every page depends on GLOBAL; a page that declares nothing also depends on
# ANY_WRITE, which every write to a registered model retires. LISTS is what
# the shared lists of listing pages (filter choices) depend on.
GLOBAL = "global"
ANY_WRITE = "any"
LISTS = "lists"
TAG_KEY = "kb:tag:"
# Read with the stored page's key: what every build needs (LISTS for the
# listing pages' shared lists; reading it is not depending on it).
_BUILD_PREFETCH = (GLOBAL, ANY_WRITE, LISTS)
# An out-of-date copy is kept this many times its freshness, to be handed out
# while one request rebuilds it; the rebuild's lock lapses after this long.
STALE_FACTOR = 10
REBUILD_LOCK_SECONDS = 30
CACHE_HEADER = "X-Page-Cache"
# What {% csrf_token %} renders; the token is 64 letters and digits.
_TOKEN_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(")')
_PLACEHOLDER = b"\x00csrf\x00"


# --- what apps tell the page cache ------------------------------------------------------

# label_lower -> (tags(instance) or None for GLOBAL, fields whose old value matters)
_PUBLIC: dict[str, tuple[Callable[..., Iterable[str]] | None, tuple[str, ...]]] = {}
# m2m through-model label -> tags(instance, pk_set)
_PUBLIC_M2M: dict[str, Callable[..., Iterable[str]] | None] = {}
_PRIVATE: set[str] = set()
# name -> (placeholder, fill(request) -> str)
_FRAGMENTS: dict[str, tuple[str, Callable]] = {}


def register_public_model(
    model, *, tags: Callable[..., Iterable[str]] | None = None, moved_by: Iterable[str] = ()
) -> None:
    """Rows of `model` appear on public pages. A write retires `tags(row)`
    (None: GLOBAL, for rare writes) and ANY_WRITE. `moved_by`: names of
    fields that can move a row between tags (a product's "category"): a save
    that may change one also retires the tags of the row as it was."""
    _PUBLIC[model._meta.label_lower] = (tags, tuple(moved_by))


def register_public_m2m(through, *, tags: Callable[..., Iterable[str]] | None = None) -> None:
    """An m2m relation shown on public pages; `tags(instance, pk_set)`."""
    _PUBLIC_M2M[through._meta.label_lower] = tags


def register_private_models(*models) -> None:
    """Models never shown on public pages: their writes leave the cache alone."""
    _PRIVATE.update(model._meta.label_lower for model in models)


def register_fragment(name: str, fill: Callable) -> None:
    """A per-visitor piece of shared pages (the cart count): while a shared
    page is built, `request.shared_page_placeholders[name]` holds a
    placeholder for the template to output instead; each visitor's page gets
    `fill(request)` there."""
    _FRAGMENTS[name] = (f"\x00frag:{name}\x00", fill)


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


def public_models() -> set[str]:
    return set(_PUBLIC) | set(_PUBLIC_M2M)


# --- tag versions -------------------------------------------------------------------------

_counter = itertools.count()


def _new_version() -> str:
    # Unique, not ordered: a tag's version is only ever compared for equality.
    return f"{time.time_ns():x}.{os.getpid():x}.{next(_counter):x}"


def _tag_key(tag: str) -> str:
    return TAG_KEY + quote(tag, safe=":-_.")  # names hold spaces ("Jawa Timur")


# The tag versions already read while one page is built (tag -> version):
# each is read from the cache once per build, not once per caller (the page
# cache, page_depends_on, the filter lists' generation, related products).
# Every read of a tag during one build sees the same version, as the page's
# own dependencies always did (page_depends_on reads a tag once); a write
# meanwhile still retires the page, whose stored versions are these. Each
# cache call costs ~0.3 ms of Python on a built page (the bench's phases).
_build_reads: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "kb_page_cache_build_reads", default=None
)


def _read_tag_versions(tags: Iterable[str], prefetched: dict | None = None) -> dict[str, str]:
    keys = {_tag_key(tag): tag for tag in tags}
    found = (
        {k: prefetched[k] for k in keys if k in prefetched}
        if prefetched is not None
        else cache.get_many(list(keys))
    )
    missing = {key: _new_version() for key in keys if key not in found}
    for key, version in missing.items():
        cache.add(key, version, timeout=None)
    if missing:
        found.update(cache.get_many(list(missing)))
    return {tag: found.get(key, missing.get(key)) for key, tag in keys.items()}


def tag_versions(tags: Iterable[str]) -> dict[str, str]:
    """The current version of each tag. A tag never retired (or evicted)
    gets a fresh one, never a value whose pages may still be stored."""
    tags = set(tags)
    reads = _build_reads.get()
    if reads is None:
        return _read_tag_versions(tags)
    unread = tags - set(reads)
    if unread:
        reads.update(_read_tag_versions(unread))
    return {tag: reads[tag] for tag in tags}


def _retire_now(tags: frozenset[str]) -> None:
    cache.set_many({_tag_key(tag): _new_version() for tag in tags}, timeout=None)


def retire(*tags: str) -> None:
    """Retire the pages depending on `tags`: now, so this transaction's own
    later reads see fresh pages, and again after commit, so a page another
    request rebuilt from the old rows in between is retired too."""
    chosen = frozenset(tags) | {ANY_WRITE}
    _retire_now(chosen)
    transaction.on_commit(lambda: _retire_now(chosen))


def public_pages_changed() -> None:
    """Retire every cached public page."""
    retire(GLOBAL)


def public_generation() -> str:
    """What the shared lists of listing pages depend on (GLOBAL and LISTS):
    part of the key of anything cached from them (filter choices, fragments)."""
    versions = tag_versions((GLOBAL, LISTS))
    return f"{versions[GLOBAL]}.{versions[LISTS]}"


# cached_public_data's lists as this process last read them: key -> (expiry, value).
_process_data: dict[str, tuple[float, object]] = {}
_PROCESS_DATA_ENTRIES = 32


def cached_public_data(name: str, build, *, timeout: int = 600):
    """`build()`'s result, kept until a category, facility or rare row changes
    (GLOBAL, LISTS) or `timeout` seconds pass: for lists every page needs,
    such as the facilities and categories of the filter form.

    Each process also keeps the lists it read, under the same key: the key
    holds the generation, read from the shared cache on every page, so a
    change is seen as soon as through the shared cache, without fetching and
    unpickling 500 facilities on every catalog page (~1 ms). Treat the
    result as read-only: it is shared by the process's threads."""
    key = f"kb:data:{public_generation()}:{name}"
    now = time.monotonic()
    held = _process_data.get(key)
    if held is not None and held[0] > now:
        return held[1]
    value = cache.get_or_set(key, build, timeout)
    if len(_process_data) >= _PROCESS_DATA_ENTRIES:
        _process_data.clear()  # old generations: no longer asked for
    _process_data[key] = (now + timeout, value)
    return value


# --- serving --------------------------------------------------------------------------------


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
    """The visitor's own values in a shared page: fragments, CSRF tokens."""
    for placeholder, fill in _FRAGMENTS.values():
        marker = placeholder.encode()
        if marker in body:
            body = body.replace(marker, str(fill(request)).encode())
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
    _versions, _fresh_until, content_type, compressed = entry
    response = HttpResponse(
        _fill_in(request, zlib.decompress(compressed)), content_type=content_type
    )
    response[CACHE_HEADER] = state
    return response


def _build(view, request, key: str, *args, **kwargs) -> HttpResponse:
    """Build the page with placeholders for the visitor's own values, store it
    with the versions of the tags it depends on when it may be shared, and
    answer with the values filled in."""
    request.shared_page_placeholders = {name: mark_safe(p) for name, (p, _) in _FRAGMENTS.items()}
    try:
        response = view(request, *args, **kwargs)
    except Exception:
        # Gone (a withdrawn listing's 404) or failing: no one may be handed
        # the old copy.
        cache.delete(key)
        raise
    finally:
        # An error page rendered after this carries the visitor's own values.
        del request.shared_page_placeholders
    if response.streaming:
        cache.delete(key)
        return response
    if _storable(request, response):
        body = _TOKEN_INPUT.sub(rb"\1" + _PLACEHOLDER + rb"\2", response.content)
        versions = dict(request._page_cache_versions)
        if request._page_cache_declared and ANY_WRITE not in request._page_cache_declared:
            del versions[ANY_WRITE]  # the page said what it shows
        stored = (versions, time.time() + _seconds(), response["Content-Type"])
        cache.set(key, (*stored, zlib.compress(body, 1)), _seconds() * STALE_FACTOR)
        response[CACHE_HEADER] = "miss"
    else:
        cache.delete(key)
    response.content = _fill_in(request, response.content)
    return response


def _fresh(entry) -> bool:
    versions, fresh_until = entry[0], entry[1]
    if not isinstance(versions, dict) or time.time() >= fresh_until:
        return False
    return tag_versions(versions) == versions


def public_page(view):
    """Serve `view`'s page to anonymous visitors from the shared cache (see the
    module's docstring for what makes that safe)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _shareable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        # The stored page and the versions every build reads, in one call.
        prefetch = [_tag_key(tag) for tag in _BUILD_PREFETCH]
        found = cache.get_many([key, *prefetch])
        entry = found.get(key)
        if entry is not None:
            if _fresh(entry):
                return _serve(request, entry, "hit")
            # Out of date: one request rebuilds it while the others get the
            # old copy for those few milliseconds, rather than all of them
            # building the same page at once the moment it expires.
            if not cache.add(f"{key}:rebuilding", 1, REBUILD_LOCK_SECONDS):
                return _serve(request, entry, "stale")
        # The versions every page depends on, read before the rows are (a
        # page that declares its own tags drops ANY_WRITE).
        reads = _read_tag_versions(_BUILD_PREFETCH, found)
        token = _build_reads.set(reads)
        request._page_cache_versions = {tag: reads[tag] for tag in (GLOBAL, ANY_WRITE)}
        request._page_cache_declared = set()
        try:
            response = _build(view, request, key, *args, **kwargs)
        finally:
            _build_reads.reset(token)
            del request._page_cache_versions, request._page_cache_declared
            if entry is not None:
                cache.delete(f"{key}:rebuilding")
        return response

    return wrapped


# --- writes ----------------------------------------------------------------------------------


def _tags_of(label: str, instance) -> set[str]:
    tags_fn, _moved_by = _PUBLIC[label]
    return {GLOBAL} if tags_fn is None else set(tags_fn(instance))


def _before_save(sender, instance, update_fields=None, raw=False, **kwargs):
    label = sender._meta.concrete_model._meta.label_lower
    entry = _PUBLIC.get(label)
    if entry is None or raw or instance.pk is None:
        return
    _tags_fn, moved_by = entry
    if not moved_by or (update_fields is not None and not set(moved_by) & set(update_fields)):
        return
    attnames = [sender._meta.get_field(name).attname for name in moved_by]
    old = sender._base_manager.filter(pk=instance.pk).values(*attnames).first()
    if old and any(getattr(instance, f) != v for f, v in old.items()):
        was = copy.copy(instance)
        for field, value in old.items():
            setattr(was, field, value)
        instance._page_cache_old_tags = _tags_of(label, was)


def _on_public_write(sender, instance, raw=False, **kwargs):
    label = sender._meta.concrete_model._meta.label_lower
    if label not in _PUBLIC or raw:
        return
    tags = _tags_of(label, instance) | getattr(instance, "_page_cache_old_tags", set())
    instance.__dict__.pop("_page_cache_old_tags", None)
    retire(*tags)


def _on_m2m(sender, instance, action, pk_set=None, **kwargs):
    label = sender._meta.label_lower
    if label not in _PUBLIC_M2M or not action.startswith("post_"):
        return
    tags_fn = _PUBLIC_M2M[label]
    retire(*({GLOBAL} if tags_fn is None else set(tags_fn(instance, pk_set))))


def connect_signals() -> None:
    """Called once from core's AppConfig.ready()."""
    pre_save.connect(_before_save, dispatch_uid="kb-page-cache-pre-save")
    post_save.connect(_on_public_write, dispatch_uid="kb-page-cache-post-save")
    post_delete.connect(_on_public_write, dispatch_uid="kb-page-cache-post-delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="kb-page-cache-m2m")


@checks.register()
def check_models_registered(app_configs=None, **kwargs):
    """Every model of the project's own apps is registered as public or
    private, so a new model shown on public pages cannot slip past the cache."""
    base = Path(settings.BASE_DIR).resolve()
    errors = []
    for model in apps.get_models(include_auto_created=True):
        config = model._meta.app_config
        if app_configs is not None and config not in app_configs:
            continue
        path = Path(config.path).resolve()
        if base not in path.parents or ".venv" in path.parts:
            continue  # Django's and third-party apps
        if model._meta.proxy:
            continue  # a proxy's writes count as its concrete model's
        label = model._meta.label_lower
        if label in _PUBLIC or label in _PUBLIC_M2M or label in _PRIVATE:
            continue
        if model._meta.auto_created and model._meta.auto_created._meta.label_lower in _PRIVATE:
            continue  # the m2m table of a private model
        errors.append(
            checks.Error(
                f"{label} is neither a public nor a private model of the page cache.",
                hint="In its AppConfig.ready(), register_public_model(...) if its rows "
                "appear on public pages (with the tags a write retires), else "
                "register_private_models(...).",
                obj=model,
                id="page_cache.E001",
            )
        )
    return errors
