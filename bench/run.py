"""The benchmark: the site under load on national-scale data, as production runs it.

    python -m bench                       # full run, about 8-10 minutes
    python -m bench --quick               # smoke run, about a minute

It expects a database filled by `manage.py generate_scale_data` (default
kb_scale on 127.0.0.1, see bench/README.md), then:

1. counts the queries of every measured request (Django's test client, once each,
   and the catalog pages at 12 and 48 items);
2. runs EXPLAIN ANALYZE on the SQL those pages really send (search, catalog);
3. weighs the catalog and product pages for a 390 px wide phone;
4. starts gunicorn with marketplace/gunicorn_conf.py and the production
   settings, pins itself (the load generator) to its own core, and sends load
   at fixed arrival rates: p50/p90/p99 and errors, median of three runs; then
   the highest rate each page sustains with p99 under 300 ms;
5. checkout: 100 buyers at once for a product with 10 in stock, and the
   rate of checkouts on distinct products;
6. reads each gunicorn worker's memory after the load.

Results go to bench/results/latest.json and latest.md, and are printed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime

from bench.config import (
    BASE_DIR,
    CHECKOUT_P99_LIMIT_MS,
    P99_LIMIT_MS,
    RESULTS_DIR,
    Config,
    parse_args,
    python_speed_ns,
    server_environment,
)
from bench.inprocess import count_queries, explain_pages, weigh_pages
from bench.load import Load
from bench.sample import UNCACHED, Sample, get_endpoints, pick_sample
from bench.server import Server


def wanted(config: Config, section: str) -> bool:
    return not config.only or section in config.only


async def load_phase(config: Config, sample: Sample, server: Server, mixes: dict) -> dict:
    load = Load(config, sample, server)
    out: dict = {"fixed": {}, "max_rate": {}, "contention": None, "longtail": []}

    # Warm every worker's caches and connections first (not measured).
    for name in get_endpoints(sample):
        await load.run_once(name, 20, 1.0)
    if wanted(config, "fixed"):
        load.say(f"fixed arrival rate (median of {config.runs} runs of {config.seconds:.0f} s):")
        for name in config.rates:
            out["fixed"][name] = await load.fixed(name)
    if wanted(config, "max_rate"):
        load.say("highest sustained rate:")
        for name in [*get_endpoints(sample), *UNCACHED]:
            out["max_rate"][name] = await load.max_rate(name, config.ladder, P99_LIMIT_MS)
        out["max_rate"]["checkout"] = await load.max_rate(
            "checkout", config.checkout_ladder, CHECKOUT_P99_LIMIT_MS
        )
    if wanted(config, "contention"):
        load.say("checkout under contention:")
        out["contention"] = await load.contention()
    if wanted(config, "longtail"):
        from bench.longtail_load import longtail_phase

        load.say(
            f"long tail (Zipf s=1.0; {config.longtail_warm_seconds:.0f} s warm-up, "
            f"{config.longtail_seconds:.0f} s measured; + saves = {config.staff_saves:g} "
            "staff saves/s):"
        )
        out["longtail"] = await longtail_phase(load, mixes, config)
    return out


# --- report --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    config = parse_args(argv)
    env = server_environment(config)
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    # The scale data was generated with some earlier code: bring its schema up
    # to date (new tables stay empty; the benchmark never drops anything).
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    sample = pick_sample()
    print(f"data: {sample.stats}", flush=True)
    queries = explains = weights = build = {}
    if wanted(config, "queries"):
        queries = count_queries(sample)
        print(f"queries per request: { {k: v['queries'] for k, v in queries.items()} }", flush=True)
    if wanted(config, "explain"):
        explains = explain_pages(sample, config.runs)
        print(f"EXPLAIN ANALYZE: { {k: v['total_ms'] for k, v in explains.items()} }", flush=True)
    if wanted(config, "weight"):
        weights = weigh_pages(sample)
        print(f"page weight: { {k: v['total'] for k, v in weights.items()} }", flush=True)
    mixes = {}
    if wanted(config, "buildcost") or wanted(config, "longtail"):
        from bench.longtail import LongTail, catalog_paths, product_paths

        mixes = {
            "product": LongTail.of("product", product_paths()),
            "catalog": LongTail.of("catalog", catalog_paths()),
        }
    if wanted(config, "buildcost"):
        from bench.buildcost import build_cost

        build = build_cost({k: m.paths for k, m in mixes.items()}, config.build_pages)
        print(f"Python time per built page: {build}  load {os.getloadavg()}", flush=True)

    from django.core.cache import cache
    from django.db import connection

    connection.close()  # the server gets the database to itself while loaded
    # Every run starts with no stored pages (a shared cache outlives the server).
    cache.clear()
    server = Server(config, env)
    server.start()
    if config.loadgen_cpus and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {int(c) for c in config.loadgen_cpus.split(",")})
    # The sender must keep its schedule on a busy machine; it uses little CPU.
    with contextlib.suppress(OSError):
        os.nice(-5)
    try:
        load = asyncio.run(load_phase(config, sample, server, mixes))
        rss = server.worker_rss_mb()
    finally:
        server.stop()
    import resource

    results = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python_ns": round(python_speed_ns()),
            "server_cpus": config.server_cpus or "all",
            "loadgen_cpus": config.loadgen_cpus,
            "gunicorn": _gunicorn_settings(env),
            "conn_max_age": os.environ.get("CONN_MAX_AGE", "60 (default)"),
            "cache": os.environ.get("CACHE_URL", "locmemcache:// (default, one per worker)"),
            "load_average_at_end": os.getloadavg(),
        },
        "marketplace": {k: v for k, v in asdict(config).items() if k != "database_url"},
        "data": sample.stats,
        "queries": queries,
        "explain": explains,
        "weight": weights,
        "build_cost": build,
        "load": load,
        "worker_rss_mb": rss,
        "bench_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "seconds": round(time.monotonic() - started, 1),
    }
    from bench.report import render_markdown

    suffix = "-quick" if config.quick else ""
    (RESULTS_DIR / f"latest{suffix}.json").write_text(json.dumps(results, indent=2, default=str))
    markdown = render_markdown(results)
    (RESULTS_DIR / f"latest{suffix}.md").write_text(markdown)
    print()
    print(markdown)
    if config.update_readme:
        from bench.report import update_readme

        update_readme(BASE_DIR / "bench" / "README.md", markdown)
        print("bench/README.md: Latest results updated")
    return 0


def _gunicorn_settings(env: dict[str, str]) -> dict:
    """The effective worker settings, read from the config file as gunicorn would."""
    import runpy

    saved = dict(os.environ)
    os.environ.update(env)
    try:
        conf = runpy.run_path(str(BASE_DIR / "marketplace" / "gunicorn_conf.py"))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return {k: conf[k] for k in ("worker_class", "workers", "threads", "keepalive", "max_requests")}


if __name__ == "__main__":
    sys.exit(main())
