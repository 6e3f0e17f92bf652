"""Tag versions: what a stored public page depends on, and how a write retires it.

A tag ("product:12", "products:facility:3", GLOBAL ...) has a version in the
shared cache; a stored page carries the versions it was built with and is
fresh while they are unchanged. See core.page_cache for the whole design.
"""

import contextvars
import itertools
import os
import time
from collections.abc import Iterable
from urllib.parse import quote

from django.core.cache import cache
from django.db import transaction

# Every page depends on GLOBAL; a page that declares nothing also depends on
# ANY_WRITE, which every write to a registered model retires. LISTS is what
# the shared lists of listing pages (filter choices) depend on.
GLOBAL = "global"
ANY_WRITE = "any"
LISTS = "lists"
TAG_KEY = "kb:tag:"


_counter = itertools.count()


def _new_version() -> str:
    # Unique, not ordered: a tag's version is only ever compared for equality.
    return f"{time.time_ns():x}.{os.getpid():x}.{next(_counter):x}"


def tag_key(tag: str) -> str:
    return TAG_KEY + quote(tag, safe=":-_.")  # names hold spaces ("Jawa Timur")


# The tag versions already read while one page is built (tag -> version):
# each is read from the cache once per build, not once per caller (the page
# cache, page_depends_on, the filter lists' generation, related products).
# Every read of a tag during one build sees the same version, as the page's
# own dependencies always did (page_depends_on reads a tag once); a write
# meanwhile still retires the page, whose stored versions are these. Each
# cache call costs ~0.3 ms of Python on a built page (the bench's phases).
build_reads: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "kb_page_cache_build_reads", default=None
)


def read_tag_versions(tags: Iterable[str], prefetched: dict | None = None) -> dict[str, str]:
    keys = {tag_key(tag): tag for tag in tags}
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
    reads = build_reads.get()
    if reads is None:
        return read_tag_versions(tags)
    unread = tags - set(reads)
    if unread:
        reads.update(read_tag_versions(unread))
    return {tag: reads[tag] for tag in tags}


def _retire_now(tags: frozenset[str]) -> None:
    cache.set_many({tag_key(tag): _new_version() for tag in tags}, timeout=None)


def retire(*tags: str) -> None:
    """Retire the pages depending on `tags`: now, so this transaction's own
    later reads see fresh pages, and again after commit, so a page another
    request rebuilt from the old rows in between is retired too; then purge
    them at the edge (core.edge_purge, a `when_retired` hook), after the second retire, so what
    the edge fetches again is built from the committed rows."""
    chosen = frozenset(tags) | {ANY_WRITE}
    _retire_now(chosen)
    # A transaction's tags after commit in one go (one edge purge for a bulk
    # edit): each retire's callback takes whatever is waiting, so a callback
    # dropped with a rolled-back savepoint loses nothing; the rest find none.
    waiting = _after_commit_tags()
    if not transaction.get_connection().run_on_commit:
        # No callback waits: tags left from a rolled-back transaction, whose
        # pages were never changed.
        waiting.clear()
    waiting.update(chosen)
    transaction.on_commit(_retire_committed)


def _after_commit_tags() -> set[str]:
    connection = transaction.get_connection()
    waiting = getattr(connection, "_kb_retired_tags", None)
    if waiting is None:
        waiting = connection._kb_retired_tags = set()
    return waiting


def _retire_committed() -> None:
    waiting = _after_commit_tags()
    if not waiting:
        return
    tags = frozenset(waiting)
    waiting.clear()
    _retire_now(tags)
    for hook in _COMMITTED_HOOKS:
        hook(tags)


# Called with the tags a transaction retired, after commit (core.edge_purge's
# purge, connected in core's AppConfig.ready()).
_COMMITTED_HOOKS: list = []


def when_retired(hook) -> None:
    """Call `hook(tags)` after each commit that retired `tags`."""
    if hook not in _COMMITTED_HOOKS:
        _COMMITTED_HOOKS.append(hook)


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
