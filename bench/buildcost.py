"""Python time per built page, in this process: robust to a busy machine.

Wall-clock latency on a shared machine moves with everyone else's load; the
CPU time this process spends building a page (time.process_time around the
request through Django's test client) hardly does. Each request carries a
new, ignored parameter (`bench=N`, as the load's "built" rows do), so the
page cache never answers but everything else a built page uses (stored
cards, shared lists, storing the page) works as in production. It
includes the middleware, the queries' Python side (psycopg, the ORM) and the
template; not PostgreSQL's own time, which EXPLAIN ANALYZE measures.
"""

from __future__ import annotations

import statistics
import time

from bench.longtail import SEED, LongTail

# Other processes on a shared machine only ever add to a build's CPU time
# (caches, frequency): the same page measured 4.4 to 7.9 ms in single passes
# minutes apart (28 Nov 2026). Each URL's fastest of three warm builds is the
# steady figure, as in bench.buildphases and timeit.
WARM_PASSES = 3


def _distinct(mix: LongTail, n: int) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        for path in mix.take(n):
            if path not in seen:
                seen.add(path)
                out.append(path)
    return out[:n]


def _summary(samples: list[float]) -> dict:
    ms = sorted(s * 1000 for s in samples)
    return {
        "pages": len(ms),
        "median_ms": round(statistics.median(ms), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
        "p90_ms": round(ms[int(0.9 * (len(ms) - 1))], 2),
    }


def build_cost(mixes: dict[str, list[str]], pages: int = 100) -> dict[str, dict]:
    """For each mix: `pages` distinct URLs drawn from its Zipf mix (another
    seed than the load's), each built once with an empty cache ("cold": every
    product card rendered) and `WARM_PASSES` times more with the cards and
    shared lists stored ("warm": what a page not yet in the page cache costs
    in steady state, each URL's fastest of those builds; `first_pass` is the
    first of them alone)."""
    from django.core.cache import cache
    from django.test import Client

    from bench.sample import _never_cached

    out: dict[str, dict] = {}
    n = 0
    for name, paths in mixes.items():
        urls = _distinct(LongTail.of(name, paths, seed=SEED + 1), pages)
        client = Client(HTTP_X_FORWARDED_PROTO="https")
        client.get(urls[-1], secure=True)  # imports, connections, template loading
        cache.clear()
        passes: list[list[float]] = []
        statuses = set()
        for _pass in range(1 + WARM_PASSES):
            samples = []
            for url in urls:
                n += 1
                t0 = time.process_time()
                response = client.get(_never_cached(url, n), secure=True)
                samples.append(time.process_time() - t0)
                statuses.add(response.status_code)
            passes.append(samples)
        cold, *warm = passes
        out[name] = {
            "cold": {**_summary(cold), "statuses": sorted(statuses)},
            "warm": {
                **_summary([min(builds) for builds in zip(*warm, strict=True)]),
                "first_pass": _summary(warm[0]),
            },
        }
    cache.clear()
    return out
