"""The benchmark's settings: command line, the server's environment, the paths."""

from __future__ import annotations

import argparse
import os
import secrets
import timeit
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "bench" / "results"
P99_LIMIT_MS = 300.0
CHECKOUT_P99_LIMIT_MS = 500.0


def python_speed_ns() -> float:
    """How fast this machine runs Python: `sum(range(50))` in ns, the best
    of five (as `python -m timeit` reports it). The machines this project
    runs on have measured 319 to 808 ns, a factor of 2.5 in every CPU time
    and rate, so results are comparable only at a similar figure."""
    loops = 100_000
    return min(timeit.repeat("sum(range(50))", number=loops, repeat=5)) / loops * 1e9


@dataclass
class Config:
    database_url: str
    port: int
    runs: int
    seconds: float  # each fixed-rate run
    step_seconds: float  # each rung of the max-rate search
    rates: dict[str, float]  # the fixed rate per endpoint
    ladder: list[float]
    checkout_ladder: list[float]
    contention_buyers: int
    contention_stock: int
    server_cpus: str
    loadgen_cpus: str
    media_root: str
    quick: bool
    only: set[str] = field(default_factory=set)
    update_readme: bool = False
    # Long-tail mixes (bench/longtail.py): rates per mix, measured seconds
    # after a warm-up, and the staff saves a second of the "+ saves" rows.
    longtail_rates: dict[str, list[float]] = field(default_factory=dict)
    longtail_seconds: float = 20.0
    longtail_warm_rate: dict[str, float] = field(default_factory=dict)
    longtail_warm_seconds: float = 30.0
    staff_saves: float = 1.0
    build_pages: int = 100


def parse_args(argv: list[str] | None = None) -> Config:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kb_scale"),
    )
    parser.add_argument("--port", type=int, default=8311)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--step-seconds", type=float, default=3.0)
    parser.add_argument(
        "--server-cpus",
        default="",
        help="CPUs for gunicorn (taskset list, e.g. 0); default all: app, database and "
        "load generator share this machine, as the targets assume.",
    )
    parser.add_argument(
        "--loadgen-cpus",
        default=str(max(0, (os.cpu_count() or 1) - 1)),
        help="CPUs the load generator (this process) is pinned to; default the last one.",
    )
    parser.add_argument("--media-root", default=str(BASE_DIR / "media"))
    parser.add_argument("--quick", action="store_true", help="One short run of everything.")
    parser.add_argument(
        "--update-readme",
        action="store_true",
        help="Put the results table into bench/README.md's Latest results section.",
    )
    parser.add_argument(
        "--only",
        default="",
        help="Comma-separated sections to run: queries, explain, weight, buildcost, fixed, "
        "max_rate, contention, longtail (default all).",
    )
    parser.add_argument(
        "--longtail-product-rates", default="50,100,250", help="Rates of the product mix."
    )
    parser.add_argument(
        "--longtail-catalog-rates", default="25,50,100", help="Rates of the catalog mix."
    )
    parser.add_argument("--longtail-seconds", type=float, default=20.0)
    parser.add_argument("--longtail-warm-seconds", type=float, default=30.0)
    parser.add_argument("--staff-saves", type=float, default=1.0, help="Saves a second.")
    parser.add_argument("--build-pages", type=int, default=100)
    args = parser.parse_args(argv)
    longtail_rates = {
        "product": [float(r) for r in args.longtail_product_rates.split(",") if r],
        "catalog": [float(r) for r in args.longtail_catalog_rates.split(",") if r],
    }
    rates = {
        "home": 50,
        "catalog": 50,
        "search_common": 20,
        "search_rare": 20,
        "product": 50,
        "storefront": 50,
        "catalog_uncached": 50,
        "search_common_uncached": 20,
        "product_uncached": 50,
        "add_to_cart": 30,
        "checkout": 30,
    }
    ladder = [25, 50, 100, 150, 200, 250, 300, 400]
    checkout_ladder = [10, 20, 30, 45, 60]
    if args.quick:
        args.runs, args.seconds, args.step_seconds = 1, 2.0, 1.5
        rates = {k: min(v, 20) for k, v in rates.items()}
        ladder, checkout_ladder = [25, 50, 100], [10, 20]
        longtail_rates = {k: v[:1] for k, v in longtail_rates.items()}
        args.longtail_seconds, args.longtail_warm_seconds, args.build_pages = 5.0, 5.0, 20
    return Config(
        database_url=args.database_url,
        port=args.port,
        runs=args.runs,
        seconds=args.seconds,
        step_seconds=args.step_seconds,
        rates=rates,
        ladder=ladder,
        checkout_ladder=checkout_ladder,
        contention_buyers=100,
        contention_stock=10,
        server_cpus=args.server_cpus,
        loadgen_cpus=args.loadgen_cpus,
        media_root=args.media_root,
        quick=args.quick,
        only={part.strip() for part in args.only.split(",") if part.strip()},
        update_readme=args.update_readme,
        longtail_rates=longtail_rates,
        longtail_seconds=args.longtail_seconds,
        longtail_warm_rate={"product": 60.0, "catalog": 40.0},
        longtail_warm_seconds=args.longtail_warm_seconds,
        staff_saves=args.staff_saves,
        build_pages=args.build_pages,
    )


def server_environment(config: Config) -> dict[str, str]:
    """The environment production documents, pointed at the scale database."""
    env = {
        "DJANGO_SETTINGS_MODULE": "marketplace.settings_production",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
        "DATABASE_URL": config.database_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "MEDIA_ROOT": config.media_root,
        "GUNICORN_BIND": f"127.0.0.1:{config.port}",
        "SITE_URL": f"https://127.0.0.1:{config.port}",
    }
    # CONN_MAX_AGE, CACHE_URL, WEB_CONCURRENCY, GUNICORN_THREADS: as set by the
    # caller, else the production defaults (settings.py, gunicorn_conf.py).
    return env
