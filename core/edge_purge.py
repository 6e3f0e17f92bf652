"""Purging retired pages at the edge (the shared HTTP cache in front of the
app), by tag. See docs/edge-cache.md.

Every write that retires page cache tags (core.page_versions.retire, called
by the signals of core.page_registry) also sends, after its transaction
commits, one HTTP `PURGE` per edge address in `EDGE_PURGE_URLS` with the tags
in an `xkey-purge: tag1 tag2 ...` header (deploy/varnish/cache.vcl drops
every object carrying any of them). A transaction's tags go in one request
(split past ~4 KB: a bulk edit of 1,000 products sends a handful).

Timeouts are short (EDGE_PURGE_TIMEOUT_SECONDS): a save never waits long for
an edge that is down. A purge that fails is kept in EdgePurge and
sent again by the periodic `edge_purges_retry` (marketplace/periodic.py) until
it goes through; meanwhile the edge keeps a page at most its s-maxage
(PUBLIC_PAGE_CACHE_SECONDS), as it would without purges. A process that dies
between the commit and the send loses that one purge: the same bound holds.
"""

import http.client
import logging
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError

from core.edge import edge_tag

logger = logging.getLogger(__name__)

PURGE_HEADER = "xkey-purge"
# Varnish refuses request headers past http_req_hdr_len (8 KB by default).
MAX_HEADER_CHARS = 4000


def purge_urls() -> list[str]:
    return [url for url in settings.EDGE_PURGE_URLS if url]


def header_values(tags: Iterable[str]) -> list[str]:
    """The tags as `xkey-purge` values, each at most MAX_HEADER_CHARS long."""
    values, words, length = [], [], 0
    for word in sorted({edge_tag(tag) for tag in tags}):
        if words and length + len(word) + 1 > MAX_HEADER_CHARS:
            values.append(" ".join(words))
            words, length = [], 0
        words.append(word)
        length += len(word) + 1
    if words:
        values.append(" ".join(words))
    return values


def send(url: str, value: str) -> str:
    """One PURGE to one edge: "" when it went through, else why not."""
    parts = urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(
        parts.hostname, parts.port, timeout=settings.EDGE_PURGE_TIMEOUT_SECONDS
    )
    try:
        connection.request("PURGE", parts.path or "/", headers={PURGE_HEADER: value})
        response = connection.getresponse()
        response.read()
    except (OSError, http.client.HTTPException) as error:
        return f"{type(error).__name__}: {error}"
    finally:
        connection.close()
    if 200 <= response.status < 300:
        return ""
    return f"HTTP {response.status} {response.reason}"


def purge(tags: Iterable[str]) -> int:
    """PURGE `tags` at every edge now; what fails waits in the backlog.
    Returns how many requests failed."""
    urls = purge_urls()
    if not urls:
        return 0
    failed = 0
    for value in header_values(tags):
        for url in urls:
            error = send(url, value)
            if error:
                failed += 1
                _keep(url, value, error)
    return failed


def _keep(url: str, value: str, error: str) -> None:
    from core.models import EdgePurge

    logger.warning("edge purge to %s failed (%s); kept for edge_purges_retry", url, error)
    try:
        EdgePurge.objects.create(url=url, tags=value, last_error=error[:500])
    except DatabaseError:
        # Not even the database: the page's s-maxage is what bounds it now.
        logger.exception("edge purge to %s could not be kept", url)


def edge_purges_retry() -> int:
    """Send the purges that failed again (periodic, every minute); returns how
    many are still waiting. An address no longer in EDGE_PURGE_URLS is dropped."""
    from core.models import EdgePurge

    urls = set(purge_urls())
    waiting = 0
    for row in EdgePurge.objects.order_by("pk")[:1000]:
        if row.url not in urls:
            row.delete()
            continue
        error = send(row.url, row.tags)
        if not error:
            row.delete()
            continue
        waiting += 1
        EdgePurge.objects.filter(pk=row.pk).update(
            attempts=row.attempts + 1, last_error=error[:500]
        )
    return waiting
