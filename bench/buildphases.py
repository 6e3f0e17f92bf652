"""Where a built page's Python goes, without a profiler's overhead.

    python -m bench.buildphases [--database-url URL] [--pages 100] [--reps 3] [--hit]

cProfile multiplies the cost of Python-heavy code (template nodes, the ORM's
compiler) several times and hides C work, and wall-clock profilers count
PostgreSQL's and Redis' time as ours. Here a few functions are wrapped with
`time.process_time()`; each one's time minus that of the wrapped functions
it called goes to its category (ORM compile, ORM, SQL driver, cache, forms,
template, {% translate %}, {% url %}, inclusion tags, the rest of the
middleware and view), so the categories add up to the page. Also reported:
calls per page of each category, and Python function calls per page (a
cProfile count, deterministic: it does not move with the machine's load, so
a change's effect shows even on a busy shared machine), and the median of
each URL's fastest build over `--reps` builds (contention only ever adds).

Pages as in bench.buildcost: the long-tail mixes' URLs (another seed), each
request with a new ignored parameter so the page cache never answers; a
first pass stores the cards and shared lists ("warm" builds are measured).
Production settings, the cache of CACHE_URL (use a Redis database of your
own: the cache is emptied).

`--hit` measures, instead, a page served FROM the page cache (what ~65% of
requests are at 250/s): each URL is built and stored once, then asked for
again as it is (no new parameter), and only answers with `X-Page-Cache: hit`
count. The same figures: fastest of `--reps`, calls per page, categories
(mostly "middleware, view, rest" and "cache" here).
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import functools
import os
import pstats
import statistics
import sys
import time

from bench.config import BASE_DIR, python_speed_ns

_acc: collections.Counter = collections.Counter()
_calls: collections.Counter = collections.Counter()
_stack: list[list] = []  # [category, started, children's time]


def _wrap(owner, name: str, category) -> None:
    original = getattr(owner, name)

    @functools.wraps(original)
    def timed(*args, **kwargs):
        cat = category(args[0]) if callable(category) else category
        _calls[cat] += 1
        _stack.append([cat, time.process_time(), 0.0])
        try:
            return original(*args, **kwargs)
        finally:
            cat, started, children = _stack.pop()
            elapsed = time.process_time() - started
            _acc[cat] += elapsed - children
            if _stack:
                _stack[-1][2] += elapsed

    setattr(owner, name, timed)


def _instrument() -> None:
    from django.core.cache import caches
    from django.core.handlers.base import BaseHandler
    from django.db.backends.utils import CursorWrapper
    from django.db.models.query import QuerySet
    from django.db.models.sql.compiler import SQLCompiler
    from django.db.models.sql.query import Query
    from django.forms.forms import BaseForm
    from django.template.backends.django import Template
    from django.template.defaulttags import URLNode
    from django.template.library import InclusionNode
    from django.templatetags.i18n import BlockTranslateNode, TranslateNode

    _wrap(BaseHandler, "get_response", "middleware, view, rest")
    _wrap(QuerySet, "_fetch_all", "ORM (rows, prefetch)")
    _wrap(Query, "get_aggregation", "ORM (rows, prefetch)")
    _wrap(SQLCompiler, "as_sql", "ORM compile")
    _wrap(CursorWrapper, "execute", "SQL driver")
    _wrap(BaseForm, "__init__", "forms")
    _wrap(BaseForm, "full_clean", "forms")
    _wrap(Template, "render", "template")
    _wrap(TranslateNode, "render", "{% translate %}")
    _wrap(BlockTranslateNode, "render", "{% translate %}")
    _wrap(URLNode, "render", "{% url %}")
    _wrap(InclusionNode, "render", "inclusion tags")
    backend = type(caches["default"])
    for name in ("get", "get_many", "set", "set_many", "add", "delete"):
        _wrap(backend, name, "cache")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kb_scale"),
    )
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--mixes", default="product,catalog")
    parser.add_argument(
        "--hit", action="store_true", help="measure pages served from the page cache"
    )
    args = parser.parse_args(argv)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "marketplace.settings_production",
            "DEBUG": "0",
            "SECRET_KEY": "bench-" + os.urandom(24).hex(),
            "DATABASE_URL": args.database_url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SITE_URL": "https://127.0.0.1:8000",
        }
    )
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client

    from bench.buildcost import _distinct
    from bench.longtail import SEED, LongTail, catalog_paths, product_paths
    from bench.sample import _never_cached

    sources = {"product": product_paths, "catalog": catalog_paths}
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    n = 0
    instrumented = False

    def build(url: str) -> float:
        nonlocal n
        n += 1
        started = time.process_time()
        response = client.get(_never_cached(url, n), secure=True)
        elapsed = time.process_time() - started
        assert response.status_code == 200, (url, response.status_code)
        return elapsed

    def hit(url: str) -> float:
        started = time.process_time()
        response = client.get(url, secure=True)
        elapsed = time.process_time() - started
        assert response.status_code == 200, (url, response.status_code)
        assert response.get("X-Page-Cache") == "hit", (url, response.get("X-Page-Cache"))
        return elapsed

    def store(url: str) -> None:
        if args.hit:  # the page itself stored, for the hits measured below
            assert client.get(url, secure=True).status_code == 200, url
        else:  # cards, shared lists, related products stored
            build(url)

    measure = hit if args.hit else build

    print(f"Python speed: sum(range(50)) {python_speed_ns():.0f} ns (bench.config.python_speed_ns)")
    for name in args.mixes.split(","):
        urls = _distinct(LongTail.of(name, sources[name](), seed=SEED + 1), args.pages)
        cache.clear()
        for url in urls:
            store(url)
        profile = cProfile.Profile()
        profile.enable()
        for url in urls:
            measure(url)
        profile.disable()
        calls = pstats.Stats(profile).total_calls / len(urls)
        fastest = statistics.median(min(measure(url) for _ in range(args.reps)) for url in urls)
        if not instrumented:
            _instrument()
            instrumented = True
        _acc.clear()
        _calls.clear()
        total = sum(measure(url) for url in urls)
        what = "page-cache hits" if args.hit else "builds"
        print(
            f"{name}: median of each URL's fastest of {args.reps} {what} "
            f"{fastest * 1000:.2f} ms; {calls:,.0f} Python function calls per page; "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        print(f"  by category (instrumented, {total / len(urls) * 1000:.2f} ms a page):")
        for category, seconds in _acc.most_common():
            per_page = _calls[category] / len(urls)
            print(
                f"    {category:24s} {seconds / len(urls) * 1000:6.2f} ms "
                f"{seconds / total * 100:5.1f}%  ({per_page:.1f} calls)"
            )
    cache.clear()
    return 0


if __name__ == "__main__":
    sys.exit(main())
